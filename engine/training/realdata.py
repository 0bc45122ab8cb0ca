"""Real imagery for pretraining: any folder of GeoTIFFs becomes co-registered pairs and single scenes.

A folder is scanned recursively. Each GeoTIFF's bands are identified with the engine's band
identification (`engine.bands.identify_bands`), with the sensor preset taken from the file's
`SENSOR` metadata item where it names one ("Sentinel-2 MSI" + `PROCESSING_LEVEL` L2A ->
sentinel2_l2a, "Landsat-5 TM" -> landsat5, ...) or from the config (`sensors`: {glob: preset}).
Bands nothing identifies (QA, Fmask, labels) are left out; files with no identified band are skipped.

Within one directory, two files of different sensors (e.g. `s2.tif` + `s1.tif`) are a co-registered
pair and must be on the same grid; every other file is a single scene (a multi-date folder gives
one single per date). A single's second image is itself block-averaged 2x2 (the same place seen by
a coarser product), so cross-sensor mixup and the views work the same way for both.

Normalisation is the published rule. Sentinel-2 and Sentinel-1 files use the model card's statistics
(as `normalization auto` does at inference; real products share the card's units). Other presets
(Landsat DN, NAIP/aerial 8-bit, ...): with `real_stats`, statistics pooled over all training files of
the preset, which the exported card then carries, so `normalization auto` at inference normalises
such files as training did; without it (or for files listed in `file_stats`), statistics of the
file's own valid pixels (what `normalization raster` does at inference). Nodata and NaN pixels are kept as a mask;
crops are drawn where at least `min_valid` of the pixels are valid.

Values are read in the units inference normalises (`engine.raster.units`): Landsat Level-1 DN with
their MTL become TOA reflectance x10000 and brightness temperature in kelvin. Statistics of files
with an Fmask band come from their clear pixels (clear land and water), as clouds and snow saturate
reflectance and would set p99 at the sensor's ceiling.
"""
from __future__ import annotations

import fnmatch
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from ..errors import BandError, RasterError
from ..raster.normalize import BandStats, Normalizer, stats_from_values
from ..sensors import preset_from_metadata
from .datasets import PairSample

@dataclass
class RealImage:
    """One GeoTIFF as the model takes it: normalised usable bands (float16) and a valid mask."""

    path: str
    sensor: str  # preset id, or "" when the bands were identified without one
    bands: list  # encoder band entries ("preset:name" or BandSpec), one per kept channel
    mixes: list
    data: np.ndarray  # [C, H, W] float16, normalised, invalid pixels 0
    valid: np.ndarray  # [H, W] bool
    grid: tuple  # (geotransform, (width, height), projection wkt)
    stats_from: str  # "card" or "file"


def list_geotiffs(root: Path, exclude: Sequence[str] = ()) -> list[Path]:
    """GeoTIFFs under root (recursive, sorted), minus paths matching any `exclude` glob/substring."""
    out = []
    for p in sorted(root.rglob("*")):
        if p.suffix.lower() not in (".tif", ".tiff") or not p.is_file():
            continue
        rel = str(p.relative_to(root))
        if any(fnmatch.fnmatch(rel, pat) or pat in rel for pat in exclude):
            continue
        out.append(p)
    return out


def _read_file(path: Path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    if ds is None:
        raise RasterError(f"Cannot open {path} as a raster; remove it from the training folder.")
    data = ds.ReadAsArray()
    data = data.reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize)
    nodata = ds.GetRasterBand(1).GetNoDataValue()
    descriptions = [ds.GetRasterBand(i + 1).GetDescription() or "" for i in range(ds.RasterCount)]
    return data, nodata, (tuple(ds.GetGeoTransform()), (ds.RasterXSize, ds.RasterYSize), ds.GetProjection()), \
        ds.GetMetadata() or {}, descriptions


