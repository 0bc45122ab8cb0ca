"""Seasonal series for SeaMo pretraining and probes: T dates x M sensors of each synthetic place, and
a batcher with non-aligned ("partially overlapping") crops.

Each place is one synthetic landscape (engine.training.synthetic.make_series) seen on T dates, one
per season (days of year 80/170/260/350 by default, each jittered by up to +-jitter days), by every
sensor of the series (Sentinel-2 L2A and Sentinel-1 GRD by default), normalised as the probes and
the engine do. Labels: land cover per date, and a crop type per pixel (255 off crop parcels).

Crop types differ only by their calendar: sown in winter or in spring, harvested in summer or in
autumn (`CROP_CALENDARS`, 2 x 2). The spring date shows the sowing season, the autumn and winter
dates show the harvest season, the summer date shows both only blurred (growth stages overlap once
the days of year are jittered): no single date separates the four types, the series does.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
import torch

from .datasets import normalize, stats_for, synthetic_normalization, usable_bands
from .simulate import render
from .synthetic import NODATA_LABEL, _layout, _render_date

SEASON_DOYS = (80, 170, 260, 350)
# Crop type: (sowing days, harvest days) of the year; the generator grows a crop from sowing to harvest.
CROP_CALENDARS = {
    "winter_sown_summer_harvest": ((10, 30), (200, 215)),
    "winter_sown_autumn_harvest": ((10, 30), (305, 320)),
    "spring_sown_summer_harvest": ((110, 125), (200, 215)),
    "spring_sown_autumn_harvest": ((110, 125), (305, 320)),
}
PHENOLOGY_CLASSES = tuple(CROP_CALENDARS)


def calendar_layout(seed: int, size: int):
    """The generator's layout of a place with every crop parcel given one of the crop types of
    CROP_CALENDARS (drawn uniformly, from its own random stream) -> (layout, crop type per parcel)."""
    lay = _layout(seed, size, size)
    rng = np.random.default_rng([seed, 4271])
    n = len(lay.parcel_kind)
    kind = rng.integers(0, len(CROP_CALENDARS), n)
    cal = np.array(list(CROP_CALENDARS.values()), np.float64)  # [K, 2 (sow, harvest), 2 (lo, hi)]
    sow = rng.uniform(cal[kind, 0, 0], cal[kind, 0, 1])
    harvest = rng.uniform(cal[kind, 1, 0], cal[kind, 1, 1])
    crop = lay.parcel_kind == 0
    lay.parcel_sow = np.where(crop, sow, lay.parcel_sow)
    lay.parcel_len = np.where(crop, harvest - sow, lay.parcel_len)
    return lay, kind


def phenology_labels(seed: int, size: int) -> np.ndarray:
    """[H, W] uint8: crop type (index in PHENOLOGY_CLASSES) of crop-parcel pixels, 255 elsewhere."""
    lay, kind = calendar_layout(seed, size)
    crop = (lay.base < 0) & (lay.parcel_kind[lay.parcel] == 0)
    return np.where(crop, kind[lay.parcel], NODATA_LABEL).astype(np.uint8)


@dataclass
class SeriesPlace:
    """One place: images[t][m] float16 [C_m, H, W], days of year, labels per date, phenology."""

    images: list
    doys: list
    labels: list  # [t] -> [H, W] uint8 land cover (engine.training.synthetic.CLASSES)
    phenology: np.ndarray  # [H, W] uint8


class SyntheticSeriesDataset:
    """`n_places` places x `dates` seasonal dates x `sensors`, in memory (float16), deterministic by seed."""

    def __init__(self, n_places: int, size: int = 96, dates: int = 4,
                 sensors: Sequence[str] = ("sentinel2_l2a", "sentinel1_grd"), seed: int = 0, jitter: int = 20,
                 normalization: Optional[dict] = None, cloud_cover: Optional[float] = None, progress=None,
                 cache: Optional[str] = None):
        if not 1 <= dates <= len(SEASON_DOYS) * 3:
            raise ValueError(f"dates must be 1..{len(SEASON_DOYS) * 3}, got {dates}")
        self.size, self.sensors, self.seed = size, list(sensors), seed
        self.normalization = normalization or synthetic_normalization(self.sensors)
        self.band_index, self.band_names, self.mixes = [], [], []
        for s in self.sensors:
            idx, names, mixes = usable_bands(s)
            self.band_index.append(idx)
            self.band_names.append(names)
            self.mixes.append(mixes)
        self.stats = [stats_for(self.normalization, s, n) for s, n in zip(self.sensors, self.band_names)]
        self._key = json.dumps({"n": n_places, "size": size, "dates": dates, "sensors": self.sensors, "seed": seed,
                                "jitter": jitter, "cloud_cover": cloud_cover,
                                "crops": "calendars-2x2"})
        if cache and self._load(cache):
            return
        base = [SEASON_DOYS[k % len(SEASON_DOYS)] + 365 * (k // len(SEASON_DOYS)) for k in range(dates)]
        self.places: list[SeriesPlace] = []
        for i in range(n_places):
            place_seed = seed * 100003 + i
            rng = np.random.default_rng([place_seed, 17])
            doys = [int(d + rng.integers(-jitter, jitter + 1)) if jitter else int(d) for d in base]
            lay, _ = calendar_layout(place_seed, size)
            scenes = [_render_date(lay, place_seed, d % 365 or 365, 10.0, cloud_cover) for d in doys]
            images, labels = [], []
            for scene in scenes:
                per = []
                for s, idx, st in zip(self.sensors, self.band_index, self.stats):
                    img = render(scene, s)
                    per.append(normalize(img.data[idx], st, img.nodata).astype(np.float16))
                images.append(per)
                labels.append(scene.labels.copy())
            self.places.append(SeriesPlace(images, doys, labels, phenology_labels(place_seed, size)))
            if progress is not None and (i + 1) % 20 == 0:
                progress(f"series places {i + 1}/{n_places}")
        if cache:
            self._save(cache)

    def __len__(self) -> int:
        return len(self.places)

    def _save(self, path: str) -> None:
        """Every place in one .npz (arrays and a JSON key only), shared by runs with the same data."""
        arrays = {"key": np.array(self._key), "doys": np.array([p.doys for p in self.places]),
                  "phenology": np.stack([p.phenology for p in self.places]),
                  "labels": np.stack([np.stack(p.labels) for p in self.places])}
        for m in range(len(self.sensors)):
            arrays[f"images_{m}"] = np.stack([np.stack([d[m] for d in p.images]) for p in self.places])
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.partial.npz"
        np.savez(tmp, **arrays)
        os.replace(tmp, path)

    def _load(self, path: str) -> bool:
        """Places from a cache written with the same settings; False when absent or different."""
        try:
            with np.load(path, allow_pickle=False) as z:
                if str(z["key"]) != self._key:
                    return False
                imgs = [z[f"images_{m}"] for m in range(len(self.sensors))]
                n, dates = z["doys"].shape
                self.places = [SeriesPlace([[imgs[m][i, t] for m in range(len(imgs))] for t in range(dates)],
                                           z["doys"][i].tolist(), list(z["labels"][i]), z["phenology"][i])
                               for i in range(n)]
            return True
        except (OSError, KeyError, ValueError):
            return False

    @property
    def dates(self) -> int:
        return len(self.places[0].images) if self.places else 0


class SeriesBatcher:
    """Random crops of places: one crop box per date (non-aligned, side fraction r ~ U[scale]) shared
    by the modalities of that date, or one box for every date (aligned=True, same-location crops)."""

    def __init__(self, dataset: SyntheticSeriesDataset, crop: int = 64, scale=(0.5, 1.0), aligned: bool = False,
                 seed: int = 0, modalities: Optional[Sequence[int]] = None):
        self.ds, self.crop, self.scale, self.aligned = dataset, crop, tuple(scale), aligned
        self.rng = np.random.default_rng(seed)
        self.modalities = list(range(len(dataset.sensors))) if modalities is None else list(modalities)

    @property
    def mixes(self) -> list:
        return [self.ds.mixes[m] for m in self.modalities]

    def _box(self) -> tuple[int, int, int]:
        s = self.ds.size
        side = max(16, int(round(self.rng.uniform(*self.scale) * s)))
        y, x = (int(v) for v in self.rng.integers(0, s - side + 1, 2))
        return y, x, side

    def _cut(self, arr: np.ndarray, box) -> torch.Tensor:
        y, x, side = box
        t = torch.from_numpy(arr[:, y:y + side, x:x + side].astype(np.float32))[None]
        if side != self.crop:
            t = torch.nn.functional.interpolate(t, size=(self.crop, self.crop), mode="bilinear",
                                                antialias=side > self.crop, align_corners=False)
        return t[0]

    def sample(self, batch_size: int, n_dates: Optional[int] = None) -> list[list[torch.Tensor]]:
        """series[t][m] tensors [B, C_m, crop, crop]; n_dates < T takes that many consecutive dates
        from a random start (stage 1 of the schedule: one date)."""
        total = self.ds.dates
        n_dates = n_dates or total
        out = [[[] for _ in self.modalities] for _ in range(n_dates)]
        for _ in range(batch_size):
            place = self.ds.places[int(self.rng.integers(len(self.ds)))]
            start = int(self.rng.integers(0, total - n_dates + 1))
            shared = self._box() if self.aligned else None
            for t in range(n_dates):
                box = shared or self._box()
                for k, m in enumerate(self.modalities):
                    out[t][k].append(self._cut(place.images[start + t][m], box))
        return [[torch.stack(x) for x in date] for date in out]
