"""The model scale (engine.inference.scale) on the device window path.

Reader threads read each scaled window's native pixels (with the spline's margin) in their stored
type and build its two resampling matrices and its validity (nearest native pixel) on the host,
as ScaledWindows.read does. On the device a batch is converted, normalised and masked, then
resampled with two batched matrix products: the native regions and the matrices are zero-padded
to one size, so the padding adds nothing; each window is clipped to its own normalised range and
edge windows are reflected to the full window, exactly the host path's steps.
"""
from __future__ import annotations

import math

import numpy as np

from .device import upload_dtype
from .scale import MARGIN, spline_matrix


class ScaledWindowsOnDevice:
    """Scaled windows for DevicePath (same interface as device.PlainWindows)."""

    def __init__(self, source, scaler, window: int):
        self.scaler, self.window = scaler, window
        self.channels, self.dtype = source.count, upload_dtype(source.stored_dtype)
        # the largest native region a window needs (ScaledWindows._axis: floor span + 4 + 2 margins)
        self.native = int(math.ceil(window / min(scaler.sx, scaler.sy))) + 2 * MARGIN + 6

    def buffers(self, batch: int) -> dict:
        w, n = self.window, self.native
        return {"raw": ((batch, self.channels, n, n), self.dtype), "nvalid": ((batch, n, n), np.bool_),
                "my": ((batch, w, n), np.float32), "mx": ((batch, w, n), np.float32),
                "valid": ((batch, w, w), np.bool_), "extent": ((batch, 2), np.int64)}

    def read(self, source, x: int, y: int, w: int, h: int):
        """Native raw region, its validity, the row/column spline matrices and the scaled validity."""
        s = self.scaler
        tx, x0, x1 = s._axis(x, w, s.sx, s.native[0])
        ty, y0, y1 = s._axis(y, h, s.sy, s.native[1])
        raw, nvalid = source.read_stored(x0, y0, x1 - x0, y1 - y0)
        if not nvalid.any():
            return None
        ix = np.clip(np.floor(tx + 0.5).astype(np.int64), 0, x1 - x0 - 1)
        iy = np.clip(np.floor(ty + 0.5).astype(np.int64), 0, y1 - y0 - 1)
        valid = nvalid[np.ix_(iy, ix)]
        if not valid.any():
            return None
        my = spline_matrix(y1 - y0, ty).astype(np.float32)
        mx = spline_matrix(x1 - x0, tx).astype(np.float32)
        return raw, nvalid, my, mx, valid

    def fill(self, views: dict, i: int, item) -> tuple[int, int]:
        raw, nvalid, my, mx, valid = item
        ny, nx = nvalid.shape
        h, w = valid.shape
        for name in ("raw", "nvalid", "my", "mx", "valid"):
            views[name][i] = 0
        views["raw"][i, :, :ny, :nx] = raw
        views["nvalid"][i, :ny, :nx] = nvalid
        views["my"][i, :h, :ny] = my
        views["mx"][i, :w, :nx] = mx
        views["valid"][i, :h, :w] = valid
        views["extent"][i] = (ny, nx)
        return h, w

    def prepare(self, prep, dev: dict, sizes):
        """(normalised, resampled, padded float32 [B, C, W, W], token validity [B, n, n])."""
        torch = prep.torch
        x = prep.normalise(prep.to_float(dev["raw"]), dev["nvalid"])
        n = self.native
        ar = torch.arange(n, device=x.device)
        ext = dev["extent"]
        inside = (ar[None, :, None] < ext[:, 0, None, None]) & (ar[None, None, :] < ext[:, 1, None, None])
        lo = torch.where(inside[:, None], x, float("inf")).amin(dim=(1, 2, 3))
        hi = torch.where(inside[:, None], x, float("-inf")).amax(dim=(1, 2, 3))
        out = (dev["my"][:, None] @ x) @ dev["mx"][:, None].transpose(-1, -2)
        out = torch.maximum(torch.minimum(out, hi.view(-1, 1, 1, 1)), lo.view(-1, 1, 1, 1))
        out, valid = prep.pad(out, dev["valid"], sizes)
        return out, prep.token_valid(valid)