def identify_file(path: Path, preset: Optional[str], bands: Optional[Sequence[str]] = None
                  ) -> tuple[list[int], list, list, str, list]:
    """(kept band indices, encoder band entries, layer mixes, sensor, kept band identities) of one
    file; bands with no identity, no projection layer (cirrus, water vapour) or outside the model's
    ranges are left out."""
    from ..bands import identify_bands
    from ..spectral import resolve_band

    try:
        idents = identify_bands(str(path), sensor=preset, bands=bands)
    except BandError:
        if bands is not None:
            raise
        idents = identify_bands(str(path))  # the preset does not fit: names/metadata alone
    idx, entries, mixes, sensor, kept = [], [], [], preset or "", []
    for k, ident in enumerate(idents):
        spec = ident.band
        if spec is None:
            continue
        try:
            d = resolve_band(spec)
        except BandError:
            continue
        if d.kind == "unsupported" or not d.mix:
            continue
        idx.append(k)
        entries.append(f"{spec.sensor}:{spec.name}" if spec.sensor else spec)
        mixes.append(tuple((int(i), float(w)) for i, w in d.mix))
        kept.append(ident)
        sensor = sensor or (spec.sensor or "")
    return idx, entries, mixes, sensor, kept


# Presets whose card statistics are in the units real products come in (reflectance x10000, dB);
# the other presets' card statistics describe synthetic reflectance that real DN or 8-bit files lack
# (with data.real_stats they are replaced by statistics pooled over the real training files).
CARD_UNITS_SENSORS = ("sentinel2_l2a", "sentinel2_l1c", "sentinel1_grd")
FMASK_CLEAR = (0, 1)  # Fmask classes clear land and water (2 shadow, 3 snow, 4 cloud)
MIN_CLEAR = 1000  # fewer clear values than this: statistics use all valid pixels


