"""Similarity: cosine similarity of every token to the reference points/areas.

Mode "mean" compares to one reference (the mean embedding of all references); mode "max" keeps,
for every token, its best match over the references, so each clicked place stands out on its own.
"""
from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np
from osgeo import gdal

from ..errors import JobError
from ..raster.writer import GeoTiffWriter
from .embeddings import EmbeddingInfo
from .tokens import iter_token_rows, l2_normalize

gdal.UseExceptions()


def reference_token_cells(info: EmbeddingInfo, points: Sequence[tuple[float, float]] = (),
                          crs: Optional[str] = None, vector: Optional[str] = None) -> list[tuple[int, int]]:
    """(row, col) cells of the token grid under the reference points and/or vector features."""
    cells: list[tuple[int, int]] = []
    outside = []
    if points:
        from ..vector import points_to_pixels

        for i, (r, c) in enumerate(points_to_pixels(list(points), crs, info.geotransform, info.crs_wkt)):
            ri, ci = int(math.floor(r)), int(math.floor(c))
            if 0 <= ri < info.height and 0 <= ci < info.width:
                cells.append((ri, ci))
            else:
                outside.append(points[i])
        if outside and not cells:
            raise JobError(f"None of the reference points {outside[:5]} lies inside the processed raster "
                           f"({info.input_label}). Check the point CRS (--crs) and the coordinates.")
    if vector:
        from ..vector import rasterize_labels

        labels, _ = rasterize_labels(vector, info.width, info.height, info.geotransform, info.crs_wkt, None)
        rows, cols = np.nonzero(labels >= 0)
        cells += list(zip(rows.tolist(), cols.tolist()))
    if not cells:
        raise JobError("No reference point or feature falls on the processed raster; nothing to compare to.")
    return sorted(set(cells))


MAX_REFERENCES = 4096  # "max" mode: enough for large polygons, one matrix product per token row


def reference_vectors(info: EmbeddingInfo, cells: Sequence[tuple[int, int]]) -> np.ndarray:
    """Unit-length embeddings [N, D] at the given token cells (nodata cells ignored)."""
    ds = gdal.Open(info.path)
    vecs = []
    for r, c in cells:
        v = ds.ReadAsArray(c, r, 1, 1).reshape(-1).astype(np.float32)
        if np.isfinite(v).all():
            vecs.append(v)
    if not vecs:
        raise JobError("Every reference point falls on nodata; choose points on valid data.")
    return l2_normalize(np.stack(vecs))


def reference_embedding(info: EmbeddingInfo, cells: Sequence[tuple[int, int]]) -> np.ndarray:
    """Mean of the unit-length embeddings at the given token cells (nodata cells ignored)."""
    return l2_normalize(np.mean(reference_vectors(info, cells), axis=0))


def write_similarity(info: EmbeddingInfo, out_path: str, points=(), crs=None, vector=None, progress=None,
                     cancel=None, mode: str = "mean") -> dict:
    """Write float32 cosine similarity in [-1, 1] to the references (NaN = nodata).

    mode "mean": to the mean reference embedding; "max": the highest similarity to any reference.
    """
    if mode not in ("mean", "max"):
        raise JobError(f"Similarity mode '{mode}' is not 'mean' or 'max'.")
    cells = reference_token_cells(info, points, crs, vector)
    if mode == "max":
        refs = reference_vectors(info, cells)
        if len(refs) > MAX_REFERENCES:
            refs = refs[np.linspace(0, len(refs) - 1, MAX_REFERENCES).astype(int)]
        ref = refs.T  # [D, N]
    else:
        ref = reference_embedding(info, cells)[:, None]  # [D, 1]
    meta = {"SMARTIES_PRODUCT": "similarity", "SMARTIES_REFERENCE_TOKENS": str(len(cells)),
            "SMARTIES_SIMILARITY_MODE": mode, "SMARTIES_BANDS": info.band_table}
    with GeoTiffWriter(out_path, info.width, info.height, 1, "float32", info.geotransform, info.crs_wkt,
                       nodata=float("nan"), descriptions=["cosine similarity"], metadata=meta) as w:
        for y, tokens, valid in iter_token_rows(info.path, cancel=cancel):
            out = np.full(valid.shape, np.nan, np.float32)
            out[valid] = np.clip((l2_normalize(tokens[valid]) @ ref).max(axis=1), -1, 1)
            w.write_rows(out[None], y)
        w.commit()
    return {"reference_tokens": len(cells), "mode": mode}
