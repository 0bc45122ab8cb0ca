"""Embeddings: the blended patch-token map of a whole raster, written as a float GeoTIFF.

`compute_embeddings` is the building block of every product (PCA, clusters, similarity, change,
classify): they all read the token-resolution embeddings raster it writes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
from osgeo import gdal

from ..errors import RasterError
from ..jobs import JobResult, JobSpec
from ..inference.backend import load_model, make_model_backends
from ..inference.runner import run_windows
from ..inference.tiling import WindowGrid
from ..raster.grid import sub_geotransform
from ..raster.io import RasterSource
from ..raster.normalize import Normalizer, band_statistics
from ..raster.writer import GeoTiffWriter, commit_file, remove_quietly, temp_name
from .inputs import band_table, open_input
from .output_grid import check_input_size, commit_token_output

gdal.UseExceptions()


@dataclass
class EmbeddingInfo:
    """What compute_embeddings wrote: the token grid and everything needed to interpret it."""

    path: str  # the token-resolution embeddings GeoTIFF (D bands, NaN = nodata)
    width: int  # token grid size (= ceil(input width / 16))
    height: int
    geotransform: tuple  # of the token grid (pixels 16x the input pixel size)
    crs_wkt: str
    embed_dim: int
    input_width: int  # the processed input area (after extent/resolution)
    input_height: int
    input_geotransform: tuple
    decisions: list = field(default_factory=list)  # LayerDecision per read band
    band_indices: list = field(default_factory=list)  # 0-based bands read from the input
    band_table: list = field(default_factory=list)  # JSON rows (also in the file metadata)
    normalization: list = field(default_factory=list)  # BandStats dicts per read band
    notes: list = field(default_factory=list)  # e.g. bands left out
    run: dict = field(default_factory=dict)  # RunStats (windows, timings, device)
    input_label: str = ""
    source_args: dict = field(default_factory=dict)  # reopens the processed input (RasterSource(**...))


def input_sensor(job: JobSpec, input_index: int, decisions) -> Optional[str]:
    """The sensor preset of an input: the job's, else the one its bands were identified as."""
    if 0 <= input_index < len(job.inputs) and job.inputs[input_index].sensor:
        return job.inputs[input_index].sensor
    sensors = {getattr(getattr(d, "band", None), "sensor", None) for d in decisions} - {None}
    return sensors.pop() if len(sensors) == 1 else None


def model_scale(job: JobSpec, card: dict, sensor: Optional[str]) -> float:
    """The upsampling factor for this run: the job's setting, or the model card's for the sensor."""
    from ..inference.scale import parse_scale
    from ..model.cards import scale_for

    factor = parse_scale(job.scale)
    return scale_for(card, sensor) if factor is None else factor


