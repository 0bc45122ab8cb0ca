"""Inference backends for the sliding-window runner: numpy batches in, numpy tokens out.

    backend = make_backend(encoder, bands, window=224, backend="torch", device="auto", dtype="auto")
    tokens = backend.run(batch)       # float32 [B, C, H, W] -> float32 [B, D, H/16, W/16]
    cls = backend.run_cls(batch)      # -> float32 [B, D]

"torch": the encoder baked to one strided conv, inference_mode, pinned host memory with
non-blocking copies and bf16 autocast on CUDA. "onnxruntime": exported once per (model, bands,
window) to a cache file, then run with the CUDA or CPU provider.
"""
from __future__ import annotations

import copy
import threading
from typing import Optional, Protocol, Sequence, Union

import numpy as np

from ..errors import EngineError

Window = Union[int, tuple[int, int]]


class Backend(Protocol):
    """What the runner needs from a backend."""

    device: str
    embed_dim: int
    num_bands: int
    window: tuple[int, int]

    def run(self, batch: np.ndarray) -> np.ndarray: ...

    def run_cls(self, batch: np.ndarray) -> np.ndarray: ...


def _window(window: Window) -> tuple[int, int]:
    return (int(window), int(window)) if isinstance(window, (int, np.integer)) else tuple(int(v) for v in window)


