"""Batched sliding-window runner: threaded reading, the model, token blending, streamed rows.

Reader threads read (and on the host path normalise) windows ahead of the model (a bounded
number of windows in flight), so the model rarely waits on I/O. Two paths share this loop:
`HostPath` (numpy normalisation and blending, any backend) and `engine.inference.device.DevicePath`
(stored-type upload, normalisation and blending on the model's device; the default on CUDA). Windows are processed row by row; blended token rows
that no later window can touch are handed to `sink` at once, so memory is bounded by a few rows
of windows whatever the raster size.
"""
from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Optional, Protocol, Sequence

import numpy as np

from ..errors import EngineError, JobCancelled, RasterError
from .cpu_threads import torch_threads_for_run
from .tiling import WindowGrid, pad_window, token_validity

# sink(values [D, n, token_width] float32 with NaN where nodata, first token row)
RowSink = Callable[[np.ndarray, int], None]


class Backend(Protocol):
    """What the runner needs from a model backend (engine.model.backends.make_backend)."""

    embed_dim: int

    def run(self, batch: np.ndarray) -> np.ndarray:  # [B, C, H, W] -> [B, D, H/16, W/16]
        ...


@dataclass
class RunStats:
    """Counters and timings of one run (for reports and the benchmark)."""

    windows: int = 0  # windows run through the model
    skipped: int = 0  # all-nodata windows not run
    batches: int = 0
    model_seconds: float = 0.0
    total_seconds: float = 0.0
    wait_seconds: float = 0.0  # time the model loop waited for reader threads
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "extra"}
        d.update(self.extra)
        return d


class _Accumulator:
    """Blended token rows from `top` downwards; finished rows are normalised and released."""

    def __init__(self, dim: int, token_width: int, token_height: int):
        self.dim, self.tw, self.th = dim, token_width, token_height
        self.top = 0
        self.sum = np.zeros((dim, 0, token_width), np.float32)
        self.wsum = np.zeros((0, token_width), np.float32)
        self.valid = np.zeros((0, token_width), bool)

    def _grow(self, rows: int) -> None:
        have = self.wsum.shape[0]
        if rows > have:
            extra = rows - have
            self.sum = np.concatenate([self.sum, np.zeros((self.dim, extra, self.tw), np.float32)], axis=1)
            self.wsum = np.concatenate([self.wsum, np.zeros((extra, self.tw), np.float32)])
            self.valid = np.concatenate([self.valid, np.zeros((extra, self.tw), bool)])

    def add(self, tokens: np.ndarray, tvalid: np.ndarray, weights: np.ndarray, row: int, col: int) -> None:
        n_r = min(tokens.shape[1], self.th - row)
        n_c = min(tokens.shape[2], self.tw - col)
        r0 = row - self.top
        self._grow(r0 + n_r)
        w = weights[:n_r, :n_c]
        self.sum[:, r0:r0 + n_r, col:col + n_c] += tokens[:, :n_r, :n_c] * w
        self.wsum[r0:r0 + n_r, col:col + n_c] += w
        self.valid[r0:r0 + n_r, col:col + n_c] |= tvalid[:n_r, :n_c]

    def release(self, upto: int) -> Optional[tuple[np.ndarray, int]]:
        """Finished rows [top, upto) as values (NaN = nodata) and their first row index."""
        upto = min(upto, self.th)
        n = upto - self.top
        if n <= 0:
            return None
        self._grow(n)
        wsum, valid = self.wsum[:n], self.valid[:n]
        ok = valid & (wsum > 0)
        out = self.sum[:, :n] / np.where(ok, wsum, 1.0)
        out[:, ~ok] = np.nan
        first = self.top
        self.sum, self.wsum, self.valid = self.sum[:, n:], self.wsum[n:], self.valid[n:]
        self.top = upto
        return out, first