def compute_embeddings(job: JobSpec, input_index: int, output_path: str, progress=None, cancel=None,
                       progress_range: tuple[float, float] = (0.0, 1.0), model_dtype: str = "auto",
                       reader_threads: Optional[int] = None, window_path: str = "auto",
                       opened=None, rows: Optional[tuple[int, int]] = None,
                       block: Optional[tuple[int, int]] = None) -> EmbeddingInfo:
    """Run the encoder over job.inputs[input_index] and write token-resolution embeddings.

    Reads the input with the job's band list/sensor, extent, resolution, window, overlap, batch
    size, model, backend and device; writes a float32 (or float16 with job.embedding_dtype) GeoTIFF
    with one band per embedding dimension ("embedding 1"...), pixel size 16x the input's, NaN
    where all pixels of a token are nodata, and metadata (model, band table with layer decisions,
    window, overlap, normalisation). The file appears under `output_path` only when complete;
    cancel raises JobCancelled and errors raise EngineError subclasses, leaving nothing behind.
    `model_dtype` is the CUDA compute precision (auto = bfloat16 on CUDA, float32 on CPU);
    `reader_threads` the number of threads reading/normalising windows (default: by CPU count);
    `window_path` auto | host | device (engine.inference.runner.run_windows; auto = device on CUDA).
    `job.device` may name several devices ("cuda:0,1", "all"): batches are shared between them.
    `opened`: an already opened (RasterSource, InputBands) to use instead of job.inputs[input_index]
    (several inputs stacked by engine.products.fusion). A model scale other than x1 (job.scale, or
    the model card's for the sensor) resamples the raster before windowing (engine.inference.scale).
    `rows` (first, end): write only those token rows (a row block, engine.row_blocks; the file's
    geotransform starts at row `first`); every window touching them runs, so they equal the same
    rows of a whole run. `block` (k, n): the rows of block k of n (engine.row_blocks.split_rows).
    """
    from ..inference.scale import ScaledWindows, describe
    from ..raster.normalize import stats_summary

    progress = progress or (lambda f, m: None)
    lo, hi = progress_range
    if opened is None:
        from .reuse import reused_info  # an embeddings raster as input: read, not recomputed

        reused = reused_info(job, input_index)
        if reused is not None:
            progress(hi, "reusing the embeddings raster")
            return reused
    progress(lo, "reading band information")
    source, bands = opened if opened is not None else open_input(job, input_index)
    try:
        check_input_size(source.width, source.height, source.label)
        from ..model.checkpoint import weights_fingerprint  # torch is there: load_model needs it too

        encoder = load_model(job.model)
        card = getattr(encoder, "card", {}) or {}
        patch = int(getattr(encoder, "patch_size", 16))
        sensor = input_sensor(job, input_index, bands.decisions) if opened is None else None
        factor = model_scale(job, card, sensor)
        scaler = ScaledWindows(source.width, source.height, factor) if abs(factor - 1.0) > 1e-9 else None
        grid_w, grid_h = (scaler.width, scaler.height) if scaler else (source.width, source.height)
        grid = WindowGrid(grid_w, grid_h, job.window, job.overlap, patch)
        progress(lo + 0.02 * (hi - lo), "normalisation statistics")
        stats = band_statistics(source, bands.decisions, card, job.normalization,
                                sensor if opened is None else None)
        backends = make_model_backends(encoder, bands.decisions, job.window, job.backend, job.device, model_dtype)
        backend = backends[0]
        table = band_table(bands, source)
        for row, st in zip(table, stats):
            row["statistics"] = st.origin or st.source
        from ..raster.units import range_warnings

        for k, warning in range_warnings(source, bands.decisions, stats).items():
            table[k]["warning"] = warning  # e.g. DN against reflectance statistics: in the table and the report
            bands.notes.append(f"band {table[k]['band']} ({table[k]['name']}): {warning}")
        pixel_gt = scaler.geotransform(source.geotransform) if scaler else source.geotransform
        token_gt = sub_geotransform(pixel_gt, 0, 0, scale=patch)
        if block is not None:
            from ..row_blocks import split_rows

            rows = split_rows(grid.token_height, block[1])[block[0]]
        first_row, end_row = rows if rows is not None else (0, grid.token_height)
        if not 0 <= first_row < end_row <= grid.token_height:
            raise RasterError(f"Row block {first_row}-{end_row} is outside the {grid.token_height} token rows "
                              f"of {source.label}.")
        dim = int(backend.embed_dim)
        model_id = card.get("id") or job.model
        summary = stats_summary(stats, [r.get("name", "") for r in table])
        metadata = {"SMARTIES_PRODUCT": "embeddings", "SMARTIES_MODEL": str(model_id),
                    "SMARTIES_MODEL_WEIGHTS": weights_fingerprint(encoder),
                    "SMARTIES_BANDS": table, "SMARTIES_WINDOW": str(job.window),
                    "SMARTIES_OVERLAP": str(job.overlap), "SMARTIES_STRIDE": str(grid.stride),
                    "SMARTIES_NORMALIZATION": [s.to_dict() for s in stats],
                    "SMARTIES_STATISTICS": summary,
                    "SMARTIES_SCALE": repr(float(factor)), "SMARTIES_SCALE_TEXT": describe(factor),
                    "SMARTIES_BAND_MAPPING": job.interpolation,
                    "SMARTIES_INPUT": source.label,
                    "SMARTIES_INPUT_GRID": {"width": source.width, "height": source.height,
                                            "geotransform": list(source.geotransform)},
                    "SMARTIES_MIN_VALID_SHARE": str(getattr(job, "min_valid_share", 0.0))}
        if job.embedding_dtype not in ("float16", "float32"):
            raise RasterError(f"Embedding type '{job.embedding_dtype}' is not float16 or float32.")
        with GeoTiffWriter(output_path, grid.token_width, end_row - first_row, dim, job.embedding_dtype,
                           sub_geotransform(token_gt, 0, first_row), source.crs_wkt, nodata=float("nan"),
                           descriptions=[f"embedding {i + 1}" for i in range(dim)], metadata=metadata,
                           block=64 if dim > 16 else 256) as writer:
            run = run_windows(source, Normalizer(stats), backend, grid,
                              lambda values, y: writer.write_rows(values, y - first_row), batch_size=job.batch_size,
                              progress=progress, cancel=cancel, workers=reader_threads,
                              progress_range=(lo + 0.05 * (hi - lo), hi), path=window_path,
                              out_dtype=job.embedding_dtype, more_backends=backends[1:],
                              min_valid_share=float(getattr(job, "min_valid_share", 0.0)), scaler=scaler,
                              rows=rows)
            if run.windows == 0 and rows is None:  # a row block may be all nodata: the stitch checks the scene
                raise RasterError(f"Every window of {source.label} is nodata in the processed area; "
                                  "nothing to embed. Check the nodata value, the mask or the extent.")
            run.extra["device"] = ",".join(str(getattr(b, "device", job.device)) for b in backends)
            run.extra["scale"] = factor
            if rows is not None:
                run.extra["rows"] = [first_row, end_row]
            run.extra["model"], run.extra["weights"] = str(model_id), metadata["SMARTIES_MODEL_WEIGHTS"]
            run.extra["statistics"] = summary
            writer.set_metadata({"SMARTIES_WINDOWS": str(run.extra["windows_from_rows"])})
            path = writer.commit()
        notes = list(bands.notes)
        if grid_w < job.window or grid_h < job.window:
            notes.append(f"the processed area ({grid_w}x{grid_h} px) is smaller than one "
                         f"{job.window} px window: the model saw it once, filled out by mirroring its edges")
        return EmbeddingInfo(path, grid.token_width, grid.token_height, tuple(token_gt), source.crs_wkt, dim,
                             source.width, source.height, tuple(source.geotransform), list(bands.decisions),
                             list(bands.band_indices), table, [s.to_dict() for s in stats], notes,
                             run.to_dict(), source.label,
                             source.source_args() if source.may_have_nodata else {})
    finally:
        source.close()


