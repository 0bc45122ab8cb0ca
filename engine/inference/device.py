"""The device-resident window path: raw windows go to the model's device, tokens are blended there.

On a GPU the host side (normalising in numpy, float32 copies both ways, blending in numpy) sets
the pace long before a ViT does, so this path moves that work next to the model:

- windows are read in their stored type (uint16 is half the bytes of float32) into reusable
  staging buffers (pinned on CUDA) and copied on a side stream, so batch k+1 is on its way while
  batch k runs;
- scale/offset, reflection padding of edge windows, the published normalisation and the nodata
  mask are applied on the device (the same float32 steps as the host path, in the same order);
- the token-grid accumulator (weighted sums, weights, validity; device_blend.py) lives on the
  device, one `index_add_` per batch; only finished rows come back, already in the output type.

Every step is plain torch, so the tests run it on CPU tensors and compare it with the host path.
With several devices (`cuda:0,1`) batches go round-robin to one backend per device (kernel
launches are asynchronous, so the devices run at the same time) and their tokens are blended on
the first device.
"""
from __future__ import annotations

import contextlib
import time
from collections import deque
from typing import Callable, Optional, Sequence

import numpy as np

from ..errors import EngineError
from .device_blend import DeviceAccumulator, torch_index  # noqa: F401  (the accumulator is part of this path)



def mirror_index(size: int, n: int, edge: bool) -> np.ndarray:
    """Indices that pad `n` values to `size` like np.pad(mode="reflect"), or "edge" when asked."""
    i = np.arange(size)
    if edge or n == 1:
        return np.minimum(i, n - 1)
    period = 2 * (n - 1)
    i = i % period
    return np.where(i >= n, period - i, i)


def supports_device_path(backend, normalizer) -> bool:
    """True when the backend runs torch tensors and the normaliser's steps are known (plain Normalizer)."""
    from ..raster.normalize import Normalizer

    return callable(getattr(backend, "run_tensor", None)) and type(normalizer) is Normalizer


class Staging:
    """Reusable host buffers for batches (pinned on CUDA) and their copy to the device on a side stream.

    `buffers`: name -> (shape, numpy dtype); a batch fills the numpy views `take()` returns, then
    `upload(count)` gives the first `count` rows of every buffer on the device.
    """

    def __init__(self, torch, device, buffers: dict, slots: int = 3):
        self.torch, self.device = torch, device
        self.cuda = device.type == "cuda"
        self.slots = []
        for _ in range(slots if self.cuda else 1):
            slot = {}
            for name, (shape, dtype) in buffers.items():
                t = torch.zeros(shape, dtype=torch.from_numpy(np.zeros(1, dtype)).dtype)
                slot[name] = t.pin_memory() if self.cuda else t
            self.slots.append(slot)
        if self.cuda:
            self.stream = torch.cuda.Stream(device)
        self.done = [None] * len(self.slots)  # event: the copy out of that slot has finished
        self.slot = 0

    def take(self) -> dict:
        """numpy views of the next free slot (waits for its previous copy on CUDA)."""
        self.slot = (self.slot + 1) % len(self.slots)
        if self.done[self.slot] is not None:
            self.done[self.slot].synchronize()
            self.done[self.slot] = None
        return {k: t.numpy() for k, t in self.slots[self.slot].items()}

    def upload(self, count: int) -> dict:
        """The first `count` rows of the current slot on the device (ordered before later work)."""
        torch = self.torch
        host = {k: t[:count] for k, t in self.slots[self.slot].items()}
        if not self.cuda:
            return {k: t.to(self.device) for k, t in host.items()}
        with torch.cuda.stream(self.stream):
            dev = {k: t.to(self.device, non_blocking=True) for k, t in host.items()}
            ev = torch.cuda.Event()
            ev.record(self.stream)
        self.done[self.slot] = ev
        current = torch.cuda.current_stream(self.device)
        current.wait_stream(self.stream)
        for t in dev.values():
            t.record_stream(current)
        return dev


