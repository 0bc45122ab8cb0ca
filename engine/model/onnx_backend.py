"""Run an exported (baked) SMARTIES encoder with onnxruntime: numpy in, numpy out, no torch."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional, Sequence, Union

import numpy as np

from ..errors import BandError, EngineError, MissingDependency


def providers_for(device: str = "auto") -> list[str]:
    """onnxruntime providers for a device: "auto" -> CUDA when available, then CPU."""
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise MissingDependency("the onnxruntime backend needs the 'onnxruntime' package "
                                "(pip install onnxruntime), or use backend 'torch'") from exc
    available = ort.get_available_providers()
    dev = (device or "auto").lower()
    if dev in ("auto", "cuda") or dev.startswith("cuda:"):
        if "CUDAExecutionProvider" in available:
            return ["CUDAExecutionProvider", "CPUExecutionProvider"]
        if dev != "auto":
            raise EngineError(f"device {device!r} asked for, but this onnxruntime has no CUDA provider "
                              f"(available: {', '.join(available)}); use device 'cpu' or 'auto'")
    elif dev != "cpu":
        raise EngineError(f"device {device!r} is not supported by the onnxruntime backend; use cpu or cuda")
    return ["CPUExecutionProvider"]


class OnnxEncoder:
    """A baked encoder exported to ONNX: fixed bands and window, any batch size."""

    def __init__(self, path: Union[str, os.PathLike], device: str = "auto",
                 providers: Optional[Sequence[str]] = None, threads: int = 0):
        import onnxruntime as ort

        self.path = Path(path)
        if not self.path.is_file():
            raise EngineError(f"ONNX model not found: {self.path}")
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        try:
            self.session = ort.InferenceSession(str(self.path), sess_options=opts,
                                                providers=list(providers or providers_for(device)))
        except Exception as exc:
            raise EngineError(f"cannot open ONNX model {self.path} ({exc}); delete it so it is "
                              "exported again") from exc
        inp = self.session.get_inputs()[0]
        self.input_name = inp.name
        _, c, h, w = inp.shape
        self.num_bands, self.img_size = int(c), (int(h), int(w))
        outs = {o.name: o for o in self.session.get_outputs()}
        self.embed_dim = int(outs["cls"].shape[1])
        side = self.path.with_suffix(".json")
        self.meta = json.loads(side.read_text(encoding="utf-8")) if side.is_file() else {}
        self.labels = list(self.meta.get("bands") or [str(i + 1) for i in range(self.num_bands)])
        self.patch_size = int(self.meta.get("patch_size", 16))
        used = self.session.get_providers()
        self.device = "cuda" if "CUDAExecutionProvider" in used else "cpu"

    def _check(self, x, bands=None) -> np.ndarray:
        if bands is not None and len(bands) != self.num_bands:
            raise BandError(f"this ONNX model was exported for {self.num_bands} bands {self.labels}; "
                            f"got {len(bands)}. Export again for the new band list")
        x = np.asarray(x)
        if x.ndim != 4:
            raise EngineError(f"input must be [batch, bands, height, width], got shape {list(x.shape)}")
        if x.shape[1] != self.num_bands:
            raise BandError(f"the input has {x.shape[1]} channels but this ONNX model takes "
                            f"{self.num_bands} bands {self.labels}")
        if tuple(x.shape[2:]) != self.img_size:
            raise EngineError(f"this ONNX model was exported for {self.img_size[0]}x{self.img_size[1]} "
                              f"windows, got {x.shape[2]}x{x.shape[3]}")
        x = np.ascontiguousarray(x, dtype=np.float32)
        if not np.isfinite(x).all():
            ch = int(np.nonzero(~np.isfinite(x).all(axis=(0, 2, 3)))[0][0])
            raise EngineError(f"input contains NaN/inf values (first in channel {ch + 1}, band "
                              f"{self.labels[ch]}); set nodata pixels to 0 after normalisation")
        return x

    def run(self, x, bands=None) -> tuple[np.ndarray, np.ndarray]:
        """(cls [B, D], patch tokens [B, D, H/16, W/16]) as float32 numpy arrays."""
        x = self._check(x, bands)
        cls, tokens = self.session.run(["cls", "patch_tokens"], {self.input_name: x})
        return cls.astype(np.float32, copy=False), tokens.astype(np.float32, copy=False)

    def cls_features(self, x, bands=None) -> np.ndarray:
        """CLS feature [B, D]."""
        x = self._check(x, bands)
        return self.session.run(["cls"], {self.input_name: x})[0]

    def patch_tokens(self, x, bands=None) -> np.ndarray:
        """Patch tokens [B, D, H/16, W/16]."""
        x = self._check(x, bands)
        return self.session.run(["patch_tokens"], {self.input_name: x})[0]
