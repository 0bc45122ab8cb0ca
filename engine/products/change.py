"""Change: cosine distance between the embeddings of two co-registered rasters (any two sensors)."""
from __future__ import annotations

import numpy as np
from osgeo import gdal

from ..errors import RasterError
from ..raster.grid import same_grid
from ..raster.writer import GeoTiffWriter
from .embeddings import EmbeddingInfo
from .tokens import iter_token_rows, l2_normalize

gdal.UseExceptions()


def check_same_grid(a, b) -> None:
    """RasterError explaining how to fix it when two sources are not on the same grid."""
    why = same_grid(a.geotransform, (a.width, a.height), a.crs_wkt, b.geotransform, (b.width, b.height), b.crs_wkt)
    if why:
        raise RasterError(f"The rasters for change detection are not on the same grid: {why}. "
                          f"Before: {a.label}; after: {b.label}. Resample one onto the other's grid first "
                          "(e.g. gdalwarp -te xmin ymin xmax ymax -ts width height -t_srs EPSG:... or QGIS "
                          "Raster > Align Rasters), or set a common --resolution and --extent.")


def write_change(before: EmbeddingInfo, after: EmbeddingInfo, out_path: str, cancel=None) -> dict:
    """Write float32 cosine distance 1 - cos(before, after) in [0, 2] per token (NaN = nodata)."""
    if (before.width, before.height) != (after.width, after.height):
        raise RasterError("Internal error: the two embeddings rasters have different token grids.")
    meta = {"SMARTIES_PRODUCT": "change", "SMARTIES_BANDS_BEFORE": before.band_table,
            "SMARTIES_BANDS_AFTER": after.band_table}
    total, changed_sum = 0, 0.0
    with GeoTiffWriter(out_path, before.width, before.height, 1, "float32", before.geotransform, before.crs_wkt,
                       nodata=float("nan"), descriptions=["cosine distance"], metadata=meta) as w:
        for (y, ta, va), (_, tb, vb) in zip(iter_token_rows(before.path, cancel=cancel), iter_token_rows(after.path)):
            ok = va & vb
            out = np.full(ok.shape, np.nan, np.float32)
            out[ok] = 1.0 - np.clip((l2_normalize(ta[ok]) * l2_normalize(tb[ok])).sum(-1), -1, 1)
            total += int(ok.sum())
            changed_sum += float(out[ok].sum())
            w.write_rows(out[None], y)
        w.commit()
    return {"valid_tokens": total, "mean_distance": changed_sum / total if total else None}
