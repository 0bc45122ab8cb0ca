"""What the pixel values of an input mean, and their conversion to the units the model's statistics assume.

The published statistics assume reflectance x 10000 for optical bands, brightness temperature in
kelvin for thermal bands and backscatter in dB for SAR. This module looks at each read band (its
sensor, the file's metadata, a Landsat MTL file next to it, the value range) and

* converts Landsat Level-1 DN to TOA reflectance x 10000 (sun elevation corrected) or brightness
  temperature with the MTL's REFLECTANCE_MULT/ADD, RADIANCE_MULT/ADD and K1/K2 constants;
* removes the Sentinel-2 processing-baseline offset (BOA/RADIO_ADD_OFFSET, -1000 since baseline 04.00);
* turns SAR backscatter in linear power into dB;
* refuses complex bands (their imaginary part would be lost);
* warns, in the band table and the report, when values still lie mostly outside the model's statistics
  ("values look like DN: 100 % of B6 above the model's p99").

Conversions are applied by RasterSource.read (linear ones through the band's scale/offset).
"""
from __future__ import annotations

import glob
import math
import os
import re
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import numpy as np
from osgeo import gdal

from ..errors import RasterError

# Share of a band's values outside the statistics' [p1, p99] above which the band is flagged.
OUTSIDE_WARNING = 0.5
S2_OFFSET_BASELINE = 400  # processing baseline 04.00 (25 January 2022) added +1000 to every DN


@dataclass
class Conversion:
    """One band's conversion: value = transform(value * scale + offset)."""

    description: str  # e.g. "DN -> TOA reflectance x10000 (MTL ..._MTL.txt)"
    scale: float = 1.0
    offset: float = 0.0
    transform: Optional[str] = None  # None | "brightness_temperature" | "db"
    k1: float = 0.0
    k2: float = 0.0

    def function(self) -> Optional[Callable[[np.ndarray], None]]:
        """In-place float32 transform after scale/offset (None when linear)."""
        if self.transform == "brightness_temperature":
            k1, k2 = np.float32(self.k1), np.float32(self.k2)

            def bt(x: np.ndarray) -> None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    np.divide(k1, x, out=x)
                    x += 1.0
                    np.log(x, out=x)
                    np.divide(k2, x, out=x)
                x[~np.isfinite(x)] = np.nan  # radiance <= 0: no temperature, the pixel becomes nodata
            return bt
        if self.transform == "db":
            def db(x: np.ndarray) -> None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    np.log10(x, out=x)
                x *= 10.0
                x[~np.isfinite(x)] = np.nan  # zero or negative power: nodata
            return db
        return None

    def to_dict(self) -> dict:
        return {"conversion": self.description, "scale": self.scale, "offset": self.offset,
                "transform": self.transform}


# -- Landsat MTL ---------------------------------------------------------------------------------

def parse_mtl(path: str) -> dict[str, str]:
    """KEY = value pairs of a Landsat MTL text file (quotes removed; groups flattened)."""
    out = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if "=" not in line:
                continue
            key, value = (s.strip() for s in line.split("=", 1))
            if key not in ("GROUP", "END_GROUP"):
                out[key] = value.strip('"')
    return out


def find_mtl(raster_path: str) -> Optional[str]:
    """The `*_MTL.txt` next to a Landsat raster whose product id starts the raster's name, if any."""
    folder, base = os.path.split(os.path.abspath(raster_path))
    candidates = glob.glob(os.path.join(glob.escape(folder), "*_MTL.txt"))
    for mtl in sorted(candidates):
        product = os.path.basename(mtl)[:-len("_MTL.txt")]
        if base.upper().startswith(product.upper()):
            return mtl
    return None


def _band_number(name: str) -> Optional[str]:
    m = re.fullmatch(r"(?:SR_|ST_)?B(?:AND)?_?0*(\d+)(?:_VCID_([12]))?", name.strip().upper())
    if not m:
        return None
    return m.group(1) + (f"_VCID_{m.group(2)}" if m.group(2) else "")


