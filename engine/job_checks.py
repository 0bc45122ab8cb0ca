"""Field checks of JobSpec and RasterInput, run whenever a field is set (at construction and after).

A wrong type (`window="224"`, `k=3.5`, a string where a list is expected) or an impossible value
(`resolution=0`, `overlap=1.5`) is refused at once with a JobError naming the field, instead of
surfacing after the embedding pass. Checks that involve several fields stay in JobSpec.validate().
"""
from __future__ import annotations

import math
import numbers
import os
from typing import Any, Callable, Optional

from .errors import JobError


def _name(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def _int(field: str, minimum: int | None = None, multiple: int | None = None,
         optional: bool = False) -> Callable[[Any], Any]:
    def check(value):
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise JobError(f"JobSpec.{field} must be a whole number, not {_name(value)}.")
        value = int(value)
        if minimum is not None and value < minimum:
            raise JobError(f"JobSpec.{field}={value} must be at least {minimum}.")
        if multiple and value % multiple:
            raise JobError(f"JobSpec.{field}={value} is not a positive multiple of {multiple} (the patch size).")
        return value
    return check


def _real(field: str, low: float | None = None, high: float | None = None, low_open: bool = False,
          high_open: bool = False, optional: bool = False) -> Callable[[Any], Any]:
    def check(value):
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
            raise JobError(f"JobSpec.{field} must be a finite number, not {_name(value)}.")
        value = float(value)
        too_low = low is not None and (value <= low if low_open else value < low)
        too_high = high is not None and (value >= high if high_open else value > high)
        if too_low or too_high:
            lo = "" if low is None else (f"> {low:g}" if low_open else f">= {low:g}")
            hi = "" if high is None else (f"< {high:g}" if high_open else f"<= {high:g}")
            both = low is not None and high is not None and not (low_open or high_open)
            rule = f"between {low:g} and {high:g}" if both else " and ".join(x for x in (lo, hi) if x)
            raise JobError(f"JobSpec.{field}={value:g} is out of range; it must be {rule}.")
        return value
    return check


def _text(field: str, optional: bool = False, choices: tuple | None = None) -> Callable[[Any], Any]:
    def check(value):
        if value is None and optional:
            return None
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        if not isinstance(value, str):
            raise JobError(f"JobSpec.{field} must be text, not {_name(value)}.".replace(
                "JobSpec.sensor", "RasterInput.sensor").replace("JobSpec.date", "RasterInput.date"))
        if choices and value not in choices:
            raise JobError(f"JobSpec.{field}='{value}' is not one of: {', '.join(choices)}.")
        return value
    return check


def _flag(field: str, optional: bool = False) -> Callable[[Any], Any]:
    def check(value):
        if value is None and optional:
            return None
        if not isinstance(value, (bool, numbers.Integral)) or value not in (0, 1):
            raise JobError(f"JobSpec.{field} must be True or False, not {_name(value)}.")
        return bool(value)
    return check


def _text_list(field: str, optional: bool = False) -> Callable[[Any], Any]:
    def check(value):
        if value is None and optional:
            return None
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise JobError(f"JobSpec.{field} must be a list of texts, not {_name(value)}.")
        return [str(v) for v in value]
    return check


def _extent(value):
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 4:
        raise JobError(f"JobSpec.extent must be four numbers (xmin, ymin, xmax, ymax), not {_name(value)}.")
    vals = tuple(_real("extent")(v) for v in value)
    if vals[0] >= vals[2] or vals[1] >= vals[3]:
        raise JobError(f"JobSpec.extent {vals}: xmin must be < xmax and ymin < ymax (order xmin, ymin, xmax, ymax).")
    return vals


def _points(value):
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise JobError(f"JobSpec.reference_points must be a list of (x, y) pairs, not {_name(value)}.")
    out = []
    for p in value:
        if isinstance(p, (str, bytes)) or not hasattr(p, "__len__") or len(p) != 2:
            raise JobError(f"JobSpec.reference_points: {p!r} is not an (x, y) pair.")
        out.append(tuple(_real("reference_points")(v) for v in p))
    return out


def _inputs(value):
    from .jobs import RasterInput

    if isinstance(value, (str, bytes, os.PathLike)) or not isinstance(value, (list, tuple)):
        raise JobError(f"JobSpec.inputs must be a list of RasterInput, not {_name(value)}; e.g. "
                       "inputs=[RasterInput(['scene.tif'])].")
    out = value if isinstance(value, list) else list(value)  # the caller's list stays the job's list
    for i, item in enumerate(out):
        if isinstance(item, dict):
            out[i] = item = raster_input_from_dict(item)
        if not isinstance(item, RasterInput):
            raise JobError(f"JobSpec.inputs holds {_name(item)}; each input must be a RasterInput(paths=[...]).")
    return out


def _scale(value):
    """Model scale: "auto", "native" or a factor (a number is kept as its text, e.g. 1.87 -> "1.87")."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = repr(float(value))
    if not isinstance(value, str):
        raise JobError(f"JobSpec.scale must be auto, native or a factor such as 1.87, not {_name(value)}.")
    text = value.strip().lower()
    if text in ("auto", "native"):
        return text
    try:
        factor = float(text.lstrip("x"))
    except ValueError:
        factor = float("nan")
    if not 0.25 <= factor <= 8.0:
        raise JobError(f"JobSpec.scale='{value}' is not auto, native or a factor between 0.25 and 8 (e.g. 1.87).")
    return value.strip()


JOB_FIELDS: dict[str, Callable[[Any], Any]] = {
    "product": _text("product"),
    "inputs": _inputs,
    "output": _text("output"),
    "model": _text("model"),
    "window": _int("window", 16, 16),
    "overlap": _real("overlap", 0.0, 1.0, high_open=True),
    "batch_size": _int("batch_size", 1),
    "device": _text("device"),
    "backend": _text("backend", choices=("torch", "onnxruntime")),
    "extent": _extent,
    "extent_crs": _text("extent_crs", optional=True),
    "resolution": _real("resolution", 0.0, low_open=True, optional=True),
    "extrapolate": _flag("extrapolate"),
    "interpolation": _text("interpolation", choices=("reference", "published", "linear")),
    "normalization": _text("normalization", choices=("auto", "card", "raster", "percentiles")),
    "scale": _scale,
    "fusion": _text("fusion", choices=("concat", "mean", "stack")),
    "cluster_method": _text("cluster_method"),
    "min_cluster_size": _int("min_cluster_size", 0, optional=True),
    "embedding_dtype": _text("embedding_dtype", choices=("float16", "float32")),
    "at_input_resolution": _flag("at_input_resolution", optional=True),  # None: the product's default
    "min_valid_share": _real("min_valid_share", 0.0, 1.0),
    "similarity_mode": _text("similarity_mode"),
    "seasonal_pooling": _text("seasonal_pooling"),
    "seasonal_outputs": _text_list("seasonal_outputs"),
    "change_dates": _text_list("change_dates", optional=True),
    "k": _int("k", 2),
    "reference_points": _points,
    "reference_crs": _text("reference_crs", optional=True),
    "reference_vector": _text("reference_vector", optional=True),
    "labels_vector": _text("labels_vector", optional=True),
    "label_field": _text("label_field", optional=True),
    "classifier": _text("classifier"),
    "head_path": _text("head_path", optional=True),
    "classify_features": _text("classify_features"),
    "seed": _int("seed", 0),
    "keep_embeddings": _flag("keep_embeddings"),
    "align": _flag("align"),
}


_BY_ANNOTATION = {"str": lambda f: _text(f), "Optional[str]": lambda f: _text(f, optional=True),
                  "int": lambda f: _int(f), "Optional[int]": lambda f: _int(f, optional=True),
                  "float": lambda f: _real(f), "Optional[float]": lambda f: _real(f, optional=True),
                  "bool": lambda f: _flag(f), "Optional[bool]": lambda f: _flag(f, optional=True),
                  "list[str]": lambda f: _text_list(f), "Optional[list[str]]": lambda f: _text_list(f, optional=True)}


def _derived_check(name: str) -> Optional[Callable[[Any], Any]]:
    """A type check from the field's annotation, for settings added without an entry in JOB_FIELDS."""
    from dataclasses import fields

    from .jobs import JobSpec

    for f in fields(JobSpec):
        if f.name == name:
            make = _BY_ANNOTATION.get(str(f.type).replace(" ", ""))
            check = make(name) if make else (lambda v: v)
            JOB_FIELDS[name] = check
            return check
    return None


def check_job_field(name: str, value: Any, known: set) -> Any:
    """The checked (possibly normalised) value of JobSpec.<name>; JobError for a wrong one."""
    if name.startswith("_"):
        return value
    if name not in known:
        raise JobError(f"JobSpec has no setting '{name}'; known settings: {', '.join(sorted(known))}.")
    check = JOB_FIELDS.get(name) or _derived_check(name)
    return check(value) if check is not None else value


def check_input_field(name: str, value: Any) -> Any:
    """The checked value of RasterInput.<name>."""
    if name == "paths":
        if isinstance(value, (str, bytes, os.PathLike)) or not isinstance(value, (list, tuple)):
            raise JobError(f"RasterInput.paths must be a list of file names, not {_name(value)}; e.g. "
                           "RasterInput(['scene.tif']).")
        out = []
        for p in value:
            if isinstance(p, os.PathLike):
                p = os.fspath(p)
            if not isinstance(p, str) or not p:
                raise JobError(f"RasterInput.paths holds {_name(p)}; give file names as text.")
            out.append(p)
        if not out:
            raise JobError("RasterInput.paths is empty; give at least one raster file.")
        return out
    if name == "bands":
        if value is None:
            return None
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise JobError(f"RasterInput.bands must be a list with one entry per band (e.g. ['B04', 'B03', "
                           f"'B02']), not {_name(value)}; engine.jobs.parse_band_list splits a text.")
        return list(value)
    if name in ("sensor", "date"):
        return _text(name, optional=True)(value)
    return value


def raster_input_from_dict(data: dict):
    """RasterInput(**data) with unknown keys refused as a JobError."""
    from dataclasses import fields

    from .jobs import RasterInput

    known = {f.name for f in fields(RasterInput)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise JobError(f"RasterInput has no setting {', '.join(repr(u) for u in unknown)}; known: "
                       f"{', '.join(sorted(known))}.")
    return RasterInput(**data)
