"""Reading an embeddings raster back in row blocks, and sampling its tokens, without loading it all."""
from __future__ import annotations

from typing import Callable, Iterator, Optional

import numpy as np
from osgeo import gdal

from ..errors import JobCancelled, RasterError

gdal.UseExceptions()


def iter_token_rows(path: str, rows: int = 64, cancel: Optional[Callable[[], bool]] = None
                    ) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Yield (first row, tokens [n, width, D] float32, valid [n, width]) over an embeddings raster."""
    try:
        ds = gdal.Open(path)
    except RuntimeError as exc:
        raise RasterError(f"Cannot read embeddings {path}: {exc}") from None
    h = ds.RasterYSize
    for y in range(0, h, rows):
        if cancel is not None and cancel():
            raise JobCancelled("Cancelled by the user; no output was written.")
        n = min(rows, h - y)
        arr = ds.ReadAsArray(0, y, ds.RasterXSize, n).astype(np.float32, copy=False)
        if arr.ndim == 2:
            arr = arr[None]
        tokens = np.moveaxis(arr, 0, -1)
        yield y, tokens, np.isfinite(tokens).all(axis=-1)


def sample_tokens(path: str, max_tokens: int = 20000, seed: int = 0,
                  cancel: Optional[Callable[[], bool]] = None) -> np.ndarray:
    """A uniform random sample (up to max_tokens) of the valid tokens [N, D] of an embeddings raster."""
    ds = gdal.Open(path)
    total = ds.RasterXSize * ds.RasterYSize
    ds = None
    rng = np.random.default_rng(seed)
    rate = min(1.0, 1.5 * max_tokens / max(total, 1))
    parts = []
    for _, tokens, valid in iter_token_rows(path, cancel=cancel):
        v = tokens[valid]
        if rate < 1.0:
            v = v[rng.random(len(v)) < rate]
        parts.append(v)
    sample = np.concatenate(parts) if parts else np.zeros((0, 0), np.float32)
    if len(sample) > max_tokens:
        sample = sample[rng.choice(len(sample), max_tokens, replace=False)]
    if len(sample) == 0:
        raise RasterError(f"The embeddings {path} have no valid tokens (everything is nodata).")
    return sample


def l2_normalize(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Unit-length vectors (zero vectors stay zero)."""
    n = np.linalg.norm(x, axis=axis, keepdims=True)
    return x / np.maximum(n, 1e-12)
