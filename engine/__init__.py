"""SMARTIES engine: spectrum-aware foundation-model inference for any sensor (no QGIS imports).

Public API (stable):
    from engine import load_encoder, JobSpec, RasterInput, run, resolve_bands, identify_bands
"""
from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "load_encoder": ("engine.model.registry", "load_encoder"),
    "resolve_bands": ("engine.spectral", "resolve_bands"),
    "parse_band": ("engine.spectral", "parse_band"),
    "decision_table": ("engine.spectral", "decision_table"),
    "identify_bands": ("engine.bands", "identify_bands"),
    "JobSpec": ("engine.jobs", "JobSpec"),
    "RasterInput": ("engine.jobs", "RasterInput"),
    "JobResult": ("engine.jobs", "JobResult"),
    "run": ("engine.jobs", "run"),
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    # Lazy so that `import engine` stays cheap and never pulls torch until a model is needed.
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'engine' has no attribute {name!r}")