def resample_to_input(token_path: str, final_path: str, info: EmbeddingInfo, categorical: bool = False) -> str:
    """Resample a token-grid product onto the processed input grid (bilinear, or nearest for classes)."""
    tmp = temp_name(final_path)
    xmin = info.input_geotransform[0]
    ymax = info.input_geotransform[3]
    xmax = xmin + info.input_geotransform[1] * info.input_width
    ymin = ymax + info.input_geotransform[5] * info.input_height
    opts = ["TILED=YES", "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER"]
    src = gdal.Open(token_path)
    if src.GetRasterBand(1).GetMetadataItem("NBITS", "IMAGE_STRUCTURE") == "16":
        opts.append("NBITS=16")  # keep float16 embeddings half precision on disk
    if src.RasterCount > 3:
        opts.append("INTERLEAVE=BAND")
    src = None
    try:
        gdal.Warp(tmp, token_path, format="GTiff", width=info.input_width, height=info.input_height,
                  outputBounds=(min(xmin, xmax), min(ymin, ymax), max(xmin, xmax), max(ymin, ymax)),
                  resampleAlg="near" if categorical else "bilinear", creationOptions=opts)
    except RuntimeError as exc:
        remove_quietly(tmp)
        raise RasterError(f"Cannot resample {token_path} to the input grid: {exc}") from None
    try:
        if info.source_args:
            _mask_input_nodata(tmp, info)
        if categorical:  # last: an update-mode open rewrites the .aux.xml from what it loaded
            _copy_categories(token_path, tmp)
    except BaseException:
        remove_quietly(tmp)
        raise
    commit_file(tmp, final_path)
    return final_path


