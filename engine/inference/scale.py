"""Model scale: upsample normalised windows the way the reference feeds its encoder.

The reference normalises each patch, then resizes it to the model's 224 px input with a cubic
spline (skimage ``rescale(order=3)``: spline prefilter, mirror edges, output clipped to the
input's range): a 120 px BigEarthNet patch of 10 m Sentinel-2 becomes 224 px, so the published
weights learned ~5.4 m pixels. Here the raster is resampled by the model scale (e.g. x1.87) and
then cut into windows, so windows overlap and blend on the finer token grid exactly as at native
scale; each window's pixels are computed from the native pixels around it (a margin that makes
the spline's prefilter exact to ~1e-7), normalised first as in the reference.

A 1-D cubic-spline resampling is a fixed linear map, so it is kept as a matrix ``M`` (output x
input) and a window is ``My @ band @ Mx.T`` per band: numpy here, and the same two matrix
products run on torch tensors (``resample``) for a device-side path.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Optional

import numpy as np

MARGIN = 12  # native pixels read around a window: the prefilter's influence decays as 0.268^k


def _bspline3(x: np.ndarray) -> np.ndarray:
    """The cubic B-spline kernel."""
    ax = np.abs(x)
    out = np.zeros_like(ax)
    near = ax < 1
    far = (ax >= 1) & (ax < 2)
    out[near] = 2.0 / 3.0 - ax[near] ** 2 + 0.5 * ax[near] ** 3
    out[far] = (2.0 - ax[far]) ** 3 / 6.0
    return out


def _mirror(k: np.ndarray, n: int) -> np.ndarray:
    """Mirror-extend indices about the centres of the first and last samples (d c b | a b c d | c b a)."""
    if n == 1:
        return np.zeros_like(k)
    period = 2 * n - 2
    k = np.mod(k, period)
    return np.where(k < n, k, period - k)


@lru_cache(maxsize=256)
def _prefilter(n: int) -> np.ndarray:
    """inverse of the n x n B-spline sampling matrix with mirror edges (signal -> spline coefficients)."""
    b = np.zeros((n, n))
    for d, w in ((-1, 1.0 / 6.0), (0, 2.0 / 3.0), (1, 1.0 / 6.0)):
        rows = np.arange(n)
        np.add.at(b, (rows, _mirror(rows + d, n)), w)
    return np.linalg.inv(b)


def spline_matrix(n_in: int, positions: np.ndarray) -> np.ndarray:
    """Matrix [len(positions), n_in]: cubic-spline values at `positions` (input pixel coordinates,
    0 = centre of the first pixel) of a signal of n_in samples with mirror edges (float64)."""
    t = np.asarray(positions, dtype=np.float64)
    base = np.floor(t).astype(np.int64)
    w = np.zeros((t.size, n_in))
    rows = np.arange(t.size)
    for off in (-1, 0, 1, 2):
        k = base + off
        np.add.at(w, (rows, _mirror(k, n_in)), _bspline3(t - k))
    return w @ _prefilter(n_in)


def resize_matrix(n_in: int, n_out: int) -> np.ndarray:
    """The matrix that resizes n_in samples to n_out as the reference does (pixel edges aligned)."""
    return spline_matrix(n_in, (np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5)


def resample(data, my, mx, clip: Optional[tuple[float, float]] = None):
    """Apply row/column matrices to [..., H, W] data (numpy or torch): my @ data @ mx.T, then clip."""
    out = (my @ data) @ mx.T
    if clip is not None:
        lo, hi = clip
        out = out.clip(lo, hi) if isinstance(out, np.ndarray) else out.clamp(lo, hi)
    return out


def resize_reference(data: np.ndarray, size: int) -> np.ndarray:
    """Resize normalised [C, h, w] to [C, size, size] as the reference's evaluation does."""
    c, h, w = data.shape
    my = resize_matrix(h, size).astype(np.float64)
    mx = resize_matrix(w, size).astype(np.float64)
    out = resample(data.astype(np.float64), my, mx, (float(data.min()), float(data.max())))
    return out.astype(np.float32)