@dataclass
class RawImage:
    """One GeoTIFF's identified bands before normalisation (float32, invalid pixels kept as read)."""

    path: str
    sensor: str
    bands: list
    mixes: list
    data: np.ndarray  # [C, H, W] float32
    valid: np.ndarray  # [H, W] bool
    grid: tuple
    clear: Optional[np.ndarray] = None  # [H, W] bool: Fmask clear land or water (files with an fmask band)
    units: tuple = ()  # conversions applied on reading (engine.raster.units), one note per kind

    @property
    def names(self) -> list:
        return [e.split(":", 1)[1] if isinstance(e, str) else None for e in self.bands]

    def sample(self, cap: int = 200000, clear: bool = True) -> list[np.ndarray]:
        """Valid values of each band, decimated to at most about `cap` per band. Where the file has
        an Fmask band (and `clear`), only clear pixels count: clouds and snow saturate reflectance
        and would set p99 at the sensor's ceiling."""
        use = self.clear if clear and self.clear is not None else self.valid
        return [b[use][:: max(1, int(use.sum()) // cap)] for b in self.data]


def read_image(path: Path, preset: Optional[str], bands: Optional[Sequence[str]] = None) -> Optional[RawImage]:
    """A RawImage, or None when no band of the file can be identified (`bands`: one entry per
    band of the file, e.g. "landsat8:B2" or "skip", for files that do not name their bands).

    Values are converted as inference converts them (`engine.raster.units`): Landsat Level-1 DN with
    the MTL next to the file become TOA reflectance x10000 / brightness temperature in kelvin, so
    the statistics pooled over training files are in the units inference normalises."""
    data, nodata, grid, meta, descriptions = _read_file(path)
    preset = preset or preset_from_metadata(meta)
    idx, entries, mixes, sensor, kept = identify_file(path, preset, bands)
    if not idx:
        return None
    sub = data[idx].astype(np.float32)
    valid = np.isfinite(sub).all(0)
    if nodata is not None:
        valid &= ~(sub == nodata).any(0)
    units: tuple = ()
    if sensor.startswith(("landsat", "hls_l30")):
        sub, valid, units = _converted(path, idx, kept, sub, valid)
    if not valid.any():
        raise RasterError(f"{path} has no valid pixels (all NaN or nodata {nodata}); remove it from the training folder.")
    clear = None
    fmask = [k for k, d in enumerate(descriptions) if d.strip().lower() == "fmask"]
    if fmask:
        clear = valid & np.isin(data[fmask[0]], FMASK_CLEAR)
    return RawImage(str(path), sensor, entries, mixes, sub, valid, grid, clear, units)


def _converted(path: Path, idx: list, kept: list, sub: np.ndarray, valid: np.ndarray):
    """(values, valid, notes) after the unit conversions inference applies to these bands."""
    from ..raster.io import RasterSource
    from ..raster.units import apply_units

    source = RasterSource(str(path), idx)
    try:
        notes = apply_units(source, kept)
        if not notes:
            return sub, valid, ()
        converted, ok = source.read(0, 0, source.width, source.height)
    finally:
        source.close()
    return converted.astype(np.float32), valid & ok & np.isfinite(converted).all(0), tuple(notes)


def table_stats(table: dict, names: Sequence) -> Optional[list[BandStats]]:
    """BandStats of each named band from one sensor's card-style table, or None if one is missing."""
    if not table or not all(n is not None and n in table for n in names):
        return None
    return [BandStats(**{k: float(table[n][k]) for k in ("p1", "p99", "mean", "std")}) for n in names]


def normalise_image(raw: RawImage, stats: Optional[list[BandStats]], source: str) -> RealImage:
    """The published normalisation with `stats` (None: statistics of the file's own valid pixels)."""
    if stats is None:
        values = raw.sample()
        if min(v.size for v in values) < MIN_CLEAR:  # (nearly) no clear pixel: all valid ones
            values = raw.sample(clear=False)
        stats, source = [stats_from_values(v.astype(np.float64)) for v in values], "file"
    sub = raw.data.copy()
    sub[:, ~raw.valid] = 0.0
    x = Normalizer(stats)(sub, raw.valid)
    return RealImage(raw.path, raw.sensor, raw.bands, raw.mixes, x.astype(np.float16), raw.valid, raw.grid, source)


def load_image(path: Path, preset: Optional[str], normalization: Optional[dict],
               bands: Optional[Sequence[str]] = None, card_sensors: Optional[Sequence[str]] = None
               ) -> Optional[RealImage]:
    """A normalised RealImage, or None when no band of the file can be identified.

    Statistics: `normalization[sensor]` when it has every band (what `--normalization auto` does at
    inference with a card holding those statistics), else the file's own (`raster`). card_sensors
    limits the table lookup to those presets (None: any preset the table has)."""
    raw = read_image(path, preset, bands)
    if raw is None:
        return None
    use = card_sensors is None or raw.sensor in card_sensors
    stats = table_stats((normalization or {}).get(raw.sensor, {}), raw.names) if use else None
    return normalise_image(raw, stats, "card")


def pooled_statistics(raws: Sequence[RawImage], cap: int = 200000) -> dict:
    """{sensor: {band: {p1, p99, mean, std}}} over the valid pixels of all given images of each
    sensor. Files weigh alike: each contributes about as many values per band as the sensor's
    smallest file of at least MIN_CLEAR usable pixels (and at most `cap`), so a large crop of one
    place does not set the statistics of a sensor whose other file is a whole scene. Files with an
    Fmask band contribute their clear pixels, unless the sensor's files have fewer than MIN_CLEAR
    clear pixels in all."""
    def gather(clear: bool) -> dict:
        by_sensor: dict = {}
        for raw in raws:
            use = raw.clear if clear and raw.clear is not None else raw.valid
            by_sensor.setdefault(raw.sensor, []).append((raw, int(use.sum())))
        values: dict = {}
        for sensor, items in by_sensor.items():
            sizable = [n for _, n in items if n >= MIN_CLEAR]
            per_file = min(cap, min(sizable)) if sizable else cap
            for raw, _ in items:
                for name, v in zip(raw.names, raw.sample(per_file, clear)):
                    if name is not None:
                        values.setdefault(sensor, {}).setdefault(name, []).append(v)
        return values

    values, fallback = gather(True), None
    out: dict = {}
    for sensor, bands in values.items():
        for name, parts in bands.items():
            v = np.concatenate(parts)
            if v.size < MIN_CLEAR:
                fallback = fallback or gather(False)
                v = np.concatenate(fallback[sensor][name])
            st = stats_from_values(v.astype(np.float64))
            out.setdefault(sensor, {})[name] = {"p1": st.p1, "p99": st.p99, "mean": st.mean, "std": st.std}
    return out


def _coarser(x: np.ndarray, valid: np.ndarray, f: int = 2) -> np.ndarray:
    """x block-averaged over f x f pixels and replicated back onto the same grid."""
    c, h, w = x.shape
    hh, ww = h // f * f, w // f * f
    out = x.astype(np.float32, copy=True)
    blocks = out[:, :hh, :ww].reshape(c, hh // f, f, ww // f, f).mean(axis=(2, 4))
    out[:, :hh, :ww] = np.repeat(np.repeat(blocks, f, axis=1), f, axis=2)
    out[:, ~valid] = 0.0
    return out.astype(np.float16)


def _same_grid(g1: tuple, g2: tuple) -> Optional[str]:
    from ..raster.grid import same_grid

    return same_grid(g1[0], g1[1], g1[2], g2[0], g2[1], g2[2])


class RealFolderDataset:
    """Pairs and singles from one or more folders of GeoTIFFs (see the module docstring).

    Items are `PairSample`s with two extra attributes: `valid` ([H, W] bool) and `origin`
    ("real"); `sources` lists what was used (path, sensor, bands, pair partner, statistics)."""

    def __init__(self, roots: Sequence[str | os.PathLike], exclude: Sequence[str] = (),
                 sensors: Optional[dict] = None, normalization: Optional[dict] = None, min_size: int = 32,
                 progress: Optional[Callable[[float, str], None]] = None, real_stats: bool = False,
                 file_stats: Sequence[str] = ()):
        roots = [Path(r) for r in ([roots] if isinstance(roots, (str, os.PathLike)) else roots)]
        files: list[tuple[Path, Path]] = []
        for root in roots:
            if not root.is_dir():
                raise RasterError(f"Training folder {root} does not exist; give a folder of GeoTIFFs.")
            files += [(root, p) for p in list_geotiffs(root, exclude)]
        if not files:
            raise RasterError(f"No GeoTIFF (.tif/.tiff) in {', '.join(map(str, roots))}; give a folder of GeoTIFF "
                              "scenes (pairs such as s2.tif + s1.tif in one sub-folder, or single scenes).")
        self.normalization = dict(normalization or {})
        sensors = sensors or {}
        raws: list[tuple[RawImage, bool]] = []  # (image, keeps its own statistics)
        skipped = []
        for n, (root, path) in enumerate(files):
            rel = str(path.relative_to(root))
            preset = next((p for pat, p in sensors.items() if fnmatch.fnmatch(rel, pat) or pat in rel), None)
            raw = read_image(path, preset)
            # One band has no spectral shape (the label-free targets compare bands): pan bands are left out.
            if raw is None or min(raw.data.shape[1:]) < min_size or raw.data.shape[0] < 2:
                skipped.append(str(path))
            else:
                own = any(fnmatch.fnmatch(rel, pat) or pat in rel for pat in file_stats)
                raws.append((raw, own))
            if progress:
                progress((n + 1) / len(files), f"read {path.name}")
        self.skipped = skipped
        if not raws:
            raise BandError(f"No band of any file could be identified in {', '.join(map(str, roots))} "
                            f"(files: {', '.join(Path(s).name for s in skipped[:5])}): set band descriptions "
                            "(B04, VV, ...), a SENSOR metadata item, or give data.sensors {\"glob\": \"preset\"}.")
        # Real-data statistics (real_stats): every preset whose files do not come in the card's units
        # gets statistics pooled over its training files, and they replace the card's (synthetic) ones
        # in self.normalization, which the model card inherits: training and `--normalization auto`
        # then normalise such files the same way.
        self.real_statistics: dict = {}
        self.real_statistics_files: dict = {}
        if real_stats:
            pool = [r for r, own in raws if not own and r.sensor and r.sensor not in CARD_UNITS_SENSORS]
            self.real_statistics = pooled_statistics(pool)
            for r in pool:
                self.real_statistics_files.setdefault(r.sensor, []).append(r.path)
            for sensor, table in self.real_statistics.items():
                self.normalization[sensor] = {**self.normalization.get(sensor, {}), **table}
        by_dir: dict[Path, list[RealImage]] = {}
        for raw, own in raws:
            stats, source = None, "file"
            if not own:
                if raw.sensor in CARD_UNITS_SENSORS:
                    stats, source = table_stats(self.normalization.get(raw.sensor, {}), raw.names), "card"
                elif raw.sensor in self.real_statistics:
                    stats, source = table_stats(self.normalization.get(raw.sensor, {}), raw.names), "real"
            by_dir.setdefault(Path(raw.path).parent, []).append(normalise_image(raw, stats, source))
        self.items: list[PairSample] = []
        self.sources: list[dict] = []
        for folder, imgs in sorted(by_dir.items()):
            kinds = sorted({im.sensor for im in imgs})
            if len(imgs) == 2 and len(kinds) == 2:
                a, b = sorted(imgs, key=lambda im: ("sentinel1" in im.sensor, im.path))  # optical first
                why = _same_grid(a.grid, b.grid)
                if why:
                    raise RasterError(f"{b.path} is not on the grid of {a.path} ({why}); files of two sensors in "
                                      "one folder are a co-registered pair: warp one onto the other's grid "
                                      "(gdalwarp -te/-tr/-t_srs) or move it to its own folder.")
                self._add(a, b)
            else:
                for im in imgs:
                    self._add(im, None)

    def _add(self, a: RealImage, b: Optional[RealImage]) -> None:
        valid = a.valid & (b.valid if b is not None else True)
        xb = b.data if b is not None else _coarser(a.data, a.valid)
        item = PairSample(a.data, xb, list(a.mixes), list(b.mixes if b is not None else a.mixes),
                          (a.sensor, b.sensor if b is not None else a.sensor))
        item.valid = valid
        item.origin = "real"
        item.bands = (a.bands, b.bands if b is not None else a.bands)
        self.items.append(item)
        self.sources.append({"path": a.path, "sensor": a.sensor, "pair": b.path if b is not None else None,
                             "pair_sensor": b.sensor if b is not None else None, "stats": a.stats_from,
                             "pixels": int(valid.sum())})

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> PairSample:
        return self.items[i]


class MixedPairDataset:
    """Real items plus (optionally) synthetic pairs drawn at a chosen share of the batches."""

    def __init__(self, real: RealFolderDataset, synthetic=None, synthetic_share: float = 0.0,
                 crop_scale: Sequence[float] = (0.5, 2.0)):
        self.real, self.synthetic = real, synthetic
        self.crop_scale = tuple(float(v) for v in crop_scale)
        self.synthetic_share = float(synthetic_share) if synthetic is not None and len(synthetic) else 0.0
        self.items = list(real.items)
        if synthetic is not None:
            for i in range(len(synthetic)):
                it = synthetic[i]
                it.origin = "synthetic"
                self.items.append(it)
        self.normalization = dict(getattr(synthetic, "normalization", None) or {})
        self.normalization.update({k: v for k, v in real.normalization.items() if k not in self.normalization})
        # Real-data statistics win: they are what inference must use for real files of those sensors
        # (synthetic pairs keep the synthetic statistics they were rendered for).
        self.normalization.update(real.real_statistics)
        self.provenance = {
            sensor: {"text": f"real-data statistics of {sensor} pooled over {len(files)} training file(s) "
                             f"({', '.join(sorted({Path(f).parent.name for f in files}))})", "files": len(files)}
            for sensor, files in real.real_statistics_files.items()}

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> PairSample:
        return self.items[i]

    def make_batcher(self, crop: int, scale, seed: int = 0):
        """scale: train.crop_scale (area fractions) for the synthetic pairs; real crops use crop_scale."""
        return RealBatcher(self, crop, self.crop_scale, seed, synthetic_scale=scale)


class RealBatcher:
    """Batches of one band layout. Real layouts are drawn in proportion to the square root of their
    valid pixels, synthetic ones at `synthetic_share` of the batches. Real crops are squares of
    crop * 2**U(log2 scale) pixels at native resolution (several scales around the model's),
    resized to `crop`, with at least 90 % valid pixels; identical flips/rotations for both images."""

    min_valid = 0.9
    pixel_cap = 250_000  # one large single-band file must not take over the batches

    def __init__(self, dataset: MixedPairDataset, crop: int, scale=(0.5, 2.0), seed: int = 0,
                 synthetic_scale=(0.06, 0.32)):
        from .pretrain import PairBatcher

        self.dataset, self.crop = dataset, crop
        self.scale = (float(scale[0]), float(scale[1]))
        if not 0 < self.scale[0] <= self.scale[1]:
            raise RasterError(f"data.crop_scale {list(scale)} must be two side factors 0 < low <= high (e.g. [0.5, 2]).")
        self.rng = np.random.default_rng(seed)
        self.last_sensors = None
        self.last_origin = None
        self.groups: dict = {}
        for i, it in enumerate(dataset.items):
            # (mixes a, mixes b, origin): kind[0] is sensor a's layout, as SpectralClusters expects
            self.groups.setdefault(it.kind + (getattr(it, "origin", "real"),), []).append(i)
        self.kinds = list(self.groups)
        w = np.zeros(len(self.kinds))
        real = [k for k in self.kinds if k[-1] == "real"]
        synth = [k for k in self.kinds if k[-1] != "real"]
        for j, k in enumerate(self.kinds):
            if k[-1] == "real":
                px = sum(int(dataset.items[i].valid.sum()) for i in self.groups[k])
                w[j] = math.sqrt(min(px, self.pixel_cap))
        share = dataset.synthetic_share if synth else 0.0
        w[[self.kinds.index(k) for k in real]] *= (1 - share) / max(w.sum(), 1e-9)
        for k in synth:
            w[self.kinds.index(k)] = share * len(self.groups[k]) / sum(len(self.groups[s]) for s in synth)
        self.weights = w / w.sum()
        # Synthetic items are cropped the way the synthetic stages were.
        self._synthetic = PairBatcher([], crop, tuple(synthetic_scale), seed)
        self._synthetic.rng = self.rng

    def _real_crop(self, it) -> list[torch.Tensor]:
        h, w = it.a.shape[1:]
        for _ in range(20):
            side = self.crop * 2 ** self.rng.uniform(math.log2(self.scale[0]), math.log2(self.scale[1]))
            ch, cw = int(min(h, max(16, round(side)))), int(min(w, max(16, round(side))))
            y, x = int(self.rng.integers(0, h - ch + 1)), int(self.rng.integers(0, w - cw + 1))
            if it.valid[y:y + ch, x:x + cw].mean() >= self.min_valid:
                break
        k, flip = int(self.rng.integers(0, 4)), bool(self.rng.random() < 0.5)
        out = []
        for arr in (it.a, it.b):
            t = torch.from_numpy(np.ascontiguousarray(arr[:, y:y + ch, x:x + cw])).float().unsqueeze(0)
            if (ch, cw) != (self.crop, self.crop):
                t = F.interpolate(t, size=(self.crop, self.crop), mode="bilinear", align_corners=False)
            t = torch.rot90(t, k, dims=(2, 3))
            out.append(torch.flip(t, dims=(3,)) if flip else t)
        return out

    # The two hooks SpectralClusters uses to draw crops for its codebooks.
    def _item(self, i: int):
        return self.dataset.items[i]

    def _augment(self, arrs: list) -> list[torch.Tensor]:
        h, w = arrs[0].shape[1:]
        side = self.crop * 2 ** self.rng.uniform(math.log2(self.scale[0]), math.log2(self.scale[1]))
        ch, cw = int(min(h, max(16, round(side)))), int(min(w, max(16, round(side))))
        y, x = int(self.rng.integers(0, h - ch + 1)), int(self.rng.integers(0, w - cw + 1))
        out = []
        for arr in arrs:
            t = torch.from_numpy(np.ascontiguousarray(arr[:, y:y + ch, x:x + cw])).float().unsqueeze(0)
            out.append(F.interpolate(t, size=(self.crop, self.crop), mode="bilinear", align_corners=False))
        return out

    def sample(self, batch_size: int):
        """(xa [B, Ca, crop, crop], xb, mixes_a, mixes_b), like PairBatcher.sample."""
        kind = self.kinds[self.rng.choice(len(self.kinds), p=self.weights)]
        idx = self.rng.choice(self.groups[kind], size=batch_size, replace=True)
        xa, xb = [], []
        for i in idx:
            it = self.dataset.items[int(i)]
            a, b = self._real_crop(it) if kind[-1] == "real" else self._synthetic._augment(
                [it.a.astype(np.float32), it.b.astype(np.float32)])
            xa.append(a)
            xb.append(b)
        it = self.dataset.items[int(idx[0])]
        self.last_sensors = it.sensors
        self.last_origin = kind[-1]  # "real" or "synthetic" (the teacher anchors synthetic batches)
        return torch.cat(xa), torch.cat(xb), it.mixes_a, it.mixes_b


def real_dataset_from_config(d: dict, progress=None) -> MixedPairDataset:
    """data.kind == "real": {"roots": [...], "exclude": [globs], "sensors": {glob: preset},
    "synthetic_share": 0.25, "synthetic": {"n_scenes", "scene_size", "seed", "pairs"},
    "crop_scale": [0.5, 2.0] (real crop side = train.crop x 2**U(log2 low, log2 high) native pixels),
    "normalization": a card-style dict, the path of a model card JSON whose statistics to use, or
    "synthetic" (the synthetic stages' statistics, computed), "real_stats": true (presets outside
    CARD_UNITS_SENSORS get statistics pooled over their training files, see RealFolderDataset),
    "file_stats": [globs] (files in other units than their preset's others, e.g. 8-bit derivatives,
    keep statistics of their own)}."""
    from .datasets import DEFAULT_PAIRS, SyntheticPairDataset

    roots = d.get("roots") or ([d["root"]] if d.get("root") else [])
    if not roots:
        raise RasterError("data.roots is empty: give the folders of real GeoTIFFs to pretrain on.")
    norm = d.get("normalization") or {}
    if norm == "synthetic":  # the statistics of the synthetic stages (what stage 1-6 cards carry)
        from .datasets import CARD_SENSORS, synthetic_normalization

        norm = synthetic_normalization(sorted(set(CARD_SENSORS) | {"hls_s30", "landsat7", "planetscope8"}))
    elif isinstance(norm, str):  # a model card: its statistics are what inference will use
        import json

        try:
            norm = json.loads(Path(norm).read_text())["normalization"]
        except (OSError, ValueError, KeyError) as exc:
            raise RasterError(f"data.normalization: cannot read statistics from {d['normalization']} ({exc}).") from None
    norm = dict(norm)
    share = float(d.get("synthetic_share", 0.0))
    synthetic = None
    if share > 0:
        s = d.get("synthetic", {})
        synthetic = SyntheticPairDataset(int(s.get("n_scenes", 64)), int(s.get("scene_size", 256)),
                                         [tuple(p) for p in s.get("pairs", DEFAULT_PAIRS)], int(s.get("seed", 0)),
                                         norm or None, progress=progress)
        for k, v in synthetic.normalization.items():
            norm.setdefault(k, v)
    real = RealFolderDataset(roots, d.get("exclude", ()), d.get("sensors"), norm, int(d.get("min_size", 32)),
                             progress=progress, real_stats=bool(d.get("real_stats", False)),
                             file_stats=d.get("file_stats", ()))
    return MixedPairDataset(real, synthetic, share, d.get("crop_scale", (0.5, 2.0)))