def landsat_conversion(mtl: dict, band_name: str, mtl_name: str) -> Optional[Conversion]:
    """DN -> TOA reflectance x10000 or brightness temperature (K) for one Landsat band, from its MTL."""
    n = _band_number(band_name)
    if n is None:
        return None
    keys = [n] if "_VCID_" in n else [n, f"{n}_VCID_1"]
    for key in keys:
        k1, k2 = mtl.get(f"K1_CONSTANT_BAND_{key}"), mtl.get(f"K2_CONSTANT_BAND_{key}")
        ml, al = mtl.get(f"RADIANCE_MULT_BAND_{key}"), mtl.get(f"RADIANCE_ADD_BAND_{key}")
        if k1 and k2 and ml and al:
            return Conversion(f"DN -> brightness temperature (K) with {mtl_name}", float(ml), float(al),
                              "brightness_temperature", float(k1), float(k2))
        mr, ar = mtl.get(f"REFLECTANCE_MULT_BAND_{key}"), mtl.get(f"REFLECTANCE_ADD_BAND_{key}")
        if mr and ar:
            elev = float(mtl.get("SUN_ELEVATION", "90") or 90)
            sun = math.sin(math.radians(elev)) if elev > 0 else 1.0
            f = 10000.0 / sun
            return Conversion(f"DN -> TOA reflectance x10000 (sun elevation {elev:.1f} deg) with {mtl_name}",
                              float(mr) * f, float(ar) * f)
    return None


# -- Sentinel-2 offsets ----------------------------------------------------------------------------

def _s2_offset(path: str, ds: gdal.Dataset, band_number: int, band_name: str) -> Optional[tuple[float, str]]:
    """(offset, why) for a Sentinel-2 band stored with the processing-baseline offset, else None."""
    items = dict(ds.GetMetadata() or {})
    items.update(ds.GetRasterBand(band_number).GetMetadata() or {})
    short = band_name.upper().replace("B0", "B")
    for key, value in items.items():
        k = key.upper()
        if re.search(r"(BOA|RADIO)_ADD_OFFSET", k):
            if k.endswith(("_" + band_name.upper(), "_" + short)) or not re.search(r"_B\d", k):
                try:
                    return float(value), f"{key}={value}"
                except ValueError:
                    pass
    baseline = items.get("PROCESSING_BASELINE")
    if baseline:
        try:
            if float(baseline) >= S2_OFFSET_BASELINE / 100:
                return -1000.0, f"processing baseline {baseline}"
        except ValueError:
            pass
    m = re.search(r"_N(\d{4})_", os.path.basename(path))
    if m and int(m.group(1)) >= S2_OFFSET_BASELINE and "MSI" in os.path.basename(path).upper():
        return -1000.0, f"processing baseline {int(m.group(1)) / 100:.2f} in the file name"
    return None


# -- the plan for one input ------------------------------------------------------------------------

def _band_file(source, band_index: int) -> tuple[str, int]:
    """(file, band number in that file) of band `band_index` of a (stacked) source."""
    if len(source.paths) == 1:
        return source.paths[0], band_index + 1
    k = band_index
    for p in source.paths:
        ds = gdal.Open(p)
        if k < ds.RasterCount:
            return p, k + 1
        k -= ds.RasterCount
    return source.paths[-1], 1


def _original_file(path: str) -> str:
    """The file a warped VRT (engine.raster.align.warp_onto) was made from, else `path` itself."""
    from .align import WARPED_FROM

    try:
        ds = gdal.Open(path)
        origin = ds.GetMetadataItem(WARPED_FROM) if ds is not None else None
    except RuntimeError:
        origin = None
    return origin or path


def _looks_linear(values: np.ndarray) -> bool:
    """SAR values in linear power: no negatives, most below 1 (dB values are mostly negative)."""
    if values.size == 0:
        return False
    return float(np.min(values)) >= 0.0 and float(np.median(values)) < 1.0 and float(np.percentile(values, 99)) < 50