class HostPath:
    """Windows normalised in numpy, the backend's numpy interface, blending in numpy."""

    def __init__(self, normalizer, backend: Backend, grid: WindowGrid, min_valid_share: float = 0.0):
        self.normalizer, self.backend, self.grid = normalizer, backend, grid
        self.min_valid_share = min_valid_share
        self.n = grid.tokens_per_window
        self.weights = grid.weights()
        self.acc = _Accumulator(backend.embed_dim, grid.token_width, grid.token_height)
        self._model_s = 0.0

    def prepare(self, source, x: int, y: int, w: int, h: int):
        data, valid = source.read(x, y, w, h)
        if not valid.any():
            return None
        data, valid = pad_window(data, valid, self.grid.window)
        self.normalizer(data, valid)
        return data, token_validity(valid, self.grid.patch, self.min_valid_share)

    def run_batch(self, batch: list) -> None:
        arr = np.stack([b[2][0] for b in batch])
        t0 = time.perf_counter()
        out = np.asarray(self.backend.run(arr), dtype=np.float32)
        self._model_s += time.perf_counter() - t0
        n = self.n
        if out.shape[0] != len(batch) or out.shape[2:] != (n, n):
            raise EngineError(f"The model returned tokens of shape {out.shape}; expected "
                              f"[{len(batch)}, D, {n}, {n}] for window {self.grid.window}.")
        for (x, y, (_, tvalid)), tokens in zip(batch, out):
            self.acc.add(tokens, tvalid, self.weights, y // self.grid.patch, x // self.grid.patch)

    def release(self, upto: int, sink: RowSink) -> None:
        released = self.acc.release(upto)
        if released is not None:
            sink(released[0], released[1])

    def finish(self, sink: RowSink) -> None:
        pass

    def model_seconds(self) -> float:
        return self._model_s

    def peak_device_memory(self) -> Optional[int]:
        return None


def _clipped(sink: RowSink, first: int, end: int) -> RowSink:
    """A sink that passes on only token rows first..end-1 (rows outside a row block are unfinished)."""
    def clipped(values: np.ndarray, y: int) -> None:
        a, b = max(y, first), min(y + values.shape[1], end)
        if b > a:
            sink(values[:, a - y:b - y], a)
    return clipped


def choose_path(path: str, backend, normalizer) -> str:
    """"device" or "host": auto takes the device path for torch backends on CUDA."""
    from .device import supports_device_path

    if path not in ("auto", "host", "device"):
        raise EngineError(f"Unknown window path '{path}'; use auto, host or device.")
    ok = supports_device_path(backend, normalizer)
    if path == "device" and not ok:
        raise EngineError("The device window path needs the torch backend and the standard normalisation; "
                          "use --backend torch or the host path.")
    if path == "auto":
        return "device" if ok and str(getattr(backend, "device", "cpu")).startswith("cuda") else "host"
    return path


def run_windows(source, normalizer, backend: Backend, grid: WindowGrid, sink: RowSink,
                batch_size: int = 8, progress: Optional[Callable[[float, str], None]] = None,
                cancel: Optional[Callable[[], bool]] = None, workers: Optional[int] = None,
                prefetch: Optional[int] = None, progress_range: tuple[float, float] = (0.0, 1.0),
                path: str = "auto", out_dtype: str = "float32", more_backends: Sequence = (),
                min_valid_share: float = 0.0, scaler=None, rows: Optional[tuple[int, int]] = None) -> RunStats:
    """Run every window of `grid` over `source` through `backend`, blending tokens into `sink` rows.

    `source.read(x, y, w, h) -> (float32 [C,h,w], valid [h,w])`; `normalizer(data, valid)`
    normalises in place. Raises JobCancelled when `cancel()` turns true (checked per window) and
    RasterError naming the file and window when a read fails. `path` "device" uploads windows in
    their stored type and normalises/blends on the backend's device (engine.inference.device),
    "host" does it in numpy, "auto" picks the device path on CUDA; `more_backends` (device path
    only) share the batches round-robin. Rows reach `sink` as float32 (host) or `out_dtype` (device).
    With a `scaler` (engine.inference.scale.ScaledWindows, the model scale) `grid` lies over the
    scaled raster and windows are read, normalised and resampled (on the device path: on the device,
    engine.inference.device_scale).
    Tokens with a share of valid pixels below `min_valid_share` are nodata.
    `rows` (first, end) limits the run to those token rows of the grid (a row block of a large scene,
    engine.row_blocks): every window that touches them runs, in the order of the whole run, and only
    rows first..end-1 reach `sink`, so each row is the same sum of the same window tokens as in a
    run over the whole grid.
    """
    progress = progress or (lambda f, m: None)
    cancel = cancel or (lambda: False)
    stats = RunStats()
    t_start = time.perf_counter()
    windows = grid.windows()
    row_first, row_end = rows if rows is not None else (0, grid.token_height)
    if rows is not None:
        n_tok = grid.tokens_per_window
        windows = [(x, y) for x, y in windows if y // grid.patch < row_end and y // grid.patch + n_tok > row_first]
        sink = _clipped(sink, row_first, row_end)
    lo, hi = progress_range
    chosen = "device" if more_backends else choose_path(path, backend, normalizer)
    if any(getattr(source, "transforms", ())):  # non-linear unit conversions (engine.raster.units) run on the host
        chosen = "host"
    if chosen == "device":
        from .device import DevicePath

        worker = DevicePath(source, normalizer, [backend, *more_backends], grid, batch_size, out_dtype,
                            min_valid_share=min_valid_share, scaler=scaler)
    else:
        if scaler is not None:  # model scale: normalise native pixels, then resample (engine/inference/scale.py)
            source, normalizer = scaler.source(source, normalizer), scaler.normalized
        worker = HostPath(normalizer, backend, grid, min_valid_share)
    if windows:
        worker.acc.top = windows[0][1] // grid.patch  # rows above the first window get nothing
    stats.extra["path"] = chosen
    stats.extra["windows_from_rows"] = 0  # windows whose first token row lies in `rows` (whole run: all)

    def prepare(x: int, y: int):
        w, h = min(grid.window, grid.width - x), min(grid.window, grid.height - y)
        try:
            return worker.prepare(source, x, y, w, h)
        except EngineError:
            raise
        except Exception as exc:  # anything unexpected in a reader thread still names the window
            raise RasterError(f"Reading {getattr(source, 'label', 'the raster')} failed at window "
                              f"x={x}, y={y}, {w}x{h} px: {exc}") from None

    # GDAL and numpy release the GIL, so a few threads keep a fast model (GPU) fed.
    workers = workers or max(2, min(8, (os.cpu_count() or 2)))
    prefetch = prefetch or max(2 * batch_size, 2 * workers, 4)
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="smarties-read")
    pending: deque = deque()
    it = iter(windows)

    def top_up() -> None:
        while len(pending) < prefetch:
            try:
                x, y = next(it)
            except StopIteration:
                return
            pending.append((x, y, pool.submit(prepare, x, y)))

    def run_batch(batch: list) -> None:
        if tuner is not None:
            tuner.choose()
            before = worker.model_seconds()
        worker.run_batch(batch)
        if tuner is not None:
            tuner.record(worker.model_seconds() - before, len(batch))
        stats.extra["windows_from_rows"] += sum(row_first <= y // grid.patch < row_end for _, y, _ in batch)
        stats.windows += len(batch)
        stats.batches += 1

    done = 0
    batch: list = []
    # torch on CPU: a thread team no larger than the cores other processes leave free (cpu_threads.py)
    on_cpu = callable(getattr(backend, "run_tensor", None)) and str(getattr(backend, "device", "")) == "cpu"
    threads = contextlib.ExitStack()
    tuner = threads.enter_context(torch_threads_for_run(on_cpu and not more_backends))
    try:
        top_up()
        while pending:
            if cancel():
                raise JobCancelled("Cancelled by the user; no output was written.")
            x, y, fut = pending.popleft()
            t0 = time.perf_counter()
            res = fut.result()
            stats.wait_seconds += time.perf_counter() - t0
            top_up()
            done += 1
            if res is None:
                stats.skipped += 1
            else:
                batch.append((x, y, res))
            next_y = pending[0][1] if pending else None
            if len(batch) >= batch_size or (next_y is None and batch):
                run_batch(batch)
                batch = []
                progress(lo + (hi - lo) * done / len(windows), f"window {done} of {len(windows)}")
            elif res is None and done % batch_size == 0:  # long nodata stretches still report
                progress(lo + (hi - lo) * done / len(windows), f"window {done} of {len(windows)}")
            # Token rows above every window not yet blended (queued or in the open batch) are final.
            ys = [b[1] for b in batch] + ([next_y] if next_y is not None else [])
            limit = min(ys) // grid.patch if ys else grid.token_height
            worker.release(limit, sink)
        if batch:
            run_batch(batch)
        worker.release(grid.token_height, sink)
        worker.finish(sink)
        progress(hi, f"{len(windows)} windows done")
    finally:
        for _, _, fut in pending:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        threads.close()
        if tuner is not None:
            stats.extra.update(tuner.summary())
        stats.model_seconds = worker.model_seconds()
        peak = worker.peak_device_memory()
        if peak is not None:
            stats.extra["peak_device_memory_mib"] = peak / 2 ** 20
        stats.total_seconds = time.perf_counter() - t_start
    return stats
