"""ONNX export of a BakedEncoder: fixed band list and window, dynamic batch.

The graph has one input ``images`` [B, C, H, W] float32 and two outputs ``cls`` [B, D] and
``patch_tokens`` [B, D, H/16, W/16]. A JSON sidecar (same stem) records the bands and the model.
"""
from __future__ import annotations

import hashlib
import json
import os
import warnings
from pathlib import Path
from typing import Optional, Union

import torch

from ..errors import EngineError
from .checkpoint import _atomic_write, tensors_digest
from .encoder import BakedEncoder, SpectralEncoder

OPSET = 17
INPUT_NAME = "images"
OUTPUT_NAMES = ("cls", "patch_tokens")


def model_fingerprint(encoder: SpectralEncoder) -> str:
    """Short stable id of an encoder's weights (file identity when loaded from a file)."""
    h = hashlib.sha1()
    h.update(str(encoder.card.get("id", "")).encode())
    src = getattr(encoder, "source", None)
    if src and os.path.isfile(src):
        st = os.stat(src)
        h.update(f"{os.path.abspath(src)}|{st.st_size}|{st.st_mtime_ns}".encode())
    else:
        # In-memory model (just trained, or built from a dict): hash the weights themselves.
        h.update(tensors_digest(encoder.state_dict()).encode())
    return h.hexdigest()[:16]


def export_key(encoder: SpectralEncoder, mixes, img_size: tuple[int, int]) -> str:
    """Cache key for an exported graph: model + band mixes + window."""
    text = json.dumps([model_fingerprint(encoder), [[list(p) for p in m] for m in mixes], list(img_size),
                       OPSET, torch.__version__])
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def export_onnx(baked: BakedEncoder, path: Union[str, os.PathLike], opset: int = OPSET) -> Path:
    """Write `baked` as an ONNX graph (dynamic batch) plus a .json sidecar; returns the path."""
    path = Path(path)
    baked = baked.eval()
    # Export on CPU in float32 so the file runs on any onnxruntime provider.
    device = baked.pos.device
    if device.type != "cpu":
        import copy

        baked = copy.deepcopy(baked).to("cpu")
    h, w = baked.img_size
    example = torch.zeros(1, baked.num_bands, h, w)

    def write(tmp: str) -> None:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            try:
                # The TorchScript exporter is fast and writes one self-contained file.
                torch.onnx.export(baked, (example,), tmp, dynamo=False, opset_version=opset,
                                  input_names=[INPUT_NAME], output_names=list(OUTPUT_NAMES),
                                  dynamic_axes={n: {0: "batch"} for n in (INPUT_NAME, *OUTPUT_NAMES)})
            except Exception as first:  # pragma: no cover - only when the legacy exporter is gone
                try:
                    batch = torch.export.Dim("batch", min=1)
                    torch.onnx.export(baked, (example,), tmp, dynamo=True, opset_version=max(opset, 18),
                                      input_names=[INPUT_NAME], output_names=list(OUTPUT_NAMES),
                                      dynamic_shapes=({0: batch},), external_data=False)
                except Exception as second:
                    raise EngineError(f"ONNX export failed ({first}; then {second}); use the torch "
                                      "backend instead") from second

    _atomic_write(path, write)
    meta = {"bands": baked.labels, "mixes": [[list(p) for p in m] for m in baked.mixes],
            "img_size": list(baked.img_size), "embed_dim": baked.embed_dim,
            "patch_size": baked.patch_size, "model": baked.trunk.card.get("id"),
            "input": INPUT_NAME, "outputs": list(OUTPUT_NAMES), "opset": opset}
    text = json.dumps(meta, indent=2)
    _atomic_write(path.with_suffix(".json"), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return path


def cache_dir(folder: Optional[Union[str, os.PathLike]] = None) -> Path:
    """Folder for exported graphs: `folder`, $SMARTIES_CACHE/onnx, or ~/.cache/smarties/onnx."""
    if folder:
        return Path(folder).expanduser()
    base = os.environ.get("SMARTIES_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "smarties")
    return Path(base) / "onnx"


def export_cached(encoder: SpectralEncoder, bands, img_size, folder=None, rule: str = "published",
                  extrapolate: bool = False) -> Path:
    """Export once per (model, bands, window) into the cache folder; reuse the file afterwards."""
    baked = encoder.bake(bands, img_size, rule=rule, extrapolate=extrapolate)
    key = export_key(encoder, baked.mixes, baked.img_size)
    name = str(encoder.card.get("id") or "model").replace("/", "_")
    path = cache_dir(folder) / f"{name}-{baked.img_size[0]}x{baked.img_size[1]}-{key}.onnx"
    if not path.is_file():
        export_onnx(baked, path)
    return path
