"""Cloud/quality masks of a time series: a band of each date (e.g. Fmask) whose listed values mark
pixels to leave out. A token whose share of masked pixels leaves less than the job's minimum
valid share is nodata on that date, so clouds and shadows do not enter the seasonal embedding or
the change profile. Spelled `BAND=V1,V2,...`: `fmask=2,3,4` (band description) or `4=2,3,4` (number).
"""
from __future__ import annotations

import uuid
import numpy as np
from osgeo import gdal

from ..errors import JobError, RasterError
from ..raster.io import RasterSource
from ..series import parse_mask  # noqa: F401  (re-exported: the mask syntax lives with the dates)

gdal.UseExceptions()


def _band_index(source: RasterSource, band: str, label: str) -> int:
    if band.isdigit():
        i = int(band) - 1
        if not 0 <= i < source.total_bands:
            raise JobError(f"Mask band {band} does not exist in {label} ({source.total_bands} bands).")
        return i
    ds = gdal.Open(source._name)  # noqa: SLF001 - the stacked/warped dataset the source reads
    names = [(ds.GetRasterBand(i + 1).GetDescription() or "") for i in range(ds.RasterCount)]
    for i, n in enumerate(names):
        if n.lower() == band.lower():
            return i
    raise JobError(f"Mask band '{band}' is not a band of {label} (its bands: {', '.join(n or '?' for n in names)}); "
                   "give its name or number.")


def check_mask_band(paths: list, band: str, label: str) -> int:
    """0-based index of the mask band in `paths`; JobError naming the file when it is not there."""
    probe = RasterSource(paths)
    try:
        return _band_index(probe, band, label)
    finally:
        probe.close()


def masked_share(paths: list, band: str, values: list[float], job, info, label: str) -> np.ndarray:
    """Share of masked pixels in every token of `info`'s token grid ([height, width], 0..1)."""
    index = check_mask_band(paths, band, label)
    name = f"/vsimem/smarties_mask_{uuid.uuid4().hex}.tif"
    out = f"/vsimem/smarties_mask_{uuid.uuid4().hex}_tokens.tif"
    wanted = np.asarray(values, np.float32)
    src = RasterSource(paths, [index], extent=job.extent, extent_crs=job.extent_crs, resolution=job.resolution)
    try:
        ds = gdal.GetDriverByName("GTiff").Create(name, src.width, src.height, 1, gdal.GDT_Byte,
                                                  ["TILED=YES", "COMPRESS=DEFLATE"])
        ds.SetGeoTransform(src.geotransform)
        ds.SetProjection(src.crs_wkt)
        for y in range(0, src.height, 1024):  # strips: a whole tile's mask never sits in memory
            n = min(1024, src.height - y)
            data, _ = src.read(0, y, src.width, n)
            ds.GetRasterBand(1).WriteArray(np.isin(data[0], wanted).astype(np.uint8), 0, y)
        ds = None
    finally:
        src.close()
    try:
        x0, y0 = info.geotransform[0], info.geotransform[3]
        x1 = x0 + info.geotransform[1] * info.width
        y1 = y0 + info.geotransform[5] * info.height
        tok = gdal.Warp(out, name, format="GTiff", width=info.width, height=info.height,
                        outputBounds=(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), resampleAlg="average",
                        outputType=gdal.GDT_Float32, dstNodata=-1)
        share = tok.ReadAsArray().astype(np.float32)
        tok = None
    except RuntimeError as exc:
        raise RasterError(f"Cannot read the mask band of {label}: {exc}") from None
    finally:
        for n in (name, out):
            try:
                gdal.Unlink(n)
            except RuntimeError:
                pass
    return np.where(share < 0, 1.0, share)


def apply_mask(emb_path: str, share: np.ndarray, min_valid_share: float) -> int:
    """Set to nodata (NaN) the tokens of an embeddings file whose valid share is below the minimum."""
    drop = (1.0 - share) < max(float(min_valid_share), 1e-6)
    if not drop.any():
        return 0
    ds = gdal.Open(emb_path, gdal.GA_Update)
    for b in range(1, ds.RasterCount + 1):
        band = ds.GetRasterBand(b)
        arr = band.ReadAsArray()
        arr[drop] = np.nan
        band.WriteArray(arr)
    ds.FlushCache()
    ds = None
    return int(drop.sum())