class WindowPrep:
    """Stored-type windows -> normalised float32 batch + token validity, on one device."""

    def __init__(self, torch, device, normalizer, scales: Sequence[tuple[float, float]], window: int, patch: int,
                 min_valid_share: float = 0.0):
        self.torch, self.device, self.window, self.patch = torch, device, window, patch
        self.min_valid_share = min_valid_share  # as tiling.token_validity
        p1, inv_span, mean, inv_std = (torch.from_numpy(np.ascontiguousarray(t, np.float32)).to(device)
                                       for t in normalizer.terms())
        self.p1, self.inv_span, self.mean, self.inv_std = p1, inv_span, mean, inv_std
        self.affine = None
        if any(s != 1.0 or o != 0.0 for s, o in scales):
            sc = np.array([s for s, _ in scales], np.float32)[:, None, None]
            of = np.array([o for _, o in scales], np.float32)[:, None, None]
            self.affine = (torch.from_numpy(sc).to(device), torch.from_numpy(of).to(device))
        self._index: dict = {}

    def _mirror(self, n: int, edge: bool):
        key = (n, edge)
        if key not in self._index:
            self._index[key] = torch_index(self.torch, mirror_index(self.window, n, edge), self.device)
        return self._index[key]

    def to_float(self, raw):
        """Stored values -> float32 with each band's scale/offset (RasterSource.read's conversion)."""
        torch = self.torch
        if raw.dtype == torch.uint16:  # CUDA casts few ops for uint16: read the bits as int16, add 2^16
            x = raw.view(torch.int16).to(torch.float32)
            x = torch.where(x < 0, x + 65536.0, x)
        else:
            x = raw.to(torch.float32)
        if self.affine is not None:
            x = x * self.affine[0] + self.affine[1]
        return x

    def pad(self, x, valid, sizes: Sequence[tuple[int, int]]):
        """Reflect windows smaller than W x W (their (h, w) top-left) as tiling.pad_window does."""
        for b, (h, w) in enumerate(sizes):
            if h == self.window and w == self.window:
                continue
            edge = min(h, w) == 1  # as tiling.pad_window: a one-pixel strip cannot be reflected
            rows, cols = self._mirror(h, edge), self._mirror(w, edge)
            x[b] = x[b].index_select(1, rows).index_select(2, cols)
            valid[b] = valid[b].index_select(0, rows).index_select(1, cols)
        return x, valid

    def normalise(self, x, valid):
        """The published normalisation (Normalizer's float32 steps), invalid pixels set to 0."""
        torch = self.torch
        x = (x - self.p1) * self.inv_span
        x = x.clamp_(0.0, 1.0).sub_(self.mean).mul_(self.inv_std)
        return torch.where(valid[:, None], x, torch.zeros((), dtype=x.dtype, device=x.device))

    def token_valid(self, valid):
        """[B, W, W] pixel validity -> [B, n, n] token validity (tiling.token_validity)."""
        n, p = self.window // self.patch, self.patch
        blocks = valid.view(valid.shape[0], n, p, n, p)
        tvalid = blocks.any(dim=4).any(dim=2)
        if self.min_valid_share > 0:
            share = blocks.to(self.torch.float32).mean(dim=(2, 4))
            tvalid &= share >= self.min_valid_share - 1e-9
        return tvalid

    def __call__(self, raw, valid, sizes: Sequence[tuple[int, int]]):
        """raw [B, C, W, W] stored type with each window's (h, w) top-left; -> (x float32, token validity)."""
        x, valid = self.pad(self.to_float(raw), valid, sizes)
        return self.normalise(x, valid), self.token_valid(valid)


UPLOAD_TYPES = {np.dtype(t) for t in (np.uint8, np.int8, np.uint16, np.int16, np.int32, np.float32)}


def upload_dtype(stored) -> np.dtype:
    """The type a window travels in: its stored type, or float32 (same values) for the rest."""
    stored = np.dtype(stored)
    return stored if stored in UPLOAD_TYPES else np.dtype(np.float32)


class PlainWindows:
    """Windows at the raster's own pixels: read in the stored type, prepared by WindowPrep."""

    def __init__(self, source, window: int):
        self.window, self.channels, self.dtype = window, source.count, upload_dtype(source.stored_dtype)

    def buffers(self, batch: int) -> dict:
        w = self.window
        return {"raw": ((batch, self.channels, w, w), self.dtype), "valid": ((batch, w, w), np.bool_)}

    def read(self, source, x: int, y: int, w: int, h: int):
        """The raw window and its pixel validity, or None when all of it is nodata."""
        data, valid = source.read_stored(x, y, w, h)
        return (data, valid) if valid.any() else None

    def fill(self, views: dict, i: int, item) -> tuple[int, int]:
        raw, v = item
        h, w = v.shape
        if h != self.window or w != self.window:
            views["raw"][i] = 0
            views["valid"][i] = False
        views["raw"][i, :, :h, :w] = raw
        views["valid"][i, :h, :w] = v
        return h, w

    def prepare(self, prep: WindowPrep, dev: dict, sizes):
        return prep(dev["raw"], dev["valid"], sizes)


