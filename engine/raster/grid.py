"""Grid geometry: geotransforms, CRS parsing, extent -> pixel window, grid comparison."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

from osgeo import osr

from ..errors import RasterError

osr.UseExceptions()


@dataclass(frozen=True)
class PixelWindow:
    """A rectangle of pixels: column/row offset and size."""

    xoff: int
    yoff: int
    width: int
    height: int

    def __str__(self) -> str:
        return f"x={self.xoff}, y={self.yoff}, {self.width}x{self.height} px"


def srs_from_user(text: str, what: str = "coordinate reference system",
                  error: type = RasterError) -> osr.SpatialReference:
    """Parse 'EPSG:4326', a WKT or a PROJ string into an axis-order-safe SpatialReference; `error`
    (RasterError, VectorError, ...) names `what` was given when it cannot be parsed."""
    srs = osr.SpatialReference()
    try:
        srs.SetFromUserInput(str(text))
    except Exception as exc:  # osr raises RuntimeError with a terse message
        raise error(f"The {what} '{str(text)[:80]}' is not a valid coordinate reference system ({exc}). "
                    "Use an EPSG code such as EPSG:4326 or a WKT string.") from None
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)  # always x=easting/lon, y=northing/lat
    return srs


def srs_from_wkt(wkt: str) -> Optional[osr.SpatialReference]:
    """SpatialReference for a dataset WKT (None when the raster has no CRS)."""
    if not wkt:
        return None
    srs = osr.SpatialReference()
    srs.ImportFromWkt(wkt)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def transform_points(points: Sequence[tuple[float, float]], src: osr.SpatialReference,
                     dst: osr.SpatialReference) -> list[tuple[float, float]]:
    """Transform (x, y) points between two CRSs (GIS axis order)."""
    if src.IsSame(dst):
        return [(float(x), float(y)) for x, y in points]
    ct = osr.CoordinateTransformation(src, dst)
    return [tuple(ct.TransformPoint(float(x), float(y))[:2]) for x, y in points]


def transform_extent(extent: tuple[float, float, float, float], src: osr.SpatialReference,
                     dst: osr.SpatialReference) -> tuple[float, float, float, float]:
    """Bounding box of an extent after transformation (edges densified so curved edges fit)."""
    xmin, ymin, xmax, ymax = extent
    n = 21
    pts = []
    for i in range(n):
        t = i / (n - 1)
        x = xmin + t * (xmax - xmin)
        y = ymin + t * (ymax - ymin)
        pts += [(x, ymin), (x, ymax), (xmin, y), (xmax, y)]
    out = [p for p in transform_points(pts, src, dst) if all(math.isfinite(v) for v in p)]
    if not out:
        raise RasterError("The extent cannot be transformed into the raster's coordinate system; "
                          "check the extent CRS.")
    xs, ys = zip(*out)
    return min(xs), min(ys), max(xs), max(ys)


def extent_to_window(extent: tuple[float, float, float, float], gt: Sequence[float], width: int,
                     height: int, path: str = "") -> PixelWindow:
    """Pixel window (snapped outward, clipped to the raster) covering a map extent in raster CRS."""
    if gt[2] or gt[4]:
        raise RasterError(f"{path}: rotated rasters cannot be clipped to an extent; warp the raster "
                          "to a north-up grid first (gdalwarp) or leave the extent empty.")
    xmin, ymin, xmax, ymax = extent
    cols = sorted(((xmin - gt[0]) / gt[1], (xmax - gt[0]) / gt[1]))
    rows = sorted(((ymax - gt[3]) / gt[5], (ymin - gt[3]) / gt[5]))
    c0 = max(0, int(math.floor(cols[0] + 1e-9)))
    c1 = min(width, int(math.ceil(cols[1] - 1e-9)))
    r0 = max(0, int(math.floor(rows[0] + 1e-9)))
    r1 = min(height, int(math.ceil(rows[1] - 1e-9)))
    if c1 <= c0 or r1 <= r0:
        raise RasterError(f"The extent {tuple(round(v, 6) for v in extent)} does not overlap the raster "
                          f"{path} (bounds {bounds(gt, width, height)}). Choose an extent inside the "
                          "raster or leave it empty to process the whole raster.")
    return PixelWindow(c0, r0, c1 - c0, r1 - r0)


def bounds(gt: Sequence[float], width: int, height: int) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of a north-up grid."""
    x0, x1 = gt[0], gt[0] + gt[1] * width
    y0, y1 = gt[3], gt[3] + gt[5] * height
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def sub_geotransform(gt: Sequence[float], xoff: float, yoff: float, scale: float = 1.0) -> tuple:
    """Geotransform of a sub-grid starting at pixel (xoff, yoff) with pixels `scale` times larger."""
    return (gt[0] + xoff * gt[1] + yoff * gt[2], gt[1] * scale, gt[2] * scale,
            gt[3] + xoff * gt[4] + yoff * gt[5], gt[4] * scale, gt[5] * scale)


def same_grid(gt_a: Sequence[float], size_a: tuple[int, int], wkt_a: str, gt_b: Sequence[float],
              size_b: tuple[int, int], wkt_b: str) -> Optional[str]:
    """None when two grids match; otherwise a sentence saying how they differ."""
    if size_a != size_b:
        return f"sizes differ ({size_a[0]}x{size_a[1]} vs {size_b[0]}x{size_b[1]} px)"
    sa, sb = srs_from_wkt(wkt_a), srs_from_wkt(wkt_b)
    if (sa is None) != (sb is None) or (sa is not None and not sa.IsSame(sb)):
        return "coordinate reference systems differ"
    tol = 1e-6 * max(abs(gt_a[1]), abs(gt_a[5]), 1e-12) * 100
    if any(abs(a - b) > tol for a, b in zip(gt_a, gt_b)):
        return f"geotransforms differ ({tuple(gt_a)} vs {tuple(gt_b)})"
    return None
