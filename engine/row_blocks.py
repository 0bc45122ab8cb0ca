"""Large scenes in row blocks: each block its own task, a last step stitches them into one raster.

    rows = split_rows(token_height, 3)                   # [(0, 23), (23, 46), (46, 69)]
    part = run_block(job_dict, 1, 3, "blocks/1.tif")     # rows 23-45 of the scene's embeddings
    stitch_blocks(job_dict, [part0, part1, part2], "out.tif")

A block covers a range of token rows of the scene's window grid. It reads every window that touches
those rows (the windows across a seam are run by both neighbours: the halo), in the order of a run
over the whole scene, with the whole scene's normalisation statistics, and writes only its own
rows. So each token is the same weighted sum of the same window tokens, added in the same order,
as in one run over the scene: the stitched raster equals the single run bit for bit as long as the
model gives a window the same tokens whatever batch it sits in (true of the torch CPU backend,
checked by tests/engine/test_row_blocks.py; GPU kernels may pick other algorithms for other batch
sizes, then blocks agree to float rounding).

Only the `embeddings` product on its token grid splits; the products built on embeddings (PCA,
clusters...) fit on the whole scene and run on the stitched raster instead.
"""
from __future__ import annotations

import json
import os
from typing import Optional, Sequence

import numpy as np
from osgeo import gdal

from .errors import JobError, RasterError

gdal.UseExceptions()


def split_rows(token_height: int, blocks: int) -> list[tuple[int, int]]:
    """`blocks` ranges of token rows of nearly equal size covering 0..token_height-1 (fewer when
    the scene has fewer rows than blocks)."""
    n = max(1, min(int(blocks), int(token_height)))
    edges = [token_height * k // n for k in range(n + 1)]
    return [(edges[k], edges[k + 1]) for k in range(n)]


def check_splittable(job) -> None:
    """JobError unless the job's product can run in row blocks."""
    if job.product != "embeddings":
        raise JobError(f"Row blocks split the 'embeddings' product only (this job makes '{job.product}'); "
                       "make the embeddings in blocks, then run the product on the embeddings raster.")
    if job.at_input_resolution:
        raise JobError("Row blocks write embeddings on the token grid; leave out --at-input-resolution.")
    if len(job.inputs) != 1:
        raise JobError("Row blocks need one input raster per scene.")


def run_block(job_dict: dict, index: int, count: int, path: str, progress=None) -> dict:
    """Embeddings of block `index` of `count` of the job's scene, written to `path` (committed only
    when complete). Returns the path, the block's rows and the run's report section."""
    from .jobs import JobSpec
    from .products.embeddings import compute_embeddings, report_for

    job = JobSpec.from_dict(job_dict)
    check_splittable(job)
    info = compute_embeddings(job, 0, path, progress, block=(index, count))
    return {"path": info.path, "index": index, "rows": list(info.run["rows"]),
            "windows": info.run.get("windows_from_rows", info.run.get("windows", 0)),
            "report": report_for(info), "input_grid": [info.input_geotransform, info.input_width,
                                                         info.input_height, info.width, info.height]}


def stitch_blocks(job_dict: dict, parts: Sequence[dict], final: str, chunk: int = 64) -> dict:
    """Write the blocks' rows, in order, into one embeddings raster at `final` (committed only when
    complete, geotransform and provenance as a single run's). Returns {"path", "report"}."""
    from .jobs import JobSpec
    from .products.output_grid import clipped_token_geotransform, commit_token_output
    from .provenance import provenance, stamp
    from .raster.writer import GeoTiffWriter, remove_quietly, temp_name

    job = JobSpec.from_dict(job_dict)
    parts = sorted(parts, key=lambda p: p["index"])
    if not parts:
        raise RasterError(f"No row blocks to stitch for {final}.")
    expected = 0
    for p in parts:
        if p["rows"][0] != expected:
            raise RasterError(f"Row block {p['index']} of {final} starts at token row {p['rows'][0]}, "
                              f"expected {expected}; run the batch again.")
        expected = p["rows"][1]
    windows = int(sum(p["windows"] for p in parts))
    if windows == 0:
        raise RasterError(f"Every window of {job.inputs[0].paths[0]} is nodata in the processed area; "
                          "nothing to embed. Check the nodata value, the mask or the extent.")
    head = gdal.Open(parts[0]["path"])
    width, dim = head.RasterXSize, head.RasterCount
    band = head.GetRasterBand(1)
    dtype = "float16" if band.GetMetadataItem("NBITS", "IMAGE_STRUCTURE") == "16" else "float32"
    metadata = dict(head.GetMetadata() or {})
    metadata["SMARTIES_WINDOWS"] = str(windows)
    descriptions = [head.GetRasterBand(i + 1).GetDescription() for i in range(dim)]
    crs = head.GetProjection()
    band = head = None
    input_gt, input_w, input_h, tok_w, tok_h = parts[0]["input_grid"]
    gt = clipped_token_geotransform(input_gt, input_w, input_h, tokens=(tok_w, tok_h))  # a single run's grid
    tmp = temp_name(final)
    try:
        with GeoTiffWriter(tmp, width, expected, dim, dtype, gt, crs, nodata=float("nan"),
                           descriptions=descriptions, metadata=metadata, block=64 if dim > 16 else 256) as writer:
            for p in parts:
                ds = gdal.Open(p["path"])
                for y in range(0, ds.RasterYSize, chunk):
                    n = min(chunk, ds.RasterYSize - y)
                    values = ds.ReadAsArray(0, y, width, n)
                    writer.write_rows(values.reshape(dim, n, width), p["rows"][0] + y)
                ds = None
            writer.commit()
        report = _stitched_report(parts, windows)
        stamp(tmp, provenance(job, report))
        commit_token_output(tmp, final, input_gt, input_w, input_h, tokens=(tok_w, tok_h))
    finally:
        remove_quietly(tmp)
    return {"path": os.path.abspath(final), "report": report}


def _stitched_report(parts: Sequence[dict], windows: int) -> dict:
    report = json.loads(json.dumps(parts[0]["report"], default=str))  # a copy
    run = report.setdefault("run", {})
    run["windows"] = windows
    run["row_blocks"] = [p["rows"] for p in parts]
    run["windows_run"] = int(sum(p["report"]["run"].get("windows", 0) for p in parts))  # seam windows twice
    return report


def block_count(value: Optional[int]) -> int:
    """The --row-blocks value checked (1 = no split)."""
    n = 1 if value is None else int(value)
    if n < 1:
        raise JobError(f"--row-blocks must be at least 1 (got {n}).")
    return n
