"""The grid a product is written on: the input's pixels (maps) or one pixel per 16x16 token.

Token-grid outputs end where the input ends: the token grid covers whole 16 px patches (a 120 px
wide input has 8 tokens = 128 px), so its pixel size is stretched to input extent / tokens (150 m
instead of 160 m for a 10 m input) rather than overrunning the east/south edge by the padding.
"""
from __future__ import annotations

import math
from typing import Optional, Sequence

from osgeo import gdal

from ..errors import RasterError
from ..raster.writer import commit_file, remove_quietly

gdal.UseExceptions()

PATCH = 16
# Below 2x2 patches a map has one or two values: PCA, clusters and similarity mean nothing there.
MIN_SIDE_PX = 2 * PATCH


def check_input_size(width: int, height: int, label: str, patch: int = PATCH) -> None:
    """RasterError when the processed area is too small for the model to say anything about it."""
    side = 2 * patch
    if width < side or height < side:
        raise RasterError(f"{label} is {width}x{height} px in the processed area; SMARTIES reads 16x16 px "
                          f"patches and needs at least {side}x{side} px (2x2 patches) to make a map. Choose a "
                          "larger extent or a larger raster.")


def token_grid_size(width: int, height: int, patch: int = PATCH) -> tuple[int, int]:
    """Number of token columns and rows over a width x height px input."""
    return -(-width // patch), -(-height // patch)


def clipped_token_geotransform(input_gt: Sequence[float], width: int, height: int, patch: int = PATCH,
                               tokens: Optional[tuple[int, int]] = None) -> tuple:
    """Geotransform of the token grid stretched so it covers exactly the input's extent.

    `tokens`: the token grid's (columns, rows) when it is not one token per 16 input pixels (a
    model scale other than x1 makes it finer, engine.inference.scale)."""
    tw, th = tokens or token_grid_size(width, height, patch)
    sx, sy = width / tw, height / th  # input pixels per output pixel (16 when sizes are multiples of 16)
    g = input_gt
    return (g[0], g[1] * sx, g[2] * sy, g[3], g[4] * sx, g[5] * sy)


def describe_output(width: int, height: int, pixel_size: float, at_input_resolution: bool, window: int,
                    units: str = "", patch: int = PATCH) -> str:
    """One plain sentence: what grid the result will have and how the model sees the area."""
    unit = f" {units}" if units else ""
    tw, th = token_grid_size(width, height, patch)
    if at_input_resolution:
        text = (f"Result: {width} x {height} px at {_num(pixel_size)}{unit} (the input grid), from "
                f"{tw} x {th} patches of {patch} px.")
    else:
        size = pixel_size * (width / tw)
        text = f"Result: {tw} x {th} px at {_num(size)}{unit} (one pixel per {patch} x {patch} input pixels)."
    if width < window or height < window:
        text += (f" The area is smaller than one {window} px window: the model sees it once, filled out by "
                 "mirroring its edges.")
    return text


def _num(value: float) -> str:
    value = abs(float(value))
    if value == 0 or not math.isfinite(value):
        return str(value)
    return f"{value:.6g}" if value >= 0.01 else f"{value:.3g}"


def commit_token_output(tmp: str, final: str, input_gt: Sequence[float], width: int, height: int,
                        patch: int = PATCH, tokens: Optional[tuple[int, int]] = None) -> str:
    """Give a finished token-grid file the input-clipped geotransform and move it onto `final`."""
    try:
        clip_token_file(tmp, input_gt, width, height, patch, tokens, label=final)
    except RasterError:
        remove_quietly(tmp)
        raise
    commit_file(tmp, final)
    return final


def clip_token_file(path: str, input_gt: Sequence[float], width: int, height: int, patch: int = PATCH,
                    tokens: Optional[tuple[int, int]] = None, label: Optional[str] = None) -> None:
    """Set a token-grid file's input-clipped geotransform in place, and read it back (setting it once
    more if needed): a georeference lost on the way is a RasterError naming `label`, never a raster
    silently left on the padded grid."""
    gt = clipped_token_geotransform(input_gt, width, height, patch, tokens)
    label = label or path
    try:
        for _ in range(2):
            ds = gdal.Open(path, gdal.GA_Update)
            if not _same_geotransform(ds.GetGeoTransform(), gt):
                ds.SetGeoTransform(gt)
                ds.FlushCache()
            ds = None
            ds = gdal.Open(path)
            written = ds.GetGeoTransform()
            ds = None
            if _same_geotransform(written, gt):
                return
    except RuntimeError as exc:
        raise RasterError(f"Cannot finish {label}: {exc}") from None
    raise RasterError(f"Cannot finish {label}: its georeference was not written (got {tuple(written)}, "
                      f"expected {tuple(gt)}). Run the job again; if it repeats, report it.")


def _same_geotransform(a: Sequence[float], b: Sequence[float]) -> bool:
    return all(math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-9) for x, y in zip(a, b))
