"""Embeddings rasters written by the engine, used again as the input of a product (no recomputation).

A file is recognised by its metadata: SMARTIES_PRODUCT=embeddings with the model id, the weights
fingerprint and the band table. PCA, clusters, similarity, change and classification (training a
head or applying a saved one) then read it directly: no wavelength questions, no model run. The
Processing algorithms and the graphical modeler use the same path (an embeddings layer as INPUT).
"""
from __future__ import annotations

import json
import os
from typing import Optional

from osgeo import gdal

from ..errors import JobError

gdal.UseExceptions()


def _json(value, default):
    try:
        return json.loads(value) if value else default
    except (TypeError, ValueError):
        return default


def embeddings_metadata(path: str) -> Optional[dict]:
    """The SMARTIES_* metadata of an engine embeddings raster, or None for any other file."""
    path = str(path).split("|", 1)[0]
    if not os.path.isfile(path) or not path.lower().endswith((".tif", ".tiff", ".vrt")):
        return None
    try:
        ds = gdal.Open(path)
    except RuntimeError:
        return None
    if ds is None:
        return None
    meta = ds.GetMetadata() or {}
    if meta.get("SMARTIES_PRODUCT") != "embeddings" or not meta.get("SMARTIES_MODEL"):
        return None
    return meta


def is_embeddings_raster(path: str) -> bool:
    """True for an embeddings raster the engine wrote (recognised by its metadata)."""
    return embeddings_metadata(path) is not None


def embeddings_input(job, index: int) -> Optional[str]:
    """The path of job.inputs[index] when it is one engine embeddings raster, else None."""
    if not 0 <= index < len(job.inputs):
        return None
    paths = job.inputs[index].paths
    if len(paths) != 1 or not is_embeddings_raster(paths[0]):
        return None
    if job.product == "embeddings":
        raise JobError(f"{paths[0]} is already an embeddings raster (model "
                       f"{embeddings_metadata(paths[0]).get('SMARTIES_MODEL')}); use it directly as the input of "
                       "PCA, clusters, similarity, change or classification.")
    features = getattr(job, "classify_features", "embeddings")
    if job.product == "classify" and features != "embeddings":
        raise JobError(f"{paths[0]} is an embeddings raster, but classification with features '{features}' also "
                       "needs the image's band values; give the image as input, or use features 'embeddings'.")
    return paths[0]


def info_from_file(path: str):
    """EmbeddingInfo of an existing embeddings raster (its token grid, input grid, bands, statistics)."""
    from .embeddings import EmbeddingInfo

    ds = gdal.Open(path)
    meta = ds.GetMetadata() or {}
    gt = tuple(ds.GetGeoTransform())
    width, height, dim = ds.RasterXSize, ds.RasterYSize, ds.RasterCount
    grid = _json(meta.get("SMARTIES_INPUT_GRID"), None)
    if grid:
        in_w, in_h, in_gt = int(grid["width"]), int(grid["height"]), tuple(grid["geotransform"])
    else:  # files of earlier versions: one token = 16 x 16 input pixels
        in_gt = (gt[0], gt[1] / 16, gt[2], gt[3], gt[4], gt[5] / 16)
        in_w, in_h = width * 16, height * 16
    table = _json(meta.get("SMARTIES_BANDS"), [])
    note = (f"embeddings reused from {path} (model {meta.get('SMARTIES_MODEL')}, weights "
            f"{meta.get('SMARTIES_MODEL_WEIGHTS') or 'unknown'}); the model, band and tiling settings of this "
            "job were not used")
    run = {"windows": 0, "reused": os.path.abspath(path), "statistics": meta.get("SMARTIES_STATISTICS", ""),
           "model": meta.get("SMARTIES_MODEL", ""), "weights": meta.get("SMARTIES_MODEL_WEIGHTS", "")}
    try:
        run["scale"] = float(meta.get("SMARTIES_SCALE") or 1.0)
    except ValueError:
        run["scale"] = 1.0
    return EmbeddingInfo(os.path.abspath(path), width, height, gt, ds.GetProjection() or "", dim, in_w, in_h, in_gt,
                         [], [int(r.get("band", 0)) - 1 for r in table], table,
                         _json(meta.get("SMARTIES_NORMALIZATION"), []), [note], run,
                         meta.get("SMARTIES_INPUT", path), {})


def reused_info(job, index: int):
    """EmbeddingInfo of job.inputs[index] when it is an embeddings raster (None otherwise)."""
    path = embeddings_input(job, index)
    return info_from_file(path) if path else None


def band_table_of(path: str) -> tuple[str, list]:
    """(input label, band table) recorded in an embeddings raster."""
    meta = embeddings_metadata(path) or {}
    return meta.get("SMARTIES_INPUT", path), _json(meta.get("SMARTIES_BANDS"), [])


def model_of(path: str) -> tuple[str, str]:
    """(model id, weights fingerprint) recorded in an embeddings raster."""
    meta = embeddings_metadata(path) or {}
    return meta.get("SMARTIES_MODEL", ""), meta.get("SMARTIES_MODEL_WEIGHTS", "")