class DevicePath:
    """Window batches through WindowPrep -> backend.run_tensor -> DeviceAccumulator (see module doc)."""

    def __init__(self, source, normalizer, backends: Sequence, grid, batch_size: int,
                 out_dtype: str = "float32", transform: Optional[Callable] = None, min_valid_share: float = 0.0,
                 scaler=None):
        import torch

        self.torch = torch
        self.grid, self.backends = grid, list(backends)
        self.devices = [torch.device(getattr(b, "dev", None) or b.device) for b in self.backends]
        self.window, self.patch = grid.window, grid.patch
        self.n = grid.tokens_per_window
        if scaler is not None:
            from .device_scale import ScaledWindowsOnDevice

            self.windows = ScaledWindowsOnDevice(source, scaler, grid.window)
        else:
            self.windows = PlainWindows(source, grid.window)
        self.prep = [WindowPrep(torch, d, normalizer, source.scales, grid.window, grid.patch, min_valid_share)
                     for d in self.devices]
        buffers = dict(self.windows.buffers(batch_size), pos=((batch_size, 2), np.int64))
        self.staging = [Staging(torch, d, buffers) for d in self.devices]
        self.acc = DeviceAccumulator(torch, self.devices[0], self.backends[0].embed_dim, grid.token_width,
                                     grid.token_height, self.n, grid.weights(), out_dtype)
        self.transform = transform
        self.cuda = self.devices[0].type == "cuda"
        self._turn = 0
        self._timings: list = []  # (start, end) CUDA events of model calls
        self._cpu_model_s = 0.0
        self._out: deque = deque()  # released rows on their way to the host

    # -- called from reader threads ---------------------------------------------------------------
    def prepare(self, source, x: int, y: int, w: int, h: int):
        """What the batch needs of one window (raw values, validity...), or None when it is all nodata."""
        return self.windows.read(source, x, y, w, h)

    # -- the model loop -----------------------------------------------------------------------------
    def run_batch(self, batch: list) -> None:
        """batch: [(x, y, what prepare() read)...] -> tokens blended on the device."""
        torch = self.torch
        k = self._turn % len(self.backends)
        self._turn += 1
        backend, staging, prep = self.backends[k], self.staging[k], self.prep[k]
        views = staging.take()
        sizes = [self.windows.fill(views, i, item) for i, (_, _, item) in enumerate(batch)]
        views["pos"][:len(batch)] = [(y // self.patch, x // self.patch) for x, y, _ in batch]
        # on CUDA, kernels, events and streams of this batch belong to its backend's GPU
        on_device = torch.cuda.device(self.devices[k]) if self.cuda else contextlib.nullcontext()
        with on_device, torch.inference_mode():
            dev = staging.upload(len(batch))
            x, tvalid = self.windows.prepare(prep, dev, sizes)
            if self.transform is not None:
                x = self.transform(x)
            if self.cuda:
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                start.record()
                tokens = backend.run_tensor(x)
                end.record()
                self._timings.append((start, end))
            else:
                t0 = time.perf_counter()
                tokens = backend.run_tensor(x)
                self._cpu_model_s += time.perf_counter() - t0
            if tuple(tokens.shape[2:]) != (self.n, self.n) or tokens.shape[0] != len(batch):
                raise EngineError(f"The model returned tokens of shape {tuple(tokens.shape)}; expected "
                                  f"[{len(batch)}, D, {self.n}, {self.n}] for window {self.window}.")
            pos = dev["pos"]
            if k:
                tokens = tokens.to(self.devices[0], non_blocking=True)
                tvalid = tvalid.to(self.devices[0], non_blocking=True)
                pos = pos.to(self.devices[0], non_blocking=True)
            self.acc.add(tokens.float(), tvalid, [b[1] // self.patch for b in batch],
                         [b[0] // self.patch for b in batch], pos)

    def release(self, upto: int, sink) -> None:
        """Start bringing finished rows home; hand over those that have arrived."""
        torch = self.torch
        with torch.inference_mode():
            got = self.acc.release(upto)
        if got is not None:
            rows, first = got
            if self.cuda:
                host = torch.empty(rows.shape, dtype=rows.dtype, pin_memory=True)
                host.copy_(rows, non_blocking=True)
                ev = torch.cuda.Event()
                ev.record()
                self._out.append((host, first, ev))
            else:
                self._out.append((rows, first, None))
        while self._out and (self._out[0][2] is None or self._out[0][2].query()):
            host, first, _ = self._out.popleft()
            sink(host.numpy(), first)

    def finish(self, sink) -> None:
        """Hand over every released row (waits for the device)."""
        while self._out:
            host, first, ev = self._out.popleft()
            if ev is not None:
                ev.synchronize()
            sink(host.numpy(), first)

    def model_seconds(self) -> float:
        """Time inside the model: CUDA event time on a GPU, wall time on CPU."""
        if self._timings:
            for _, end in self._timings:
                end.synchronize()
            return sum(s.elapsed_time(e) for s, e in self._timings) / 1000.0 + self._cpu_model_s
        return self._cpu_model_s

    def peak_device_memory(self) -> Optional[int]:
        """Peak bytes allocated on the first CUDA device (None off CUDA)."""
        if not self.cuda:
            return None
        return int(max(self.torch.cuda.max_memory_allocated(d) for d in self.devices))


def parse_devices(spec: Optional[str]) -> list[str]:
    """'cuda:0,1' / 'cuda:0,cuda:1' / 'all' / 'cpu' -> one device name per backend."""
    text = (spec or "auto").strip().lower()
    if text == "all":
        import torch

        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0:
            raise EngineError("device 'all' asks for every CUDA GPU, but PyTorch sees none; use 'cpu' or 'auto'.")
        return [f"cuda:{i}" for i in range(count)]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) <= 1:
        return [text]
    out, kind = [], None
    for p in parts:
        if p.isdigit():
            if kind is None:
                raise EngineError(f"device '{spec}': say which kind first, e.g. cuda:0,1.")
            p = f"{kind}:{p}"
        kind = p.split(":")[0]
        out.append(p)
    return out
