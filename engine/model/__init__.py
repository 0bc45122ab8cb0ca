"""SMARTIES model: spectrum-aware ViT encoder, checkpoints, registry and ONNX export.

    from engine.model import load_encoder
    enc = load_encoder("smarties-v1-vitb")      # "default", a registry id, or a checkpoint path
    cls = enc.cls_features(x, bands)            # x: [B, C, H, W] normalised, bands: one per channel
    tokens = enc.patch_tokens(x, bands)         # [B, D, H/16, W/16]
    backend = make_backend(enc, bands, window=224, backend="torch")   # used by the tiled runner
"""
from __future__ import annotations

_LAZY = {
    "load_encoder": "registry", "list_models": "registry", "locate": "registry",
    "install": "registry", "resolve_model": "registry",
    "SpectralEncoder": "encoder", "BakedEncoder": "encoder", "resolve_mixes": "encoder",
    "Architecture": "vit",
    "load_checkpoint": "checkpoint", "load_state": "checkpoint", "save_encoder": "checkpoint",
    "read_card": "checkpoint", "encoder_from_state_dict": "checkpoint",
    "export_onnx": "export", "OnnxEncoder": "onnx_backend", "make_backend": "backends",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    # Lazy so that listing models or reading cards does not import torch.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