class TorchBackend:
    """A baked encoder on one torch device."""

    def __init__(self, encoder, bands: Sequence, window: Window, device: str = "auto", dtype: str = "auto",
                 rule: str = "published", extrapolate: bool = False):
        import torch

        from .encoder import PRECISIONS, autocast_for, resolve_device

        self._torch = torch
        self._autocast = autocast_for
        dev = resolve_device(device)
        self.window = _window(window)
        baked = encoder.bake(bands, self.window, rule=rule, extrapolate=extrapolate)
        if dev != encoder.cls_token.device:
            # Move a copy: the baked module shares its transformer with the caller's encoder.
            baked = copy.deepcopy(baked)
        self.baked = baked.to(dev).eval()
        # On CPU the 16x16/16 patch convolution runs about 2x faster on channels-last input
        # (oneDNN's direct kernel; measured in benchmarks/README.md), and its output then flattens
        # into the [B, N, D] token layout without a copy.
        self._channels_last = dev.type == "cpu"
        self._model = _maybe_compiled(torch, self.baked)
        self.dev = dev
        self.device = str(dev)
        if dtype == "auto":
            dtype = "bfloat16" if dev.type == "cuda" else "float32"
        if dtype not in PRECISIONS:
            raise EngineError(f"unknown dtype {dtype!r}; use auto, float32, bfloat16 or float16")
        self.dtype = dtype if dev.type == "cuda" else "float32"
        self.amp_dtype = PRECISIONS[self.dtype]
        self.embed_dim = baked.embed_dim
        self.num_bands = baked.num_bands
        self._pinned = None
        self._lock = threading.Lock()  # the pinned staging buffer is shared between calls

    def _to_device(self, batch: np.ndarray):
        torch = self._torch
        arr = np.ascontiguousarray(batch, dtype=np.float32)
        _check_host(arr, self.num_bands, self.window, self.baked.labels)
        t = torch.from_numpy(arr)
        if self.dev.type == "cuda":
            # Stage through reusable pinned memory so the copy can overlap with compute.
            if self._pinned is None or self._pinned.numel() < t.numel():
                self._pinned = torch.empty(t.numel(), dtype=torch.float32).pin_memory()
            staged = self._pinned[: t.numel()].view(t.shape)
            staged.copy_(t)
            return staged.to(self.dev, non_blocking=True)
        return t.to(self.dev)

    def _forward(self, batch: np.ndarray):
        torch = self._torch
        with self._lock, torch.inference_mode():
            x = self._input(self._to_device(batch))
            with self._autocast(x.device, self.amp_dtype):
                cls, tokens = self._model(x)
            return cls, tokens

    def run(self, batch: np.ndarray) -> np.ndarray:
        """Patch tokens float32 [B, D, H/16, W/16] for a float32 batch [B, C, H, W]."""
        return self._forward(batch)[1].float().cpu().numpy()

    def run_tensor(self, x):
        """Patch tokens float32 [B, D, H/16, W/16] of a float32 tensor already on this device.

        The device window path (engine.inference.device) calls this: no host copy either way, and
        on CUDA the call returns as soon as the kernels are queued.
        """
        torch = self._torch
        with torch.inference_mode(), self._autocast(self.dev, self.amp_dtype):
            _, tokens = self._model(self._input(x))
        return tokens.float()

    def _input(self, x):
        """The batch in the memory layout the patch convolution is fastest with on this device."""
        if self._channels_last:
            return x.contiguous(memory_format=self._torch.channels_last)
        return x

    def run_cls(self, batch: np.ndarray) -> np.ndarray:
        """CLS features float32 [B, D]."""
        return self._forward(batch)[0].float().cpu().numpy()

    def run_both(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cls [B, D], patch tokens [B, D, h, w]) from one forward pass."""
        cls, tokens = self._forward(batch)
        return cls.float().cpu().numpy(), tokens.float().cpu().numpy()


COMPILE_ENV = "SMARTIES_TORCH_COMPILE"


def _maybe_compiled(torch, module):
    """`module`, or torch.compile(module) when $SMARTIES_TORCH_COMPILE asks for it (optional, measured
    in benchmarks/README.md): "1" = the default mode, or a torch.compile mode such as
    "reduce-overhead" (CUDA graphs) or "max-autotune". Shapes are static: the last, smaller batch of
    a run compiles once more. The first batches pay the compile time (about a minute for a ViT-B)."""
    import os

    mode = os.environ.get(COMPILE_ENV, "").strip()
    if mode in ("", "0"):
        return module
    try:
        return torch.compile(module, dynamic=False, mode=None if mode == "1" else mode)
    except Exception as exc:  # a torch without a working compiler: say so and go on uncompiled
        import warnings

        warnings.warn(f"{COMPILE_ENV}={mode}: torch.compile is not usable here ({exc}); running uncompiled.")
        return module


def _check_host(arr: np.ndarray, n_bands: int, window: tuple[int, int], labels) -> None:
    """Shape and NaN checks on the host copy (the same messages as the CPU path)."""
    from ..errors import BandError

    if arr.ndim != 4:
        raise EngineError(f"input must be [batch, bands, height, width], got shape {list(arr.shape)}")
    if arr.shape[1] != n_bands:
        raise BandError(f"the input has {arr.shape[1]} channels but {n_bands} bands were given")
    if tuple(arr.shape[2:]) != window:
        raise EngineError(f"backend was built for {window[0]}x{window[1]} windows, got "
                          f"{arr.shape[2]}x{arr.shape[3]}")
    if not np.isfinite(arr).all():
        ch = int(np.nonzero(~np.isfinite(arr).all(axis=(0, 2, 3)))[0][0])
        raise EngineError(f"input contains NaN/inf values (first in channel {ch + 1}, band {labels[ch]}); "
                          "set nodata pixels to 0 after normalisation")


class OnnxBackend:
    """An exported graph run by onnxruntime (exported once per model, bands and window)."""

    def __init__(self, encoder, bands: Sequence, window: Window, device: str = "auto",
                 cache_dir: Optional[str] = None, rule: str = "published", extrapolate: bool = False):
        from .export import export_cached
        from .onnx_backend import OnnxEncoder

        self.window = _window(window)
        self.path = export_cached(encoder, bands, self.window, cache_dir, rule=rule, extrapolate=extrapolate)
        self.encoder = OnnxEncoder(self.path, device=device)
        self.device = self.encoder.device
        self.embed_dim = self.encoder.embed_dim
        self.num_bands = self.encoder.num_bands
        self.dtype = "float32"

    def run(self, batch: np.ndarray) -> np.ndarray:
        """Patch tokens float32 [B, D, H/16, W/16]."""
        return self.encoder.patch_tokens(batch)

    def run_cls(self, batch: np.ndarray) -> np.ndarray:
        """CLS features float32 [B, D]."""
        return self.encoder.cls_features(batch)

    def run_both(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cls, patch tokens) from one run."""
        return self.encoder.run(batch)


def make_backend(encoder, bands: Sequence, window: Window = 224, backend: str = "torch",
                 device: str = "auto", dtype: str = "auto", cache_dir: Optional[str] = None,
                 rule: str = "published", extrapolate: bool = False) -> Backend:
    """A backend for a fixed band list and window; `encoder` is a SpectralEncoder or a model id/path.

    `rule` / `extrapolate` apply to band names and ranges (see engine.spectral.resolve_bands);
    `dtype` "auto" is bfloat16 autocast on CUDA and float32 elsewhere (onnxruntime: float32).
    """
    if isinstance(encoder, str):
        from .registry import load_encoder

        encoder = load_encoder(encoder, device="cpu")
    name = (backend or "torch").lower()
    if name == "torch":
        return TorchBackend(encoder, bands, window, device, dtype, rule, extrapolate)
    if name in ("onnxruntime", "onnx", "ort"):
        return OnnxBackend(encoder, bands, window, device, cache_dir, rule, extrapolate)
    raise EngineError(f"unknown backend {backend!r}; use 'torch' or 'onnxruntime'")
