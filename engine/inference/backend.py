"""Loading the encoder and a backend for the runner (engine.model when present, a torch fallback)."""
from __future__ import annotations

import os
import threading
from typing import Sequence

import numpy as np

from ..errors import CheckpointError, EngineError, MissingDependency

_CACHE: dict = {}
_LOCK = threading.Lock()


def load_model(name_or_path: str, device: str = "cpu"):
    """The SpectralEncoder for a registry id or checkpoint path (cached per process)."""
    key = (name_or_path, os.path.getmtime(name_or_path) if os.path.exists(name_or_path) else None)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    try:
        from ..model.registry import load_encoder  # the registry knows ids, resources and HF caches
    except ImportError:
        load_encoder = None
    try:
        if load_encoder is not None:
            enc = load_encoder(name_or_path)
        elif os.path.exists(name_or_path):
            from ..model.checkpoint import load_checkpoint

            enc = load_checkpoint(name_or_path)
        else:
            raise CheckpointError(f"Model '{name_or_path}' not found; give a checkpoint path "
                                  "(.safetensors/.pt) with --model.")
    except ImportError as exc:
        raise MissingDependency(f"The model code needs {exc.name or 'torch'}; install the engine "
                                "requirements (pip install -r requirements.txt).") from None
    with _LOCK:
        _CACHE[key] = enc
    return enc


class TorchBackend:
    """Baked encoder on a torch device: float32 batches in, patch tokens out (numpy)."""

    def __init__(self, encoder, bands: Sequence, window: int, device: str = "auto"):
        import torch

        if device in ("auto", None):
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = str(device)
        self._torch = torch
        self.baked = encoder.bake(list(bands), img_size=window).to(self.device).eval()
        self.embed_dim = int(encoder.embed_dim)

    def run(self, batch: np.ndarray) -> np.ndarray:
        """[B, C, H, W] float32 -> [B, D, H/16, W/16] float32."""
        torch = self._torch
        x = torch.from_numpy(np.ascontiguousarray(batch, dtype=np.float32)).to(self.device)
        with torch.inference_mode():
            dtype = getattr(self.baked, "amp_dtype", None)
            if dtype is not None and self.device.startswith("cuda"):
                with torch.autocast("cuda", dtype=dtype):
                    _, tokens = self.baked(x)
            else:
                _, tokens = self.baked(x)
        return tokens.float().cpu().numpy()


def make_model_backend(encoder, bands: Sequence, window: int, backend: str = "torch", device: str = "auto",
                       dtype: str = "auto"):
    """engine.model.backends.make_backend when available, else the torch fallback above.

    `dtype` (auto | float32 | bfloat16 | float16) is the compute precision on CUDA; CPU runs float32.
    """
    try:
        from ..model.backends import make_backend
    except ImportError:
        make_backend = None
    if make_backend is not None:
        if backend == "torch":
            return make_backend(encoder, list(bands), window, backend=backend, device=device, dtype=dtype)
        return make_backend(encoder, list(bands), window, backend=backend, device=device)
    if backend != "torch":
        raise MissingDependency(f"Backend '{backend}' is not available in this installation; use --backend torch.")
    return TorchBackend(encoder, bands, window, device)


def make_model_backends(encoder, bands: Sequence, window: int, backend: str = "torch", device: str = "auto",
                        dtype: str = "auto") -> list:
    """One backend per device of `device` ("cuda:0,1", "all" or a single device); see make_model_backend."""
    from .device import parse_devices

    devices = parse_devices(device)
    if len(devices) > 1 and backend != "torch":
        raise EngineError(f"Several devices ({device}) need the torch backend; use --backend torch "
                          "or one device.")
    return [make_model_backend(encoder, bands, window, backend, d, dtype) for d in devices]
