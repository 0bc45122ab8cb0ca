"""Putting one raster onto another's grid with GDAL warp (a virtual raster: no pixels are copied).

Used by time series (every date onto the first date's grid) and usable wherever two rasters must
share a grid (change between different grids). Band descriptions, nodata and metadata follow the
source, so band identification works on the aligned raster as on the file.
"""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Optional

from osgeo import gdal

from ..errors import RasterError
from .grid import bounds, same_grid, srs_from_wkt

WARPED_FROM = "SMARTIES_WARPED_FROM"  # metadata item of a warped VRT: the original file

gdal.UseExceptions()


@dataclass(frozen=True)
class Grid:
    """Pixel grid of a raster: size, geotransform and CRS (WKT)."""

    width: int
    height: int
    geotransform: tuple
    crs_wkt: str

    def differs_from(self, other: "Grid") -> str:
        """'' when both grids are the same, else why not (one phrase)."""
        return same_grid(self.geotransform, (self.width, self.height), self.crs_wkt,
                         other.geotransform, (other.width, other.height), other.crs_wkt) or ""


def _open_georeferenced(path: str, what: str):
    """(dataset, geotransform) of a raster; RasterError naming the file when GDAL cannot open it or it
    has no georeference (`what` ends the sentence: why a georeference is needed)."""
    try:
        ds = gdal.Open(path)
    except RuntimeError as exc:
        raise RasterError(f"GDAL cannot open {path}: {exc}. Check the file.") from None
    gt = ds.GetGeoTransform(can_return_null=True)
    if gt is None:
        raise RasterError(f"{path} has no georeference, so it {what}")
    return ds, tuple(gt)


def grid_of(path: str) -> Grid:
    """The grid of a raster file."""
    ds, gt = _open_georeferenced(path, "cannot be aligned with the other rasters; georeference it first "
                                       "(QGIS Georeferencer or gdal_translate -a_ullr -a_srs).")
    return Grid(ds.RasterXSize, ds.RasterYSize, gt, ds.GetProjection() or "")


def _resampling(src_gt: tuple, dst_gt: tuple, requested: str) -> str:
    if requested != "auto":
        return requested
    ratio = abs(dst_gt[1]) / max(abs(src_gt[1]), 1e-12)
    if abs(ratio - 1.0) < 0.01:
        return "near"  # same pixel size: only a shift, keep the original values
    return "average" if ratio > 1.0 else "bilinear"


def warp_onto(path: str, grid: Grid, resampling: str = "auto", dst: Optional[str] = None) -> str:
    """A VRT of `path` resampled onto `grid` (in /vsimem unless `dst` is given); returns its name.

    resampling: auto (nearest for equal pixel sizes, average when the grid is coarser, bilinear when
    finer) or any gdalwarp method name. Pixels outside the source are nodata (the source's nodata
    value, NaN for float rasters without one, else 0).
    """
    src, src_gt = _open_georeferenced(path, "cannot be put on another raster's grid.")
    if srs_from_wkt(src.GetProjection() or "") is None or srs_from_wkt(grid.crs_wkt) is None:
        if (src.GetProjection() or "") != grid.crs_wkt:
            raise RasterError(f"{path} or the reference raster has no coordinate system; assign one "
                              "(gdal_edit -a_srs EPSG:...) before aligning them.")
    band = src.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    if nodata is None:
        nodata = float("nan") if gdal.GetDataTypeName(band.DataType).startswith(("Float", "CFloat")) else 0.0
    xmin, ymin, xmax, ymax = bounds(grid.geotransform, grid.width, grid.height)
    name = dst or f"/vsimem/smarties_align_{uuid.uuid4().hex}.vrt"
    try:
        out = gdal.Warp(name, src, format="VRT", dstSRS=grid.crs_wkt or None, outputBounds=(xmin, ymin, xmax, ymax),
                        width=grid.width, height=grid.height, dstNodata=nodata,
                        resampleAlg=_resampling(src_gt, grid.geotransform, resampling))
    except RuntimeError as exc:
        raise RasterError(f"Cannot warp {path} onto the reference grid: {exc}") from None
    if out is None:
        raise RasterError(f"Cannot warp {path} onto the reference grid.")
    # the file the pixels come from: unit conversions look for its MTL / processing baseline there
    out.SetMetadataItem(WARPED_FROM, os.path.abspath(path) if os.path.exists(path) else path)
    for i in range(1, src.RasterCount + 1):
        desc = src.GetRasterBand(i).GetDescription()
        if desc and not out.GetRasterBand(i).GetDescription():
            out.GetRasterBand(i).SetDescription(desc)
    out.FlushCache()
    out = None
    return name


def overlap_fraction(path: str, grid: Grid) -> float:
    """Share of `grid`'s area that `path` covers (0 when they do not overlap; CRS differences handled)."""
    from .grid import transform_extent

    g = grid_of(path)
    ext = bounds(g.geotransform, g.width, g.height)
    a, b = srs_from_wkt(g.crs_wkt), srs_from_wkt(grid.crs_wkt)
    if a is not None and b is not None and not a.IsSame(b):
        ext = transform_extent(ext, a, b)
    ref = bounds(grid.geotransform, grid.width, grid.height)
    w = max(0.0, min(ext[2], ref[2]) - max(ext[0], ref[0]))
    h = max(0.0, min(ext[3], ref[3]) - max(ext[1], ref[1]))
    area = (ref[2] - ref[0]) * (ref[3] - ref[1])
    return w * h / area if area > 0 else 0.0


def release(name: str) -> None:
    """Free a /vsimem VRT made by warp_onto (files on disk are left alone)."""
    if name.startswith("/vsimem/"):
        try:
            gdal.Unlink(name)
        except RuntimeError:
            pass