def _copy_categories(token_path: str, path: str) -> None:
    """Carry class names and colours over to the resampled map (gdal.Warp drops category names)."""
    src = gdal.Open(token_path)
    # GDAL 3.6 GeoTIFF: GetCategoryNames() may miss the .aux.xml names; gdal.Info reads them
    listed = [band.get("categories") for band in gdal.Info(src, format="json").get("bands", [])]
    dst = gdal.Open(path, gdal.GA_Update)
    for b in range(1, src.RasterCount + 1):
        sband, dband = src.GetRasterBand(b), dst.GetRasterBand(b)
        # description first: setting it later rewrites the GeoTIFF tags and drops the names
        if sband.GetDescription():
            dband.SetDescription(sband.GetDescription())
        table = sband.GetColorTable()
        if table is not None and dband.GetColorTable() is None:
            dband.SetColorTable(table)
        names = listed[b - 1] if b <= len(listed) else None
        if names:
            dband.SetCategoryNames(list(names))
        sband = dband = None
    dst.FlushCache()
    dst = src = None


def _mask_input_nodata(path: str, info: EmbeddingInfo, rows: int = 256) -> None:
    """Give a resampled product an internal mask: invalid where the input pixel was nodata.

    Token values are spread over all 16x16 pixels by the resampling; the mask brings the input's
    own nodata back at full resolution (nodata in -> nodata out) without rewriting the data.
    """
    gdal.SetThreadLocalConfigOption("GDAL_TIFF_INTERNAL_MASK", "YES")
    try:
        ds = gdal.Open(path, gdal.GA_Update)
        band = ds.GetRasterBand(1)
        nodata = band.GetNoDataValue()
        ds.CreateMaskBand(gdal.GMF_PER_DATASET)
        mask = band.GetMaskBand()
        with RasterSource(**info.source_args) as src:
            for y in range(0, src.height, rows):
                n = min(rows, src.height - y)
                _, valid = src.read(0, y, src.width, n)
                values = band.ReadAsArray(0, y, src.width, n)
                if nodata is not None:
                    valid &= ~(np.isnan(values) if np.isnan(nodata) else values == nodata)
                mask.WriteArray(valid.astype(np.uint8) * 255, 0, y)
        ds.FlushCache()
        ds = None
    finally:
        gdal.SetThreadLocalConfigOption("GDAL_TIFF_INTERNAL_MASK", None)


def companion_path(output: str, suffix: str) -> str:
    """`out.tif` + "embeddings" -> `out_embeddings.tif` (files that go with a product)."""
    stem, ext = os.path.splitext(output)
    return f"{stem}_{suffix}{ext or '.tif'}"


def _embed(job: JobSpec, path: str, progress, cancel, progress_range) -> EmbeddingInfo:
    from .fusion import embed_group  # several inputs: fused per job.fusion

    return embed_group(job, 0, path, progress, cancel, progress_range)


def run_embeddings(job: JobSpec, progress, cancel) -> JobResult:
    """Product 'embeddings': the embeddings raster at token resolution (or the input grid)."""
    if job.at_input_resolution:
        tmp = temp_name(job.output)
        try:
            info = _embed(job, tmp, progress, cancel, (0.0, 0.9))
            progress(0.9, "resampling to the input grid")
            resample_to_input(info.path, job.output, info)
        finally:
            remove_quietly(tmp)
    else:
        tmp = temp_name(job.output)
        try:
            info = _embed(job, tmp, progress, cancel, (0.0, 1.0))
            commit_token_output(tmp, job.output, info.input_geotransform, info.input_width, info.input_height,
                                tokens=(info.width, info.height))
        finally:
            remove_quietly(tmp)
    return JobResult({"embeddings": os.path.abspath(job.output)}, report_for(info))


def report_for(info: EmbeddingInfo) -> dict:
    """The report section describing one embeddings run."""
    return {"input": info.input_label, "token_grid": [info.width, info.height], "embed_dim": info.embed_dim,
            "bands": info.band_table, "notes": info.notes, "normalization": info.normalization,
            "statistics": info.run.get("statistics", ""), "scale": info.run.get("scale", 1.0), "run": info.run}
