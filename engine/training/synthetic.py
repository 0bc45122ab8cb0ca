"""Synthetic multi-sensor scenes: land-cover layouts, seasons, and any sensor preset simulated on them.

Deterministic by seed. A scene is a per-pixel mixture of materials (engine.training.materials) plus
clouds and their shadows; labels are per pixel. Structure needs context: crop parcels, grassland
and bare soil share materials and differ mostly by parcel geometry and season, towns are mixtures
of roofs, streets and gardens, forests have gaps and edges, rivers meander, roads cut through.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np
from scipy import ndimage

from . import materials as mat

CLASSES: tuple[str, ...] = (
    "open_water", "turbid_water", "broadleaf_forest", "conifer_forest", "crop_emerging",
    "crop_growing", "crop_mature", "crop_harvested", "grassland", "bare_soil", "urban", "snow",
    "cloud", "shadow",
)
CLASS_INDEX = {name: i for i, name in enumerate(CLASSES)}
NODATA_LABEL = 255
_M = mat.MATERIAL_INDEX
_NM = len(mat.MATERIALS)


@dataclass
class Scene:
    """One date of one synthetic scene on its own grid (pixel_size metres)."""

    seed: int
    doy: int  # day of year
    pixel_size: float
    abundances: np.ndarray  # [n_materials, H, W] float32, ground surface (no clouds)
    brightness: np.ndarray  # [H, W] float32 albedo/illumination factor
    cloud: np.ndarray  # [H, W] float32 cloud opacity 0..1
    shadow: np.ndarray  # [H, W] bool
    labels: np.ndarray  # [H, W] uint8 indices into CLASSES
    temperature_offset: float  # seasonal K added to the thermal signal
    sar_gain_db: np.ndarray  # [H, W] float32 moisture/orientation change of backscatter

    @property
    def shape(self) -> tuple[int, int]:
        return self.labels.shape


@dataclass
class SensorImage:
    """A simulated product: data in the product's units/dtype, band names and matching labels."""

    sensor: str
    band_names: list[str]
    data: np.ndarray  # [C, H, W]
    pixel_size: float
    nodata: Optional[float]
    labels: np.ndarray  # [H, W] on the same grid as data
    units: list[str] = field(default_factory=list)  # per band: reflectance*scale | K | dB | DN


