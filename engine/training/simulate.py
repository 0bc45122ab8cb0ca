"""Simulate any sensor preset over a synthetic scene: band averaging, ground resolution, noise,
product quantisation (uint16 x10000, uint8 DN, dB float32, Kelvin), and GeoTIFF output."""
from __future__ import annotations

import json
import zlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from . import materials as mat
from .synthetic import NODATA_LABEL, Scene, SensorImage, make_scene, make_series


@dataclass(frozen=True)
class SimBand:
    """What the simulator needs to know about one band."""

    name: str
    min_nm: float
    max_nm: float
    kind: str = "reflectance"
    polarization: Optional[str] = None


@dataclass(frozen=True)
class Product:
    """How a sensor's product stores values."""

    dtype: str  # uint16 | int16 | uint8 | float32
    scale: float  # reflectance -> stored value
    nodata: Optional[float]
    gsd: float  # metres
    noise: float  # reflectance noise (1 sigma)
    toa: bool = False  # top-of-atmosphere (L1C/L1TP): adds path radiance


PRODUCTS: dict[str, Product] = {
    "sentinel2_l2a": Product("uint16", 10000, 0, 10, 0.002),
    "sentinel2_l1c": Product("uint16", 10000, 0, 10, 0.002, toa=True),
    "sentinel1_grd": Product("float32", 1, None, 10, 0.0),
    "landsat8": Product("uint16", 10000, 0, 30, 0.003),
    "landsat7": Product("uint16", 10000, 0, 30, 0.004),
    "landsat5": Product("uint16", 10000, 0, 30, 0.005),
    "hls_s30": Product("int16", 10000, -9999, 30, 0.003),
    "hls_l30": Product("int16", 10000, -9999, 30, 0.003),
    "naip": Product("uint8", 400, None, 1, 0.004),
    "rgb_vhr": Product("uint8", 400, None, 0.5, 0.004),
    "planetscope4": Product("uint16", 10000, 0, 3, 0.004),
    "planetscope8": Product("uint16", 10000, 0, 3, 0.004),
}
DEFAULT_PRODUCT = Product("uint16", 10000, 0, 10, 0.003)
# Sentinel-2 bands recorded at 20 m or 60 m (stacks replicate them onto the 10 m grid).
S2_BAND_GSD = {"B01": 60, "B05": 20, "B06": 20, "B07": 20, "B8A": 20, "B09": 60, "B10": 60, "B11": 20, "B12": 20}
SAR_LOOKS = 4.4  # equivalent number of looks of S1 IW GRD: speckle strength
_SENSOR_DIR = Path(__file__).resolve().parents[1] / "sensors"


def sensor_bands(sensor: str) -> list[SimBand]:
    """Every band of a sensor preset (engine.spectral.get_sensor; the preset JSON when that is absent).

    All bands are simulated, also those the model has no layer for (cirrus); callers pick."""
    try:
        from ..spectral import get_sensor

        s = get_sensor(sensor)
        return [SimBand(b.name, float(b.min_nm), float(b.max_nm), getattr(b, "kind", "reflectance") or "reflectance",
                        getattr(b, "polarization", None)) for b in s.bands]
    except ImportError:
        path = _SENSOR_DIR / f"{sensor}.json"
        if not path.is_file():
            raise ValueError(f"Unknown sensor preset '{sensor}': no {path.name} in {_SENSOR_DIR}.")
        data = json.loads(path.read_text())
        default_kind = data.get("kind", "reflectance")
        return [SimBand(b["name"], float(b["min_nm"]), float(b["max_nm"]), b.get("kind", default_kind),
                        b.get("polarization")) for b in data["bands"]]


def canonical_sensor(sensor: str) -> str:
    """Preset id for an alias ("s2" -> "sentinel2_l2a") when engine.spectral knows it."""
    try:
        from ..spectral import get_sensor

        return get_sensor(sensor).id
    except (ImportError, AttributeError):
        return sensor


def _band_kind(b: SimBand) -> str:
    if b.min_nm >= 1e6:
        return "sar"
    if b.min_nm >= 3000:
        return "thermal"
    return "optical"


