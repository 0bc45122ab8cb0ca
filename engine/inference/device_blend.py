"""The token-grid accumulator of the device window path, held on the model's device.

Weighted token sums, blend weights and validity counts of the rows still being written live on the
device; one `index_add_` per batch adds a batch's windows, and finished rows are divided, marked
NaN where no valid pixel reached them and converted to the output type before they leave.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import EngineError

TORCH_TYPES = {"float16": "float16", "float32": "float32"}


def torch_index(torch, index: np.ndarray, device):
    """An int64 index tensor on `device`."""
    return torch.from_numpy(np.ascontiguousarray(index, np.int64)).to(device)


class DeviceAccumulator:
    """Blended token rows from `top` downwards, held on the device; one index_add_ per batch.

    The buffers are `n` tokens wider and taller than needed, so tokens of windows that reach past
    the raster's right/bottom edge land in a margin that is never released (no masking needed).
    """

    def __init__(self, torch, device, dim: int, token_width: int, token_height: int, n: int,
                 weights: np.ndarray, out_dtype: str = "float32"):
        self.torch, self.device = torch, device
        self.dim, self.tw, self.th, self.n = dim, token_width, token_height, n
        self.cols = token_width + n
        self.cap = 2 * n
        self.top = 0
        self.sum = torch.zeros((dim, self.cap, self.cols), dtype=torch.float32, device=device)
        self.wsum = torch.zeros((self.cap, self.cols), dtype=torch.float32, device=device)
        self.count = torch.zeros((self.cap, self.cols), dtype=torch.float32, device=device)
        self.weights = torch.from_numpy(np.ascontiguousarray(weights, np.float32)).to(device)
        if out_dtype not in TORCH_TYPES:
            raise EngineError(f"Embedding type '{out_dtype}' is not float16 or float32.")
        self.out_dtype = getattr(torch, TORCH_TYPES[out_dtype])
        grid = np.arange(n)
        self._ii, self._jj = grid[:, None], grid[None, :]
        self._ii_dev = self._jj_dev = None

    def _ensure(self, rows: int) -> None:
        if rows <= self.cap:
            return
        torch = self.torch
        extra = max(rows, 2 * self.cap) - self.cap
        self.sum = torch.cat([self.sum, self.sum.new_zeros((self.dim, extra, self.cols))], dim=1)
        self.wsum = torch.cat([self.wsum, self.wsum.new_zeros((extra, self.cols))])
        self.count = torch.cat([self.count, self.count.new_zeros((extra, self.cols))])
        self.cap += extra

    def add(self, tokens, tvalid, rows: Sequence[int], cols: Sequence[int], pos=None) -> None:
        """tokens [B, D, n, n] float32 and token validity [B, n, n] of windows at token (rows, cols).

        `pos`: the same rows/cols as an int64 [B, 2] tensor already on the device (uploaded with the
        batch), so no blocking host-to-device copy is needed here.
        """
        torch = self.torch
        r0 = np.asarray(rows, np.int64) - self.top
        self._ensure(int(r0.max()) + self.n)
        if pos is None:
            c0 = np.asarray(cols, np.int64)
            flat = ((r0[:, None, None] + self._ii) * self.cols + (c0[:, None, None] + self._jj)).reshape(-1)
            index = torch_index(torch, flat, self.device)
        else:
            if self._ii_dev is None:
                self._ii_dev = torch_index(torch, self._ii, self.device)
                self._jj_dev = torch_index(torch, self._jj, self.device)
            r = (pos[:, 0] - self.top)[:, None, None]
            c = pos[:, 1][:, None, None]
            index = ((r + self._ii_dev) * self.cols + (c + self._jj_dev)).reshape(-1)
        b = tokens.shape[0]
        w = self.weights.expand(b, self.n, self.n)
        weighted = (tokens * w[:, None]).permute(1, 0, 2, 3).reshape(self.dim, -1)
        self.sum.view(self.dim, -1).index_add_(1, index, weighted)
        self.wsum.view(-1).index_add_(0, index, w.reshape(-1))
        self.count.view(-1).index_add_(0, index, tvalid.reshape(-1).to(torch.float32))

    def release(self, upto: int):
        """Finished rows [top, upto) as a device tensor [D, n, tw] in the output type (NaN = nodata)."""
        torch = self.torch
        upto = min(upto, self.th)
        n = upto - self.top
        if n <= 0:
            return None
        self._ensure(n)
        wsum = self.wsum[:n, :self.tw]
        ok = (self.count[:n, :self.tw] > 0) & (wsum > 0)
        out = self.sum[:, :n, :self.tw] / torch.where(ok, wsum, torch.ones((), device=wsum.device))
        out = torch.where(ok, out, torch.full((), float("nan"), device=out.device)).to(self.out_dtype)
        first = self.top
        keep = self.cap - n  # shift the unfinished rows to the front
        for t in (self.sum, self.wsum, self.count):
            rows = t[:, n:] if t.dim() == 3 else t[n:]
            moved = rows.clone()
            if t.dim() == 3:
                t[:, :keep] = moved
                t[:, keep:] = 0
            else:
                t[:keep] = moved
                t[keep:] = 0
        self.top = upto
        return out, first