# --------------------------------------------------------------------------- layout
def _smooth(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Zero-mean unit-variance Gaussian random field with correlation length ~sigma pixels."""
    f = ndimage.gaussian_filter(rng.standard_normal(shape), sigma=max(sigma, 0.5), mode="wrap")
    return (f - f.mean()) / (f.std() + 1e-9)


@dataclass
class _Layout:
    size: tuple[int, int]
    z: np.ndarray  # terrain-like field
    parcel: np.ndarray  # parcel id per pixel
    parcel_kind: np.ndarray  # 0 crop, 1 grassland, 2 bare soil
    parcel_sow: np.ndarray  # sowing day of year
    parcel_len: np.ndarray  # growing season length (days)
    parcel_bright: np.ndarray
    parcel_moist: np.ndarray  # soil moisture change of backscatter (dB)
    base: np.ndarray  # static class: -1 agriculture (parcel decides), else CLASS index
    urban_material: np.ndarray  # material index inside towns/roads, -1 elsewhere
    canopy: np.ndarray  # forest canopy fraction
    texture: np.ndarray  # per-pixel brightness texture
    snow_field: np.ndarray
    sar_orient: np.ndarray  # building orientation gain (dB)


def _parcels(rng, h, w):
    """Rectangular parcels on a rotated grid with random widths; returns parcel id per pixel."""
    theta = rng.uniform(0, math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    u = xx * math.cos(theta) + yy * math.sin(theta)
    v = -xx * math.sin(theta) + yy * math.cos(theta)
    ids = []
    for coord in (u, v):
        lo, hi = coord.min(), coord.max() + 1
        edges = lo + np.cumsum(rng.uniform(10, 36, size=int((hi - lo) / 10) + 2))
        ids.append(np.searchsorted(edges, coord))
    _, inv = np.unique(ids[0] * 100000 + ids[1], return_inverse=True)
    return inv.reshape(h, w)


def _river(rng, h, w):
    """Meandering river mask: a sine with a wandering centre line and varying width."""
    t = np.arange(h, dtype=np.float64)
    period = rng.uniform(0.6, 1.5) * h
    amp = rng.uniform(0.05, 0.2) * w
    wander = np.cumsum(rng.standard_normal(h)) * 0.4
    centre = rng.uniform(0.2, 0.8) * w + amp * np.sin(2 * math.pi * t / period + rng.uniform(0, 6.3)) + wander
    width = rng.uniform(2.5, 8.0) * (1 + 0.3 * np.sin(t / rng.uniform(15, 40)))
    cols = np.arange(w)[None, :]
    mask = np.abs(cols - centre[:, None]) < width[:, None] / 2
    return mask if rng.random() < 0.5 else mask.T if h == w else mask


def _roads(rng, h, w, n):
    """Straight roads 1-2 px wide at random angles."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    mask = np.zeros((h, w), bool)
    for _ in range(n):
        a = rng.uniform(0, math.pi)
        c = rng.uniform(0.15, 0.85) * (h + w) / 2
        d = np.abs(xx * math.cos(a) + yy * math.sin(a) - c * (abs(math.cos(a)) + abs(math.sin(a))))
        mask |= d < rng.uniform(0.6, 1.2)
    return mask


def _layout(seed: int, h: int, w: int) -> _Layout:
    rng = np.random.default_rng([seed, 7919])
    z = _smooth(rng, (h, w), max(h, w) / 6) + 0.3 * _smooth(rng, (h, w), max(h, w) / 30)
    parcel = _parcels(rng, h, w)
    n_par = int(parcel.max()) + 1
    parcel_kind = rng.choice(3, size=n_par, p=[0.65, 0.22, 0.13])
    base = np.full((h, w), -1, np.int16)
    # Forest on the "high" ground; broadleaf vs conifer by a second smooth field.
    forest_q = rng.uniform(0.55, 0.85)
    forest = z > np.quantile(z, forest_q)
    ftype = _smooth(rng, (h, w), max(h, w) / 5) + rng.uniform(-0.8, 0.8)
    base[forest & (ftype > 0)] = CLASS_INDEX["broadleaf_forest"]
    base[forest & (ftype <= 0)] = CLASS_INDEX["conifer_forest"]
    water_kind = CLASS_INDEX["turbid_water"] if rng.random() < 0.5 else CLASS_INDEX["open_water"]
    if rng.random() < 0.5:  # a lake in the lowest ground
        base[z < np.quantile(z, rng.uniform(0.02, 0.08))] = CLASS_INDEX["open_water"]
    urban_material = np.full((h, w), -1, np.int16)
    if rng.random() < 0.65:  # a town: streets, buildings, gardens on a block grid
        town = _smooth(rng, (h, w), max(h, w) / 8)
        town_mask = (town > np.quantile(town, rng.uniform(0.8, 0.93))) & (base != CLASS_INDEX["open_water"])
        block = int(rng.integers(6, 11))
        yy, xx = np.mgrid[0:h, 0:w]
        street = ((yy % block) == 0) | ((xx % block) == 0)
        cell = (yy // block) * 10000 + (xx // block)
        cell_rand = np.random.default_rng([seed, 31]).random(int(cell.max()) + 1)
        pix = rng.random((h, w))
        m = np.where(street, _M["asphalt"],
                     np.where(pix < 0.2, np.where(pix < 0.1, _M["grass"], _M["broadleaf"]),
                              np.where(cell_rand[cell] < 0.5, _M["roof_tile"], _M["concrete"])))
        urban_material[town_mask] = m[town_mask]
        base[town_mask] = CLASS_INDEX["urban"]
    if rng.random() < 0.7:
        river = _river(rng, h, w)
        base[river] = water_kind
        urban_material[river] = -1
    roads = _roads(rng, h, w, int(rng.integers(0, 3))) & (base != water_kind) & (base != CLASS_INDEX["open_water"])
    base[roads] = CLASS_INDEX["urban"]
    urban_material[roads] = _M["asphalt"]
    canopy = np.clip(0.88 + 0.08 * _smooth(rng, (h, w), 1.5), 0.6, 1.0)
    texture = (1 + 0.05 * _smooth(rng, (h, w), 1.0)).astype(np.float32)
    return _Layout(
        size=(h, w), z=z, parcel=parcel, parcel_kind=parcel_kind,
        parcel_sow=rng.uniform(70, 170, n_par), parcel_len=rng.uniform(90, 130, n_par),
        parcel_bright=rng.uniform(0.85, 1.15, n_par), parcel_moist=rng.uniform(-2.5, 2.5, n_par),
        base=base, urban_material=urban_material, canopy=canopy, texture=texture,
        snow_field=z + 0.4 * _smooth(rng, (h, w), 4), sar_orient=rng.uniform(-4, 5, (h, w)),
    )


# --------------------------------------------------------------------------- one date
def _season(doy: float, peak: float) -> float:
    """0 in deep winter, 1 at the peak day, cosine in between."""
    return 0.5 + 0.5 * math.cos(2 * math.pi * (doy - peak) / 365.0)


def _render_date(lay: _Layout, seed: int, doy: int, pixel_size: float, cloud_cover: Optional[float]) -> Scene:
    h, w = lay.size
    rng = np.random.default_rng([seed, 104729, int(doy)])
    A = np.zeros((_NM, h, w), np.float32)
    labels = np.zeros((h, w), np.uint8)
    # Agriculture: crop stage from days since sowing, per parcel.
    kind = lay.parcel_kind[lay.parcel]
    age = doy - lay.parcel_sow[lay.parcel]
    length = lay.parcel_len[lay.parcel]
    green = np.clip(age / (0.55 * length), 0, 1) ** 1.3 * 0.92
    harvested = (age > length) & (age < length + 60)
    crop = kind == 0
    f = np.where(harvested | (age < 0) | (age >= length + 60), 0.0, green)
    stubble = np.where(harvested, 0.6, 0.0)
    agri = lay.base < 0
    sel = agri & crop
    A[_M["green_crop"]][sel] = f[sel]
    A[_M["senescent"]][sel] = stubble[sel]
    A[_M["soil"]][sel] = (1 - f - stubble)[sel]
    stage = np.select([age < 0, age < 25, age < 55, age < length, age < length + 60],
                      [CLASS_INDEX["bare_soil"], CLASS_INDEX["crop_emerging"], CLASS_INDEX["crop_growing"],
                       CLASS_INDEX["crop_mature"], CLASS_INDEX["crop_harvested"]], CLASS_INDEX["bare_soil"])
    labels[sel] = stage[sel]
    g = _season(doy, 160)
    sel = agri & (kind == 1)
    A[_M["grass"]][sel] = 0.45 + 0.45 * g
    A[_M["senescent"]][sel] = 0.45 * (1 - g) + 0.05
    A[_M["soil"]][sel] = 0.05
    labels[sel] = CLASS_INDEX["grassland"]
    sel = agri & (kind == 2)
    A[_M["soil"]][sel] = 0.92
    A[_M["senescent"]][sel] = 0.08
    labels[sel] = CLASS_INDEX["bare_soil"]
    # Forests: deciduous leaves fall in winter; gaps show grass.
    leaf = float(np.clip(1.6 * _season(doy, 190) - 0.3, 0, 1))
    for cls, tree in (("broadleaf_forest", "broadleaf"), ("conifer_forest", "conifer")):
        sel = lay.base == CLASS_INDEX[cls]
        c = lay.canopy[sel]
        if tree == "broadleaf":
            A[_M["broadleaf"]][sel] = c * leaf
            A[_M["senescent"]][sel] = c * (1 - leaf) * 0.7
            A[_M["soil"]][sel] = c * (1 - leaf) * 0.3
        else:
            A[_M["conifer"]][sel] = c
        A[_M["grass"]][sel] = 1 - c
        labels[sel] = CLASS_INDEX[cls]
    for cls, water in (("open_water", "water_clear"), ("turbid_water", "water_turbid")):
        sel = lay.base == CLASS_INDEX[cls]
        A[_M[water]][sel] = 1.0
        labels[sel] = CLASS_INDEX[cls]
    sel = lay.base == CLASS_INDEX["urban"]
    um = lay.urban_material
    for m in np.unique(um[sel]):
        s2 = sel & (um == m)
        A[int(m)][s2] = 1.0
    labels[sel] = CLASS_INDEX["urban"]
    # Snow in winter on the high ground (or everywhere in a cold spell).
    winter = 1 - _season(doy, 200)
    snow = np.zeros((h, w), bool)
    if winter > 0.75:
        thr = np.quantile(lay.snow_field, float(np.clip(1.6 - winter - rng.uniform(0, 0.4), 0.0, 0.95)))
        snow = (lay.snow_field > thr) & (labels != CLASS_INDEX["open_water"]) & (labels != CLASS_INDEX["turbid_water"])
        keep = np.where(labels == CLASS_INDEX["conifer_forest"], 0.35, 0.05)
        A[:, snow] *= keep[snow]
        A[_M["snow"]][snow] = 1 - keep[snow]
        labels[snow] = CLASS_INDEX["snow"]
    # Brightness: per parcel albedo, per pixel texture, a little pixel noise.
    bright = lay.parcel_bright[lay.parcel].astype(np.float32) * lay.texture
    bright = np.where(agri, bright, lay.texture * (1 + 0.03 * rng.standard_normal((h, w)))).astype(np.float32)
    # Clouds and their shadows.
    cover = rng.uniform(0, 0.25) if cloud_cover is None else cloud_cover
    cloud = np.zeros((h, w), np.float32)
    shadow = np.zeros((h, w), bool)
    if cover > 0.005:
        cf = _smooth(rng, (h, w), max(h, w) / 12) + 0.35 * _smooth(rng, (h, w), 3)
        thr = np.quantile(cf, 1 - cover)
        cloud = np.clip((cf - thr) * 2.5, 0, 1).astype(np.float32)
        dy, dx = (int(v) for v in rng.integers(5, 16, 2) * rng.choice([-1, 1], 2))
        shifted = np.roll(np.roll(cloud > 0.3, dy, 0), dx, 1)
        shadow = shifted & (cloud < 0.3)
        labels[shadow] = CLASS_INDEX["shadow"]
        labels[cloud >= 0.5] = CLASS_INDEX["cloud"]
    sar_gain = lay.parcel_moist[lay.parcel] * agri + np.where(
        np.isin(um, [_M["roof_tile"], _M["concrete"]]), lay.sar_orient, 0.0)
    if snow.any():
        sar_gain = sar_gain - 1.5 * snow
    return Scene(seed=seed, doy=int(doy), pixel_size=pixel_size, abundances=A, brightness=bright,
                 cloud=cloud, shadow=shadow, labels=labels,
                 temperature_offset=12.0 * (_season(doy, 200) - 0.5),
                 sar_gain_db=sar_gain.astype(np.float32))


def make_scene(seed: int, size: int | tuple[int, int] = 256, doy: int = 200, pixel_size: float = 10.0,
               cloud_cover: Optional[float] = None) -> Scene:
    """One synthetic scene (deterministic for seed/size/doy); cloud_cover None = random 0-25 %."""
    h, w = (size, size) if isinstance(size, int) else size
    return _render_date(_layout(seed, h, w), seed, doy, pixel_size, cloud_cover)


def make_series(seed: int, doys: Sequence[int], size: int | tuple[int, int] = 256, pixel_size: float = 10.0,
                cloud_cover: Optional[float] = None) -> list[Scene]:
    """The same landscape on several dates: crops grow and are harvested, leaves fall, snow comes."""
    h, w = (size, size) if isinstance(size, int) else size
    lay = _layout(seed, h, w)
    return [_render_date(lay, seed, d, pixel_size, cloud_cover) for d in doys]
