"""The published per-band normalisation and where its statistics come from.

x = clip((x - p1) / (p99 - p1), 0, 1); x = (x - mean) / std; nodata pixels -> 0 afterwards.
p1/p99/mean/std come from the model card for a known sensor band, otherwise from the input itself
(percentiles over a sample of the raster, nodata excluded, mean/std after the clip). Nothing here
assumes 8-bit data: the statistics carry the data range.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import asdict, dataclass, field
from typing import Optional, Sequence

import numpy as np

from ..errors import RasterError
from .io import RasterSource

STATS_VERSION = 2
MODES = ("auto", "card", "raster", "percentiles")  # percentiles = raster (the older name)
COMPUTED_TEXT = "statistics computed from this raster"
_MIN_SPAN = 1e-6


@dataclass
class BandStats:
    """Normalisation statistics of one band."""

    p1: float
    p99: float
    mean: float
    std: float
    source: str = "computed"  # computed | card
    origin: str = field(default="", compare=False)  # in words: which statistics ("reference statistics SENTINEL2-L2A (...)", ...)

    def to_dict(self) -> dict:
        return asdict(self)


def cache_dir() -> str:
    """Folder for cached per-file statistics (SMARTIES_CACHE_DIR, else the user cache dir)."""
    base = os.environ.get("SMARTIES_CACHE_DIR")
    if not base:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "smarties")
    return os.path.join(base, "stats")


def _cache_path(source: RasterSource) -> str:
    key = json.dumps([STATS_VERSION, source.identity()], sort_keys=True, default=str)
    return os.path.join(cache_dir(), hashlib.sha1(key.encode()).hexdigest() + ".json")


def sample_windows(width: int, height: int, size: int = 128, per_axis: int = 8) -> list[tuple[int, int, int, int]]:
    """Evenly spread windows (x, y, w, h) for sampling a large raster without reading it all."""
    w, h = min(size, width), min(size, height)
    xs = np.unique(np.linspace(0, width - w, min(per_axis, max(1, width // w))).round().astype(int))
    ys = np.unique(np.linspace(0, height - h, min(per_axis, max(1, height // h))).round().astype(int))
    return [(int(x), int(y), w, h) for y in ys for x in xs]


def read_sample(source: RasterSource, max_pixels: int = 1 << 20) -> list[np.ndarray]:
    """Valid pixel values of each band over a sample of the raster (decimated or spread windows)."""
    n = source.width * source.height
    if n <= 4 * max_pixels:
        f = max(1.0, (n / max_pixels) ** 0.5)
        bw, bh = max(1, int(source.width / f)), max(1, int(source.height / f))
        data, valid = source.read(0, 0, source.width, source.height, buf_size=(bw, bh))
        return [d[valid] for d in data]
    parts: list[list[np.ndarray]] = [[] for _ in range(source.count)]
    for x, y, w, h in sample_windows(source.width, source.height):
        data, valid = source.read(x, y, w, h)
        for k in range(source.count):
            parts[k].append(data[k][valid])
    return [np.concatenate(p) for p in parts]


def stats_from_values(values: np.ndarray) -> BandStats:
    """p1/p99 of the values, mean/std of the clipped, rescaled values."""
    p1, p99 = np.percentile(values, [1, 99]).astype(float)
    span = max(p99 - p1, _MIN_SPAN)
    x = np.clip((values.astype(np.float64) - p1) / span, 0, 1)
    return BandStats(float(p1), float(p1 + span), float(x.mean()), float(max(x.std(), _MIN_SPAN)))


def compute_stats(source: RasterSource, use_cache: bool = True) -> list[BandStats]:
    """Statistics of every band of `source` from a sample of its valid pixels (cached per file)."""
    path = _cache_path(source)
    if use_cache and os.path.exists(path):
        try:
            with open(path) as f:
                return [BandStats(**d) for d in json.load(f)]
        except (OSError, ValueError, TypeError):
            pass  # a broken cache entry is recomputed
    values = read_sample(source)
    if not values or values[0].size == 0:
        raise RasterError(f"{source.label} has no valid pixels in the processed area (everything is "
                          "nodata or masked). Check the nodata value or choose another extent.")
    stats = [stats_from_values(v) for v in values]
    for st in stats:
        st.origin = COMPUTED_TEXT
    if use_cache:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.part"  # concurrent jobs never see half a file
            with open(tmp, "w") as f:
                json.dump([s.to_dict() for s in stats], f)
            os.replace(tmp, path)
        except OSError:
            pass  # the cache is an optimisation only
    return stats


def card_stats(card: Optional[dict], sensor: Optional[str], band_name: str) -> Optional[BandStats]:
    """Statistics published in a model card for sensor/band, or None."""
    try:
        d = (card or {})["normalization"][sensor][band_name]
        stats = BandStats(float(d["p1"]), float(d["p99"]), float(d["mean"]), float(d["std"]), "card")
    except (KeyError, TypeError, ValueError):
        return None
    prov = ((card or {}).get("normalization_provenance") or {}).get(sensor) or {}
    stats.origin = prov.get("text") or f"model card statistics for {sensor}"
    return stats


def stats_summary(stats: Sequence[BandStats], labels: Sequence[str]) -> str:
    """One line for reports and metadata: which statistics normalised which bands."""
    groups: dict[str, list[str]] = {}
    for s, label in zip(stats, labels):
        groups.setdefault(s.origin or s.source, []).append(label)
    return "; ".join(f"{origin}: {', '.join(names)}" for origin, names in groups.items())


def band_statistics(source: RasterSource, decisions: Sequence, card: Optional[dict] = None,
                    mode: str = "auto", sensor: Optional[str] = None) -> list[BandStats]:
    """One BandStats per read band: model card where known (mode auto|card), else computed.

    mode raster (or its older name percentiles) computes every band's statistics from the raster."""
    if mode not in MODES:
        raise RasterError(f"Unknown normalisation mode '{mode}'; use auto (model card where it has the "
                          "sensor, else this raster), card or raster.")
    out: list[Optional[BandStats]] = []
    for d in decisions:
        band = getattr(d, "band", d)
        s = None
        if mode not in ("percentiles", "raster"):
            s = card_stats(card, getattr(band, "sensor", None) or sensor, getattr(band, "name", str(band)))
        if s is None and mode == "card":
            raise RasterError(f"The model card has no normalisation statistics for band "
                              f"'{getattr(band, 'name', band)}' of sensor '{getattr(band, 'sensor', None) or sensor}'. "
                              "Use normalisation 'auto' or 'raster' to compute them from the input.")
        out.append(s)
    if any(s is None for s in out):
        computed = compute_stats(source)
        out = [s if s is not None else c for s, c in zip(out, computed)]
    return out  # type: ignore[return-value]


class Normalizer:
    """Applies the published normalisation with fixed per-band statistics."""

    def __init__(self, stats: Sequence[BandStats]):
        self.stats = list(stats)
        self._p1 = np.array([s.p1 for s in stats], np.float32)[:, None, None]
        self._inv_span = (1.0 / np.array([max(s.p99 - s.p1, _MIN_SPAN) for s in stats], np.float32))[:, None, None]
        self._mean = np.array([s.mean for s in stats], np.float32)[:, None, None]
        self._inv_std = (1.0 / np.array([max(s.std, _MIN_SPAN) for s in stats], np.float32))[:, None, None]

    def terms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(p1, 1 / span, mean, 1 / std) as float32 [C, 1, 1]: the steps of __call__, for the GPU path."""
        return self._p1, self._inv_span, self._mean, self._inv_std

    def __call__(self, data: np.ndarray, valid: Optional[np.ndarray] = None) -> np.ndarray:
        """Normalise float32 [C, H, W] in place; invalid pixels become 0."""
        data -= self._p1
        data *= self._inv_span
        np.clip(data, 0.0, 1.0, out=data)
        data -= self._mean
        data *= self._inv_std
        if valid is not None:
            data[:, ~valid] = 0.0
        return data
