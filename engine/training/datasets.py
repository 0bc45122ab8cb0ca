"""Co-registered image pairs for pretraining: in-memory synthetic pairs, or a folder of GeoTIFF pairs.

Every item is a `PairSample`: two normalised images of the same ground on the same grid, the
projection-layer mix of each band, and the sensors. Normalisation is the published one
(p1/p99 clip, then mean/std), with statistics from a model card or computed from the data.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from ..errors import BandError, RasterError
from ..raster.normalize import BandStats, Normalizer, stats_from_values
from .simulate import render, sensor_bands
from .synthetic import make_scene

Mix = tuple[tuple[int, float], ...]
# Pair kinds used to pretrain the default model, with sampling weights. Landsat-8 (and NAIP) are
# kept out on purpose: the probes measure transfer to a sensor never seen in training.
DEFAULT_PAIRS: tuple[tuple[str, str, float], ...] = (
    ("sentinel2_l2a", "sentinel1_grd", 0.45),
    ("sentinel2_l1c", "sentinel1_grd", 0.15),
    ("sentinel2_l2a", "rgb_vhr", 0.25),
    ("sentinel2_l1c", "rgb_vhr", 0.15),
)
CARD_SENSORS = ("sentinel2_l2a", "sentinel2_l1c", "sentinel1_grd", "landsat8", "naip", "rgb_vhr")


@dataclass
class PairSample:
    """Two co-registered normalised images [C, H, W] (float32) and their band mixes."""

    a: np.ndarray
    b: np.ndarray
    mixes_a: list[Mix]
    mixes_b: list[Mix]
    sensors: tuple[str, str]
    labels: Optional[np.ndarray] = None  # [H, W] uint8 (synthetic only)

    @property
    def kind(self) -> tuple:
        """Key of the band layout: samples with equal kinds can share a batch."""
        return (tuple(self.mixes_a), tuple(self.mixes_b))


def usable_bands(sensor: str, names: Optional[Sequence[str]] = None) -> tuple[list[int], list[str], list[Mix]]:
    """(channel indices, band names, layer mixes) of the bands of a preset the model can take.

    Bands with no projection layer (cirrus/water vapour, a second thermal band) are left out;
    `names` restricts to those bands (in the preset's order).
    """
    from ..spectral import resolve_band

    idx, out_names, mixes = [], [], []
    for i, b in enumerate(sensor_bands(sensor)):
        if names is not None and b.name not in names:
            continue
        try:
            d = resolve_band(f"{sensor}:{b.name}")
        except BandError:
            continue
        if d.kind == "unsupported" or not d.mix:
            continue
        idx.append(i)
        out_names.append(b.name)
        mixes.append(tuple((int(k), float(w)) for k, w in d.mix))
    if not idx:
        raise BandError(f"Sensor '{sensor}' has no band the model can use.")
    return idx, out_names, mixes


def synthetic_normalization(sensors: Sequence[str] = CARD_SENSORS, n_scenes: int = 12, size: int = 192,
                            seed: int = 900000) -> dict:
    """card["normalization"] from synthetic scenes: {sensor: {band: {p1, p99, mean, std}}}."""
    scenes = [make_scene(seed + i, size=size, doy=int(30 + (i * 97) % 300)) for i in range(n_scenes)]
    out: dict = {}
    for sensor in sensors:
        imgs = [render(s, sensor) for s in scenes]
        names = imgs[0].band_names
        out[sensor] = {}
        for k, name in enumerate(names):
            vals = np.concatenate([im.data[k].ravel() for im in imgs]).astype(np.float64)
            if imgs[0].nodata is not None:
                vals = vals[vals != imgs[0].nodata]
            st = stats_from_values(vals[:: max(1, vals.size // 400000)])
            out[sensor][name] = {"p1": st.p1, "p99": st.p99, "mean": st.mean, "std": st.std}
    return out


def stats_for(normalization: dict, sensor: str, names: Sequence[str]) -> list[BandStats]:
    """BandStats of each named band of `sensor` from a card-style normalization dict."""
    try:
        table = normalization[sensor]
        return [BandStats(**{k: float(table[n][k]) for k in ("p1", "p99", "mean", "std")}) for n in names]
    except KeyError as exc:
        raise BandError(f"No normalisation statistics for band {exc} of sensor '{sensor}'; "
                        "recompute them (synthetic_normalization) or give them in the config.") from exc


def normalize(data: np.ndarray, stats: Sequence[BandStats], nodata: Optional[float] = None) -> np.ndarray:
    """The published normalisation of [C, H, W]; NaN and nodata pixels become 0."""
    x = data.astype(np.float32, copy=True)
    valid = np.isfinite(x).all(0)
    if nodata is not None:
        valid &= ~(data == nodata).all(0)
    x[:, ~valid] = 0.0
    return Normalizer(stats)(x, valid)


def split_sensor_spec(spec: str) -> tuple[str, Optional[list[str]]]:
    """'landsat7:B6' -> ('landsat7', ['B6']): a preset, or some of its bands after a colon
    (comma-separated), e.g. a thermal band alone to stack with another sensor. Unknown band
    names are errors that list the preset's bands."""
    preset, _, rest = str(spec).partition(":")
    if not rest:
        return preset, None
    names = [n.strip() for n in rest.split(",") if n.strip()]
    known = [b.name for b in sensor_bands(preset)]
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise BandError(f"Sensor spec '{spec}': {', '.join(unknown) or 'no band'} is not a band of {preset} "
                        f"(its bands: {', '.join(known)}).")
    return preset, names


class SyntheticPairDataset:
    """Co-registered synthetic pairs kept in memory (float16), deterministic by seed. A sensor of a
    pair is a preset ('sentinel1_grd') or some of a preset's bands ('landsat7:B6')."""

    def __init__(self, n_scenes: int, size: int = 256, pairs: Sequence[tuple[str, str, float]] = DEFAULT_PAIRS,
                 seed: int = 0, normalization: Optional[dict] = None, progress=None):
        specs = {s: split_sensor_spec(s) for p in pairs for s in p[:2]}
        self.normalization = normalization or synthetic_normalization(sorted({v[0] for v in specs.values()}))
        rng = np.random.default_rng([seed, 17])
        weights = np.array([p[2] for p in pairs], dtype=np.float64)
        choice = rng.choice(len(pairs), size=n_scenes, p=weights / weights.sum())
        self.items: list[PairSample] = []
        band_cache: dict = {}
        for i in range(n_scenes):
            sa, sb, _ = pairs[choice[i]]
            scene = make_scene(seed * 100003 + i, size=size, doy=int(rng.integers(1, 365)))
            imgs = []
            for sensor in (sa, sb):
                preset, only = specs[sensor]
                if sensor not in band_cache:
                    idx, names, mixes = usable_bands(preset, only)
                    if not idx:
                        raise BandError(f"Sensor spec '{sensor}' leaves no band the model can take.")
                    band_cache[sensor] = (idx, names, mixes, stats_for(self.normalization, preset, names))
                idx, names, mixes, stats = band_cache[sensor]
                im = render(scene, preset)
                imgs.append((normalize(im.data[idx], stats, im.nodata).astype(np.float16), mixes))
            self.items.append(PairSample(imgs[0][0], imgs[1][0], imgs[0][1], imgs[1][1], (sa, sb), scene.labels))
            if progress:
                progress((i + 1) / n_scenes, f"synthetic pair {i + 1}/{n_scenes}")

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> PairSample:
        it = self.items[i]
        return PairSample(it.a.astype(np.float32), it.b.astype(np.float32), it.mixes_a, it.mixes_b, it.sensors, it.labels)


def _identify(path: str, sensor: Optional[str]) -> list:
    """BandSpec per band of a file (engine.bands.identify_bands; descriptions + preset as fallback)."""
    try:
        from ..bands import identify_bands
    except ImportError:
        identify_bands = None
    if identify_bands is not None:
        return [bi.band for bi in identify_bands(path, sensor=sensor)]
    from osgeo import gdal

    from ..spectral import preset_band

    ds = gdal.Open(path)
    out = []
    for k in range(ds.RasterCount):
        desc = ds.GetRasterBand(k + 1).GetDescription()
        try:
            out.append(preset_band(sensor, desc) if sensor and desc else None)
        except (BandError, ValueError, KeyError):
            out.append(None)
    return out


class FolderPairDataset:
    """Co-registered GeoTIFF pairs in <root>/<a>/*.tif and <root>/<b>/*.tif, matched by file name."""

    def __init__(self, root: str | os.PathLike, a: str = "s2", b: str = "s1", sensor_a: Optional[str] = None,
                 sensor_b: Optional[str] = None, normalization: Optional[dict] = None):
        from ..spectral import CIRRUS_NM, resolve_band

        root = Path(root)
        dirs = (root / a, root / b)
        files = []
        for d in dirs:
            found = sorted(p for p in d.glob("*.tif*") if p.suffix.lower() in (".tif", ".tiff")) if d.is_dir() else []
            if not found:
                raise RasterError(f"No GeoTIFF files in {d}. A pair folder needs {root}/{a}/NAME.tif and "
                                  f"{root}/{b}/NAME.tif with the same NAME for each co-registered pair.")
            files.append({p.name: p for p in found})
        common = sorted(set(files[0]) & set(files[1]))
        unmatched = sorted(set(files[0]) ^ set(files[1]))
        if not common:
            raise RasterError(f"No file name appears in both {dirs[0]} and {dirs[1]}; pairs are matched by "
                              f"identical names (unmatched: {', '.join(unmatched[:5])}).")
        self.unmatched = unmatched  # reported, not fatal: a user's archive may have gaps
        self.pairs = [(str(files[0][n]), str(files[1][n])) for n in common]
        self.sensors = (sensor_a or a, sensor_b or b)
        self.layout = []  # per side: (channel indices, band names, mixes, sensor)
        first = self.pairs[0]
        for side, path in enumerate(first):
            specs = _identify(path, (sensor_a, sensor_b)[side])
            idx, names, mixes = [], [], []
            for k, spec in enumerate(specs):
                if spec is None:
                    raise BandError(f"Band {k + 1} of {path} cannot be identified (no description, metadata or "
                                    "preset match). Give the sensor preset (sensor_a/sensor_b) or set band descriptions.")
                if spec.max_nm > CIRRUS_NM[0] and spec.min_nm < CIRRUS_NM[1]:
                    continue  # cirrus/water-vapour bands carry no ground signal and have no layer
                try:
                    d = resolve_band(spec)
                except BandError as exc:
                    raise BandError(f"{path}, band {k + 1} ({spec.name}): {exc}") from exc
                idx.append(k)
                names.append(spec.name)
                mixes.append(tuple((int(i), float(w)) for i, w in d.mix))
            sensor = getattr(specs[0], "sensor", None) or self.sensors[side]
            self.layout.append((idx, names, mixes, sensor))
        self.normalization = normalization or {}
        self._stats = [self._side_stats(s) for s in (0, 1)]

    def _read(self, path: str) -> tuple[np.ndarray, Optional[float], tuple]:
        from osgeo import gdal

        ds = gdal.Open(path)
        if ds is None:
            raise RasterError(f"Cannot open {path} as a raster.")
        nodata = ds.GetRasterBand(1).GetNoDataValue()
        return ds.ReadAsArray().reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize), nodata, (
            ds.GetGeoTransform(), (ds.RasterXSize, ds.RasterYSize), ds.GetProjection())

    def _side_stats(self, side: int) -> list[BandStats]:
        idx, names, _, sensor = self.layout[side]
        if sensor in self.normalization and all(n in self.normalization[sensor] for n in names):
            return stats_for(self.normalization, sensor, names)
        # Statistics from (up to 16 of) the user's own files, nodata and NaN excluded.
        vals: list[list[np.ndarray]] = [[] for _ in idx]
        for pair in self.pairs[:16]:
            data, nodata, _ = self._read(pair[side])
            for j, k in enumerate(idx):
                v = data[k].astype(np.float64).ravel()
                ok = np.isfinite(v) & ((v != nodata) if nodata is not None else True)
                vals[j].append(v[ok])
        stats = []
        for j, k in enumerate(idx):
            v = np.concatenate(vals[j])
            if v.size == 0:
                raise RasterError(f"Band {names[j]} has no valid pixels in any of {self.pairs[0][side]} ...; "
                                  "check the nodata value of the files.")
            stats.append(stats_from_values(v))
        self.normalization.setdefault(sensor, {}).update(
            {n: s.to_dict() for n, s in zip(names, stats)})
        return stats

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, i: int) -> PairSample:
        pa, pb = self.pairs[i]
        (da, na, ga), (db, nb, gb) = self._read(pa), self._read(pb)
        from ..raster.grid import same_grid

        why = same_grid(ga[0], ga[1], ga[2], gb[0], gb[1], gb[2])
        if why:
            raise RasterError(f"{pa} and {pb} are not on the same grid ({why}). Pretraining pairs must be "
                              "co-registered: warp one onto the other's grid (gdalwarp -te/-tr/-t_srs) first.")
        out = []
        for side, (data, nodata, path) in enumerate(((da, na, pa), (db, nb, pb))):
            idx, names, mixes, _ = self.layout[side]
            sub = data[idx].astype(np.float32)
            valid = np.isfinite(sub).all(0)
            if nodata is not None:
                valid &= ~(sub == nodata).all(0)
            if not valid.any():
                raise RasterError(f"{path} has no valid pixels (all NaN or nodata); remove it from the pair folder.")
            out.append(normalize(sub, self._stats[side], nodata))
        return PairSample(out[0], out[1], self.layout[0][2], self.layout[1][2], (self.layout[0][3], self.layout[1][3]))
