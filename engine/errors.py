"""Errors the engine raises: each message names the band, file or setting and says what to do."""


class EngineError(Exception):
    """Base class for every error a user can act on."""


class BandError(EngineError, ValueError):
    """A band cannot be identified or has no usable projection layer."""


class CheckpointError(EngineError):
    """A model file is missing, corrupt, or not in the SMARTIES layout."""


class RasterError(EngineError):
    """A raster cannot be read or written, or rasters do not fit together."""


class JobError(EngineError, ValueError):
    """A job specification is incomplete or inconsistent."""


class JobCancelled(EngineError):
    """The user cancelled the run; nothing was left under the output name."""


class MissingDependency(EngineError, ImportError):
    """An optional package (torch, onnxruntime, ...) is not installed."""
