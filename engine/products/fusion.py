"""Several sensors on one grid: the reference's fusion (one encoder pass per sensor, features
concatenated) or averaged, or all bands stacked into one pass.

The reference's multi-sensor evaluation (BigEarthNet-MM: Sentinel-2 + Sentinel-1) runs each
sensor through the encoder and concatenates the features (models_smarties_vit.py, multi_modal);
stacking the bands of both into one pass averages their projections into one token, which is only
one of the paper's options. A job's inputs form groups: every product reads one group (all its
inputs), a change map two (the "before" inputs first, then as many "after" inputs).
"""
from __future__ import annotations

import dataclasses
import os
from typing import Optional

import numpy as np
from osgeo import gdal

from ..errors import RasterError
from ..jobs import JobSpec
from ..raster.io import RasterSource
from ..raster.writer import GeoTiffWriter, remove_quietly, temp_name
from .embeddings import EmbeddingInfo, compute_embeddings
from .inputs import InputBands, resolve_input_bands
from .tokens import iter_token_rows

gdal.UseExceptions()


def input_groups(job: JobSpec) -> list[list[int]]:
    """Indices of job.inputs per fused input: [[0..n-1]], or before/after halves for change."""
    n = len(job.inputs)
    if job.product == "change":
        return [list(range(n // 2)), list(range(n // 2, n))]
    return [list(range(n))]


def _check_same_grid(job: JobSpec, indices: list[int]) -> None:
    from ..raster.grid import same_grid

    sources = [RasterSource(job.inputs[i].paths, extent=job.extent, extent_crs=job.extent_crs,
                            resolution=job.resolution) for i in indices]
    try:
        a = sources[0]
        for b in sources[1:]:
            why = same_grid(a.geotransform, (a.width, a.height), a.crs_wkt, b.geotransform, (b.width, b.height),
                            b.crs_wkt)
            if why:
                raise RasterError(f"The rasters to fuse are not on the same grid: {why}. First: {a.label}; other: "
                                  f"{b.label}. Resample one onto the other's grid first (gdalwarp, or QGIS Raster > "
                                  "Align Rasters), or set a common --resolution and --extent.")
    finally:
        for s in sources:
            s.close()


def open_stacked(job: JobSpec, indices: list[int]) -> tuple[RasterSource, InputBands]:
    """One source over the bands of several inputs (fusion "stack"), each input's bands as resolved alone."""
    offset, used, decisions, notes, paths = 0, [], [], [], []
    for i in indices:
        inp = job.inputs[i]
        probe = RasterSource(inp.paths)
        try:
            bands = resolve_input_bands(inp, job, probe)
            count = probe.total_bands
        finally:
            probe.close()
        used += [offset + b for b in bands.band_indices]
        decisions += list(bands.decisions)
        notes += [f"input {i + 1}: {n}" for n in bands.notes]
        paths += list(inp.paths)
        offset += count
    source = RasterSource(paths, used, extent=job.extent, extent_crs=job.extent_crs, resolution=job.resolution)
    return source, InputBands(used, decisions, [], notes)


def embed_group(job: JobSpec, group: int, output_path: str, progress=None, cancel=None,
                progress_range: tuple[float, float] = (0.0, 1.0)) -> EmbeddingInfo:
    """Embeddings of input group `group` (see input_groups), fused per job.fusion, at `output_path`."""
    indices = input_groups(job)[group]
    if len(indices) == 1:
        return compute_embeddings(job, indices[0], output_path, progress, cancel, progress_range)
    _check_same_grid(job, indices)
    if job.fusion == "stack":
        info = compute_embeddings(job, indices[0], output_path, progress, cancel, progress_range,
                                  opened=open_stacked(job, indices))
        _set_fusion_metadata(info.path, "stack", [job.inputs[i].paths[0] for i in indices])
        info.run["fusion"] = "stack"
        return info
    lo, hi = progress_range
    step = (hi - lo) * 0.9 / len(indices)
    folder = os.path.dirname(os.path.abspath(output_path))
    parts: list[EmbeddingInfo] = []
    tmp_paths = [temp_name(os.path.join(folder, f"fusion_{k}.tif")) for k in range(len(indices))]
    try:
        for k, i in enumerate(indices):
            # Every pass uses the first input's model scale, so all sensors share one token grid.
            pass_job = job if not parts else dataclasses.replace(job, scale=repr(float(parts[0].run.get("scale", 1.0))))
            parts.append(compute_embeddings(pass_job, i, tmp_paths[k], progress, cancel,
                                            (lo + k * step, lo + (k + 1) * step)))
        if progress:
            progress(lo + 0.92 * (hi - lo), f"fusing {len(parts)} sensors ({job.fusion})")
        return _combine(parts, output_path, job, cancel)
    finally:
        for p in tmp_paths:
            remove_quietly(p)


def _set_fusion_metadata(path: str, fusion: str, inputs: list[str]) -> None:
    ds = gdal.Open(path, gdal.GA_Update)
    ds.SetMetadataItem("SMARTIES_FUSION", fusion)
    ds.SetMetadataItem("SMARTIES_FUSION_INPUTS", ", ".join(inputs))
    ds = None


def _combine(parts: list[EmbeddingInfo], output_path: str, job: JobSpec, cancel) -> EmbeddingInfo:
    """Concatenate (or average) the token features of several passes; NaN where any pass is nodata."""
    first = parts[0]
    for p in parts[1:]:
        if (p.width, p.height) != (first.width, first.height):
            raise RasterError(f"The fused inputs give different token grids ({first.width}x{first.height} and "
                              f"{p.width}x{p.height}); put them on one grid first (same extent and resolution).")
    concat = job.fusion == "concat"
    dim = sum(p.embed_dim for p in parts) if concat else first.embed_dim
    if not concat and any(p.embed_dim != first.embed_dim for p in parts):
        raise RasterError("Averaging features needs the same embedding size for every pass.")
    src = gdal.Open(first.path)
    meta = dict(src.GetMetadata())
    src = None
    table = [dict(row, input=k + 1) for k, p in enumerate(parts) for row in p.band_table]
    meta.update({"SMARTIES_FUSION": job.fusion, "SMARTIES_FUSION_INPUTS": ", ".join(p.input_label for p in parts),
                 "SMARTIES_BANDS": table,
                 "SMARTIES_STATISTICS": " | ".join(p.run.get("statistics", "") for p in parts)})
    names = ([f"input {k + 1} embedding {j + 1}" for k, p in enumerate(parts) for j in range(p.embed_dim)]
             if concat else [f"embedding {j + 1} (mean of {len(parts)} sensors)" for j in range(dim)])
    readers = [iter_token_rows(p.path, cancel=cancel) for p in parts]
    with GeoTiffWriter(output_path, first.width, first.height, dim, job.embedding_dtype, first.geotransform,
                       first.crs_wkt, nodata=float("nan"), descriptions=names, metadata=meta,
                       block=64 if dim > 16 else 256) as writer:
        for rows in zip(*readers):
            y = rows[0][0]
            tokens = [r[1] for r in rows]
            ok = np.logical_and.reduce([r[2] for r in rows])
            fused = np.concatenate(tokens, axis=-1) if concat else np.mean(tokens, axis=0)
            fused[~ok] = np.nan
            writer.write_rows(np.moveaxis(fused, -1, 0).astype(np.float32), y)
        path = writer.commit()
    run = {"fusion": job.fusion, "passes": [p.run for p in parts], "scale": first.run.get("scale", 1.0),
           "statistics": meta["SMARTIES_STATISTICS"]}
    return dataclasses.replace(first, path=path, embed_dim=dim, band_table=table,
                               decisions=[d for p in parts for d in p.decisions],
                               band_indices=[b for p in parts for b in p.band_indices],
                               normalization=[s for p in parts for s in p.normalization],
                               notes=[n for p in parts for n in p.notes], run=run,
                               input_label=" + ".join(p.input_label for p in parts))


def fusion_text(job: JobSpec) -> Optional[str]:
    """What the fusion setting does for this job, or None when there is nothing to fuse."""
    if max(len(g) for g in input_groups(job)) < 2:
        return None
    return {"concat": "one pass per sensor, features concatenated (the reference's fusion)",
            "mean": "one pass per sensor, features averaged",
            "stack": "all bands in one pass (their projections averaged into one token)"}[job.fusion]