def parse_scale(value) -> Optional[float]:
    """A job's scale setting as a factor: None for "auto" (ask the model card), 1.0 for "native"."""
    text = str(value).strip().lower()
    if text in ("", "auto"):
        return None
    if text in ("native", "1", "x1"):
        return 1.0
    return float(text.lstrip("x"))


def compute_factor(factor: float) -> float:
    """How many times the encoder work of native scale a model scale costs (pixels grow as s^2)."""
    return factor * factor


def describe(factor: float) -> str:
    """ "model scale: x1.87, about 3.5x the compute" (or "native")."""
    if abs(factor - 1.0) < 1e-9:
        return "model scale: native (x1)"
    return f"model scale: x{factor:.3g}, about {compute_factor(factor):.2g}x the compute"


class ScaledWindows:
    """Windows of a raster resampled by a model scale, normalised before resampling.

    `width`/`height` are the scaled raster's size (the window grid is built on them); the scaled
    raster covers exactly the source's extent, so `pixel_factor` (native px per scaled px) may
    differ slightly per axis from 1/factor. `read(source, normalizer, x, y, w, h)` returns the
    normalised, resampled window and its validity (nearest native pixel) in scaled coordinates.
    """

    def __init__(self, width: int, height: int, factor: float):
        if factor <= 0:
            raise ValueError(f"model scale {factor} must be positive")
        self.native = (width, height)
        self.factor = float(factor)
        self.width = max(1, int(round(width * factor)))
        self.height = max(1, int(round(height * factor)))
        self.sx = self.width / width  # scaled px per native px, per axis
        self.sy = self.height / height

    def geotransform(self, gt) -> tuple:
        """Geotransform of the scaled raster from the native one (same extent, finer pixels)."""
        return (gt[0], gt[1] / self.sx, gt[2] / self.sy, gt[3], gt[4] / self.sx, gt[5] / self.sy)

    @staticmethod
    def _axis(start: int, n: int, s: float, size: int):
        t = (start + np.arange(n) + 0.5) / s - 0.5  # native coordinates of the scaled pixel centres
        lo = max(0, int(math.floor(t.min())) - 1 - MARGIN)
        hi = min(size, int(math.floor(t.max())) + 3 + MARGIN)
        return t - lo, lo, hi

    def source(self, source, normalizer) -> "_ScaledSource":
        """A source whose read(x, y, w, h) gives normalised, resampled windows of the scaled raster."""
        return _ScaledSource(self, source, normalizer)

    @staticmethod
    def normalized(data, valid=None):
        """The normaliser to use with source(): windows are normalised before resampling already."""
        return data

    def read(self, source, normalizer, x: int, y: int, w: int, h: int):
        """(float32 [C, h, w] normalised and resampled, bool [h, w] valid) of the scaled window."""
        tx, x0, x1 = self._axis(x, w, self.sx, self.native[0])
        ty, y0, y1 = self._axis(y, h, self.sy, self.native[1])
        data, valid = source.read(x0, y0, x1 - x0, y1 - y0)
        if not valid.any():
            return data[:, :0, :0], valid[:0, :0]
        normalizer(data, valid)
        mx = spline_matrix(x1 - x0, tx).astype(np.float32)
        my = spline_matrix(y1 - y0, ty).astype(np.float32)
        out = resample(data, my, mx, (float(data.min()), float(data.max())))
        ix = np.clip(np.floor(tx + 0.5).astype(np.int64), 0, x1 - x0 - 1)
        iy = np.clip(np.floor(ty + 0.5).astype(np.int64), 0, y1 - y0 - 1)
        return np.ascontiguousarray(out, dtype=np.float32), valid[np.ix_(iy, ix)]


class _ScaledSource:
    """RasterSource-like view of the scaled raster (what the runner's host path reads)."""

    def __init__(self, scaler: ScaledWindows, source, normalizer):
        self.scaler, self.inner, self.normalizer = scaler, source, normalizer
        self.label = getattr(source, "label", "the raster")
        self.width, self.height = scaler.width, scaler.height

    def read(self, x: int, y: int, w: int, h: int):
        return self.scaler.read(self.inner, self.normalizer, x, y, w, h)
