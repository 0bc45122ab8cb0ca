"""The window grid over a raster and the cosine blend weights on the shared token grid.

Windows start at multiples of the stride, which is a multiple of the patch size (16), so every
window's patch tokens fall exactly onto one raster-wide token grid (token (r, c) covers pixels
16r..16r+15, 16c..16c+15). Overlapping windows are blended per token with weights that taper
with a cosine ramp over the overlap and sum to one where two windows meet, so there are no seams.
Windows reaching past the right/bottom raster edge (or rasters smaller than a window) are filled
by reflection.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

PATCH = 16
MIN_WEIGHT = 1e-3  # weights are never exactly 0, so edge tokens covered by one window keep a value


def stride_for(window: int, overlap: float, patch: int = PATCH) -> int:
    """Stride = window * (1 - overlap) rounded down to a multiple of the patch size (>= patch)."""
    return max(patch, int(window * (1.0 - overlap)) // patch * patch)


def window_offsets(size: int, window: int, stride: int) -> list[int]:
    """Offsets 0, stride, 2*stride, ... until a window reaches the end of `size` pixels."""
    offsets = [0]
    while offsets[-1] + window < size:
        offsets.append(offsets[-1] + stride)
    return offsets


def taper(n: int, ramp: int) -> np.ndarray:
    """1-D weights: sin^2 ramp over `ramp` tokens at both ends, 1 in between (sum 1 across a seam)."""
    w = np.ones(n, dtype=np.float64)
    if ramp > 0:
        i = np.arange(n, dtype=np.float64)
        up = np.sin(0.5 * math.pi * np.minimum((i + 0.5) / ramp, 1.0)) ** 2
        w = np.minimum(up, up[::-1])
    return np.maximum(w, MIN_WEIGHT).astype(np.float32)


@dataclass
class WindowGrid:
    """All windows over a width x height raster and the token grid they share."""

    width: int
    height: int
    window: int
    overlap: float
    patch: int = PATCH
    stride: int = field(init=False)
    xs: list[int] = field(init=False)
    ys: list[int] = field(init=False)

    def __post_init__(self) -> None:
        if self.window % self.patch:
            raise ValueError(f"Window {self.window} is not a multiple of the patch size {self.patch}.")
        self.stride = stride_for(self.window, self.overlap, self.patch)
        self.xs = window_offsets(self.width, self.window, self.stride)
        self.ys = window_offsets(self.height, self.window, self.stride)

    @property
    def tokens_per_window(self) -> int:
        return self.window // self.patch

    @property
    def token_width(self) -> int:
        return -(-self.width // self.patch)

    @property
    def token_height(self) -> int:
        return -(-self.height // self.patch)

    @property
    def count(self) -> int:
        return len(self.xs) * len(self.ys)

    def windows(self) -> list[tuple[int, int]]:
        """(x, y) pixel offsets of every window, row by row (the order the runner uses)."""
        return [(x, y) for y in self.ys for x in self.xs]

    def weights(self) -> np.ndarray:
        """2-D blend weights [n, n] of one window's tokens."""
        n = self.tokens_per_window
        ramp = n - self.stride // self.patch if len(self.xs) > 1 or len(self.ys) > 1 else 0
        w = taper(n, max(0, ramp))
        return np.outer(w, w)


def pad_window(data: np.ndarray, valid: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Reflect-pad a window read at the right/bottom raster edge up to window x window."""
    h, w = valid.shape
    if h == window and w == window:
        return data, valid
    pads = ((0, window - h), (0, window - w))
    data = np.pad(data, ((0, 0),) + pads, mode="reflect" if min(h, w) > 1 else "edge")
    valid = np.pad(valid, pads, mode="reflect" if min(h, w) > 1 else "edge")
    return data, valid


def token_validity(valid: np.ndarray, patch: int = PATCH, min_share: float = 0.0) -> np.ndarray:
    """[H, W] pixel validity -> [H/patch, W/patch] token validity: at least one valid pixel and a
    share of valid pixels of at least `min_share` (0.5: half of the token's pixels hold data)."""
    h, w = valid.shape
    blocks = valid.reshape(h // patch, patch, w // patch, patch)
    if min_share <= 0:
        return blocks.any(axis=(1, 3))
    return blocks.any(axis=(1, 3)) & (blocks.mean(axis=(1, 3)) >= min_share - 1e-9)