def plan_units(source, decisions: Sequence, dtypes: Optional[Sequence[str]] = None) -> list[Optional[Conversion]]:
    """The conversion of each read band of `source` (None = use the values as they are).

    Raises RasterError for complex bands. Only bands without a GDAL scale/offset of their own are
    converted: a file that declares its scaling is trusted.
    """
    dtypes = list(dtypes or source.dtypes)
    out: list[Optional[Conversion]] = []
    mtl_cache: dict[str, Optional[tuple[dict, str]]] = {}
    sar_bands = []
    for k, (i, d) in enumerate(zip(source.band_indices, decisions)):
        spec = getattr(d, "band", d)
        name = str(getattr(spec, "name", ""))
        sensor = str(getattr(spec, "sensor", "") or "")
        kind = str(getattr(spec, "kind", "") or "")
        if dtypes[k].startswith("C"):
            raise RasterError(f"Band {i + 1} ({name or 'unnamed'}) of {source.label} is complex ({dtypes[k]}); SMARTIES "
                              "reads real values and would lose the imaginary part. Convert it first, e.g. SAR "
                              "amplitude in dB: gdal_calc.py -A in.tif --calc=\"10*log10(abs(A)**2)\" --outfile=out_db.tif.")
        conv = None
        declared = source.scales[k] != (1.0, 0.0)
        integer = not dtypes[k].startswith(("Float", "CFloat"))
        path, number = _band_file(source, i)
        path = _original_file(path)  # a warped copy keeps the MTL / baseline of the file it came from
        if not declared and integer and sensor.startswith(("landsat", "hls_l30")):
            if path not in mtl_cache:
                mtl = find_mtl(path)
                mtl_cache[path] = (parse_mtl(mtl), os.path.basename(mtl)) if mtl else None
            if mtl_cache[path] is not None:
                conv = landsat_conversion(mtl_cache[path][0], name, mtl_cache[path][1])
        elif not declared and integer and sensor.startswith("sentinel2"):
            try:
                found = _s2_offset(path, gdal.Open(path), number, name)
            except RuntimeError:
                found = None
            if found and found[0]:
                conv = Conversion(f"Sentinel-2 offset {found[0]:+g} removed ({found[1]})", 1.0, found[0])
        elif kind == "backscatter_db" or sensor.startswith("sentinel1"):
            sar_bands.append(k)
        out.append(conv)
    if sar_bands:
        data, valid = source.read(0, 0, source.width, source.height, buf_size=_small(source))
        for k in sar_bands:
            if _looks_linear(data[k][valid]):
                out[k] = Conversion("linear power -> backscatter in dB (10*log10)", 1.0, 0.0, "db")
    return out


def _small(source, pixels: int = 1 << 18) -> tuple[int, int]:
    f = max(1.0, (source.width * source.height / pixels) ** 0.5)
    return max(1, int(source.width / f)), max(1, int(source.height / f))


def apply_units(source, decisions: Sequence) -> list[str]:
    """Plan and install each band's conversion on `source`; returns one note per converted band."""
    plan = plan_units(source, decisions)
    groups: dict[str, list[str]] = {}  # one note per kind of conversion, naming its bands
    for k, conv in enumerate(plan):
        if conv is None:
            continue
        source.set_conversion(k, conv.scale, conv.offset, conv.function(), conv.description)
        spec = getattr(decisions[k], "band", decisions[k])
        groups.setdefault(conv.description, []).append(str(getattr(spec, "name", source.band_indices[k] + 1)))
    return [f"{'band' if len(names) == 1 else 'bands'} {', '.join(names)}: {what}" for what, names in groups.items()]


def range_warnings(source, decisions: Sequence, stats: Sequence) -> dict[int, str]:
    """Bands whose values lie mostly outside the statistics' [p1, p99]: {position: warning}."""
    data, valid = source.read(0, 0, source.width, source.height, buf_size=_small(source))
    out = {}
    for k, (d, s) in enumerate(zip(decisions, stats)):
        values = data[k][valid]
        values = values[np.isfinite(values)]
        if values.size == 0:
            continue
        above = float((values > s.p99).mean())
        below = float((values < s.p1).mean())
        name = getattr(getattr(d, "band", d), "name", f"band {k + 1}")
        origin = getattr(s, "source", "")
        if max(above, below) < OUTSIDE_WARNING or origin == "computed":
            continue
        side, share, limit = ("above", above, f"p99 ({s.p99:g})") if above >= below else ("below", below, f"p1 ({s.p1:g})")
        kind = getattr(getattr(d, "band", d), "kind", "reflectance")
        unit = {"brightness_temperature": "kelvin", "backscatter_db": "dB"}.get(kind, "reflectance x10000")
        out[k] = (f"values look like {'DN' if side == 'above' else 'other units'}: {share:.0%} of {name} {side} the "
                  f"model's {limit}, which assumes {unit}; convert the data (e.g. give the Landsat MTL file next to "
                  "it) or use per-raster statistics (--normalization percentiles)")
    return out