def _block_mean(x: np.ndarray, k: int) -> np.ndarray:
    h, w = x.shape[-2] // k * k, x.shape[-1] // k * k
    x = x[..., :h, :w]
    return x.reshape(*x.shape[:-2], h // k, k, w // k, k).mean(axis=(-3, -1))


def _block_majority(labels: np.ndarray, k: int) -> np.ndarray:
    h, w = labels.shape[0] // k * k, labels.shape[1] // k * k
    blocks = labels[:h, :w].reshape(h // k, k, w // k, k).transpose(0, 2, 1, 3).reshape(h // k, w // k, k * k)
    counts = np.stack([(blocks == c).sum(-1) for c in range(int(labels.max()) + 1)], -1)
    return counts.argmax(-1).astype(np.uint8)


def _upsample(x: np.ndarray, k: int, shape: tuple[int, int]) -> np.ndarray:
    up = np.repeat(np.repeat(x, k, axis=-2), k, axis=-1)
    h, w = shape
    pad_h, pad_w = max(0, h - up.shape[-2]), max(0, w - up.shape[-1])
    if pad_h or pad_w:
        up = np.pad(up, ((0, pad_h), (0, pad_w)), mode="edge")
    return up[:h, :w]


def _band_signal(scene: Scene, b: SimBand, toa: bool) -> np.ndarray:
    """Noise-free physical signal of one band on the scene grid (reflectance, K or linear sigma0)."""
    A = scene.abundances
    h, w = scene.shape
    kind = _band_kind(b)
    if kind == "sar":
        pol = b.polarization or ("VH" if "VH" in b.name.upper() or "HV" in b.name.upper() else "VV")
        sig = np.tensordot(mat.sar_linear(pol), A, axes=1)
        return sig * 10.0 ** (scene.sar_gain_db / 10.0)
    if kind == "thermal":
        bt = np.tensordot(mat.thermal_vector(), A, axes=1) / np.maximum(A.sum(0), 1e-6)
        bt = bt + scene.temperature_offset - 4.0 * scene.shadow
        return (1 - scene.cloud) * bt + scene.cloud * mat.THERMAL_K["cloud"]
    e = mat.band_reflectance(b.min_nm, b.max_nm, top_of_atmosphere=False)
    rho = np.tensordot(e, A, axes=1)
    rho = rho * scene.brightness
    centre = 0.5 * (b.min_nm + b.max_nm)
    sky = 0.012 * (443.0 / centre) ** 2  # diffuse skylight keeps shadows bluish, not black
    rho = np.where(scene.shadow, 0.2 * rho + sky, rho)
    rho = (1 - scene.cloud) * rho + scene.cloud * e[mat.MATERIAL_INDEX["cloud"]]
    if toa:
        rho = 0.92 * rho + 0.07 * (443.0 / centre) ** 4
    return rho


def render(scene: Scene, sensor: str, grid: str = "scene", bands: Optional[Sequence[SimBand]] = None,
           seed: int = 0) -> SensorImage:
    """Simulate `sensor` over `scene`. grid="scene": co-registered on the scene grid (coarser bands
    block-averaged and replicated, as in stacked products); grid="native": at the sensor's ground
    resolution when it is coarser than the scene (finer sensors stay on the scene grid)."""
    sensor_id = canonical_sensor(sensor)
    prod = PRODUCTS.get(sensor_id, DEFAULT_PRODUCT)
    bands = list(bands) if bands is not None else sensor_bands(sensor_id)
    if not bands:
        raise ValueError(f"Sensor '{sensor}' has no bands to simulate.")
    rng = np.random.default_rng([scene.seed, scene.doy, zlib.crc32(sensor_id.encode()), seed])
    h, w = scene.shape
    k_native = max(1, int(round(prod.gsd / scene.pixel_size)))
    if grid not in ("scene", "native"):
        raise ValueError(f"grid must be 'scene' or 'native', not {grid!r}.")
    out_k = k_native if grid == "native" else 1
    out_shape = (h // out_k, w // out_k)
    has_float_band = any(_band_kind(b) != "optical" for b in bands)
    dtype = np.float32 if has_float_band else np.dtype(prod.dtype)
    data = np.empty((len(bands),) + out_shape, dtype=dtype)
    units = []
    for i, b in enumerate(bands):
        kind = _band_kind(b)
        if kind == "optical" and (b.max_nm < 400 or b.min_nm > 2500):
            raise ValueError(f"Band {b.name} ({b.min_nm}-{b.max_nm} nm) is outside the simulated 400-2500 nm spectrum.")
        sig = _band_signal(scene, b, prod.toa)
        k = max(1, int(round(S2_BAND_GSD.get(b.name, 0) / scene.pixel_size))) if sensor_id.startswith("sentinel2") else k_native
        k = max(k, out_k)
        low = _block_mean(sig, k) if k > 1 else sig
        if kind == "sar":
            # Multiplicative speckle (gamma, mean 1) on linear power, then dB.
            low = low * rng.gamma(SAR_LOOKS, 1.0 / SAR_LOOKS, size=low.shape)
            val = 10.0 * np.log10(np.maximum(low, 1e-5))
            units.append("dB")
        elif kind == "thermal":
            val = low + rng.normal(0, 0.3, low.shape)
            units.append("K")
        else:
            val = low + rng.normal(0, prod.noise, low.shape)
            val = np.clip(val, 0, None) * prod.scale
            units.append(f"reflectance x{prod.scale:g}" if prod.dtype != "uint8" else "DN")
        if k != out_k:
            val = _upsample(val, k // out_k, out_shape)
        data[i] = _quantise(val, kind, dtype, prod)
    labels = scene.labels if out_k == 1 else _block_majority(scene.labels, out_k)
    return SensorImage(sensor=sensor_id, band_names=[b.name for b in bands], data=data,
                       pixel_size=scene.pixel_size * out_k, nodata=prod.nodata, labels=labels[: out_shape[0], : out_shape[1]],
                       units=units)


def _quantise(val: np.ndarray, kind: str, dtype, prod: Product) -> np.ndarray:
    if np.dtype(dtype).kind == "f":
        return np.round(val, 2).astype(dtype) if kind == "optical" else val.astype(dtype)
    info = np.iinfo(dtype)
    lo = info.min if prod.nodata is None else max(info.min, int(prod.nodata) + 1)  # keep nodata free
    return np.clip(np.round(val), max(lo, 1 if prod.nodata == 0 else lo), info.max).astype(dtype)


def make_pair(seed: int, sensor_a: str, sensor_b: str, size: int = 256, doy: int = 200,
              cloud_cover: Optional[float] = None) -> tuple[SensorImage, SensorImage]:
    """Two sensors over one scene and date, co-registered on the scene grid (10 m)."""
    scene = make_scene(seed, size=size, doy=doy, cloud_cover=cloud_cover)
    return render(scene, sensor_a), render(scene, sensor_b)


def make_sensor_series(seed: int, sensor: str, doys: Sequence[int], size: int = 256,
                       cloud_cover: Optional[float] = None) -> list[SensorImage]:
    """One sensor over the same landscape on several dates (seasonal change)."""
    return [render(s, sensor) for s in make_series(seed, doys, size=size, cloud_cover=cloud_cover)]


def write_geotiff(image: SensorImage, path: str | os.PathLike, epsg: int = 32633,
                  origin: tuple[float, float] = (500000.0, 5100000.0), labels_path: Optional[str] = None) -> str:
    """Write a simulated product as a GeoTIFF (band descriptions, nodata, DEFLATE); temp name + rename."""
    from osgeo import gdal, osr

    path = str(path)
    gdal_type = {"uint16": gdal.GDT_UInt16, "int16": gdal.GDT_Int16, "uint8": gdal.GDT_Byte,
                 "float32": gdal.GDT_Float32}[str(image.data.dtype)]
    predictor = "3" if image.data.dtype.kind == "f" else "2"
    c, h, w = image.data.shape
    tmp = path + ".partial.tif"
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    try:
        ds = gdal.GetDriverByName("GTiff").Create(tmp, w, h, c, gdal_type,
                                                  ["COMPRESS=DEFLATE", f"PREDICTOR={predictor}", "TILED=YES", "INTERLEAVE=BAND"])
        ds.SetGeoTransform((origin[0], image.pixel_size, 0.0, origin[1], 0.0, -image.pixel_size))
        ds.SetProjection(srs.ExportToWkt())
        ds.SetMetadataItem("SENSOR", image.sensor)
        ds.SetMetadataItem("SYNTHETIC", "engine.training.synthetic (not real imagery)")
        for i in range(c):
            band = ds.GetRasterBand(i + 1)
            band.WriteArray(image.data[i])
            band.SetDescription(image.band_names[i])
            if image.units:
                band.SetMetadataItem("UNITS", image.units[i])
            if image.nodata is not None:
                band.SetNoDataValue(float(image.nodata))
        ds.FlushCache()
        ds = None
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    if labels_path:
        _write_labels(image, labels_path, srs, origin)
    return path


def _write_labels(image: SensorImage, path: str, srs, origin) -> None:
    from osgeo import gdal

    from .synthetic import CLASSES

    h, w = image.labels.shape
    tmp = path + ".partial.tif"
    try:
        ds = gdal.GetDriverByName("GTiff").Create(tmp, w, h, 1, gdal.GDT_Byte, ["COMPRESS=DEFLATE"])
        ds.SetGeoTransform((origin[0], image.pixel_size, 0.0, origin[1], 0.0, -image.pixel_size))
        ds.SetProjection(srs.ExportToWkt())
        b = ds.GetRasterBand(1)
        b.WriteArray(image.labels)
        b.SetNoDataValue(NODATA_LABEL)
        b.SetDescription("land_cover")
        ds.SetMetadataItem("CLASSES", ",".join(CLASSES))
        ds = None
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
