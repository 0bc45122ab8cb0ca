"""Band identities read from files: GDAL metadata, ENVI wavelengths, descriptions, file names, presets.

Sources, most trusted first: IMAGERY-domain CENTRAL_WAVELENGTH_UM/FWHM_UM, ENVI `wavelength`,
band descriptions, file names of single-band products, then a sensor preset chosen by the user
(by band order). A band nothing identifies keeps band=None with a note: it is never guessed silently.
"""
from __future__ import annotations

import dataclasses
import math
import os
import re
from dataclasses import dataclass
from typing import Optional, Sequence, Union

from osgeo import gdal

from .errors import BandError, RasterError
from .sensors import PRIORITY, Sensor, get_sensor, list_sensors, preset_from_metadata
from .spectral import BandSpec, parse_band

gdal.UseExceptions()

UNKNOWN_NOTE = "not identified: choose a sensor preset or type the wavelength range (e.g. '634-696nm')"
_UNIT_NM = {"nm": 1.0, "nanometers": 1.0, "nanometer": 1.0, "um": 1e3, "µm": 1e3, "μm": 1e3,
            "micrometers": 1e3, "micrometer": 1e3, "microns": 1e3, "micron": 1e3, "mm": 1e6, "millimeters": 1e6}
# "B04", "SR_B4", and a leading name followed by more text: "B04 (665 nm)", "B4 - red"
_NAME_RE = re.compile(r"^(?:(?:SR|ST|TOA)_)?(B\d{1,2}A?)(?:$|[\s:(\-,]+)", re.IGNORECASE)
_SAR_RE = re.compile(r"^(?:sigma0|gamma0|beta0)?[\s_]*(VV|VH|HH|HV)(?:[\s_]*\(?db\)?)?$", re.IGNORECASE)
_RANGE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*(nm|um|µm|μm)\b", re.IGNORECASE)
_WAVE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(nm|um|µm|μm)\b", re.IGNORECASE)
# "..._B04.jp2", "..._B04_10m.jp2", "..._SR_B4.TIF", HLS "....v2.0.B04.tif"
_FILE_BAND_RE = re.compile(r"[_.](?:(?:SR|ST)_)?(B\d{1,2}A?)(?:_\d+m)?\.[A-Za-z0-9]+$", re.IGNORECASE)
_COLOUR_NAMES = ("red", "green", "blue")
_GENERIC_NAMES = {
    "red", "green", "blue", "nir", "coastal", "coastal_blue", "swir1", "swir2", "red_edge", "rededge", "yellow",
    "cirrus", "thermal", "aerosol", "nir_narrow", "green_i", "water_vapour",
}


@dataclass
class BandIdentity:
    """What is known about one band of the (stacked) input and where that knowledge came from."""

    number: int  # 1-based band number in the stack
    description: str  # GDAL description (may be "")
    band: Optional[BandSpec]  # None when nothing identifies it
    source: str  # file-metadata | band-name | file-name | preset | user | none
    confidence: str  # high | medium | low
    note: str
    path: str = ""  # file the band comes from
    file_band: int = 1  # 1-based band number inside that file


@dataclass
class _RawBand:
    path: str
    file_band: int
    file_count: int
    description: str
    colour: str
    wavelength: Optional[tuple[float, float, str]]  # min_nm, max_nm, where from
    sensor_hint: str = ""  # preset the file's SENSOR metadata item names ("Landsat-5 TM" -> landsat5)


# --------------------------------------------------------------------------------------------
# Reading


def _open(path: str):
    try:
        ds = gdal.Open(str(path))
    except RuntimeError as exc:
        raise RasterError(f"Cannot open raster '{path}': {exc}. Check the path and that GDAL can read the format.")
    if ds is None:
        raise RasterError(f"Cannot open raster '{path}': {gdal.GetLastErrorMsg()}.")
    return ds


def _to_float_list(text: str) -> list[float]:
    return [float(t) for t in re.split(r"[,\s]+", text.strip().strip("{}").strip()) if t]


def _unit_scale(units: Optional[str], values: Sequence[float]) -> float:
    if units:
        key = units.strip().lower()
        if key in _UNIT_NM:
            return _UNIT_NM[key]
    # ENVI files often omit the unit: values below 30 can only be micrometres
    return 1e3 if values and max(values) < 30 else 1.0


def _imagery_wavelength(band) -> Optional[tuple[float, float, str]]:
    md = band.GetMetadata("IMAGERY") or {}
    if "CENTRAL_WAVELENGTH_UM" not in md:
        return None
    try:
        c = float(md["CENTRAL_WAVELENGTH_UM"]) * 1e3
        fwhm = float(md.get("FWHM_UM", "nan")) * 1e3
    except ValueError:
        return None
    if not math.isfinite(fwhm) or fwhm <= 0:
        return (c, c, "IMAGERY CENTRAL_WAVELENGTH_UM (no FWHM_UM: width unknown)")
    return (c - fwhm / 2, c + fwhm / 2, "IMAGERY CENTRAL_WAVELENGTH_UM/FWHM_UM")


def _envi_wavelengths(ds) -> list[Optional[tuple[float, float, str]]]:
    n = ds.RasterCount
    out: list[Optional[tuple[float, float, str]]] = [None] * n
    md = ds.GetMetadata("ENVI") or {}
    units = md.get("wavelength_units") or md.get("wavelength units")
    try:
        waves = _to_float_list(md["wavelength"]) if "wavelength" in md else []
        fwhms = _to_float_list(md["fwhm"]) if "fwhm" in md else []
    except ValueError:
        waves, fwhms = [], []
    for i in range(n):
        bmd = ds.GetRasterBand(i + 1).GetMetadata() or {}
        if "wavelength" in bmd:  # GDAL also copies ENVI wavelengths onto each band
            try:
                w = float(bmd["wavelength"])
            except ValueError:
                continue
            scale = _unit_scale(bmd.get("wavelength_units") or units, [w])
            out[i] = (w * scale, w * scale, "ENVI band wavelength (no fwhm: width unknown)")
    if len(waves) == n:
        scale = _unit_scale(units, waves)
        for i, w in enumerate(waves):
            if len(fwhms) == n and fwhms[i] > 0:
                half = fwhms[i] * scale / 2
                out[i] = (w * scale - half, w * scale + half, "ENVI wavelength/fwhm")
            else:
                out[i] = (w * scale, w * scale, "ENVI wavelength (no fwhm: width unknown)")
    return out


def _read(paths: Sequence[str]) -> list[_RawBand]:
    raw: list[_RawBand] = []
    for path in paths:
        ds = _open(path)
        envi = _envi_wavelengths(ds)
        hint = preset_from_metadata(ds.GetMetadata() or {}) or ""
        for i in range(ds.RasterCount):
            band = ds.GetRasterBand(i + 1)
            colour = gdal.GetColorInterpretationName(band.GetColorInterpretation()) or ""
            wave = _imagery_wavelength(band) or envi[i]
            raw.append(_RawBand(str(path), i + 1, ds.RasterCount, (band.GetDescription() or "").strip(), colour, wave,
                                hint))
        ds = None
    return raw


# --------------------------------------------------------------------------------------------
# Interpreting names


def _name_token(raw: _RawBand) -> tuple[Optional[str], str]:
    """A band name the description or file name carries ("B04", "VV", "red"), and its source."""
    desc = raw.description
    if desc:
        m = _NAME_RE.match(desc)
        if m:
            return m.group(1).upper(), "band-name"
        m = _SAR_RE.match(desc)
        if m:
            return m.group(1).upper(), "band-name"
        key = re.sub(r"[\s\-]+", "_", desc.strip().lower())
        if key in _GENERIC_NAMES:
            return key, "band-name"
    if raw.file_count == 1:
        m = _FILE_BAND_RE.search(os.path.basename(raw.path))
        if m:
            return m.group(1).upper(), "file-name"
    if raw.colour.lower() in _COLOUR_NAMES:  # GDAL colour interpretation Red / Green / Blue
        return raw.colour.lower(), "band-name"
    return None, ""


def _sensor_by_file_name(paths: Sequence[str], total: int) -> Optional[Sensor]:
    """The one preset whose file-name pattern every file matches and whose band count fits (NAIP tiles)."""
    hits = [get_sensor(sid) for sid in list_sensors()]
    hits = [s for s in hits if len(s.bands) == total and all(s.matches_file(p) for p in paths)]
    return hits[0] if len({s.id for s in hits}) == 1 else None


def _wavelength_from_description(desc: str) -> Optional[tuple[float, float]]:
    m = _RANGE_RE.search(desc)
    if m:
        scale = _UNIT_NM[m.group(3).lower()]
        return float(m.group(1)) * scale, float(m.group(2)) * scale
    m = _WAVE_RE.search(desc)
    if m:
        c = float(m.group(1)) * _UNIT_NM[m.group(2).lower()]
        return c, c
    return None


def _sensor_for(names: list[Optional[str]], raws: list[_RawBand], total: int) -> tuple[Optional[Sensor], str, str]:
    """The preset whose band names cover every named band best; with a confidence and a note."""
    named = [(n, r) for n, r in zip(names, raws) if n]
    if not named:
        return None, "", ""
    scored = []
    for sid in list_sensors():
        sensor = get_sensor(sid)
        found = [sensor.find_band(n) for n, _ in named]
        if any(f is None for f in found) or len({f.name for f in found}) != len(found):
            continue
        primary = sum(1 for (n, _), f in zip(named, found) if n.lower() == f.name.lower())
        by_file = any(sensor.matches_file(r.path) or r.sensor_hint == sensor.id for _, r in named)
        rank = PRIORITY.index(sid) if sid in PRIORITY else len(PRIORITY)
        scored.append(((by_file, primary, len(sensor.bands) == total, -rank), sensor, found))
    if not scored:
        return None, "", ""
    scored.sort(key=lambda s: s[0], reverse=True)
    best_key, best, found = scored[0]
    # Alternatives only matter when they would give these bands other ranges.
    others = [
        s.id for key, s, f in scored[1:]
        if [(b.min_nm, b.max_nm, b.polarization) for b in f] != [(b.min_nm, b.max_nm, b.polarization) for b in found]
        and key[:2] == best_key[:2]  # as good a fit by file name and by primary band names
    ]
    if not others:
        how = "the file's name or sensor metadata, and band names" if best_key[0] else "band names"
        return best, "high", f"sensor {best.id} recognised from {how}"
    return best, "low", (f"sensor guessed as {best.id} from band names; {', '.join(others[:4])} would also fit "
                         f"with other ranges: choose the sensor preset if this is wrong")


# --------------------------------------------------------------------------------------------
# Public API


def identify_bands(
    paths: Union[str, Sequence[str]], sensor: Optional[str] = None, bands: Optional[Sequence[str]] = None
) -> list[BandIdentity]:
    """Identify every band of one raster (or several files stacked in order).

    sensor: a preset id applied by band order (or to the band names found in the files).
    bands: one entry per band ("landsat8:B2", "634-696nm", "skip"); overrides everything else.
    """
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not paths:
        raise RasterError("No input raster given.")
    raws = _read([str(p) for p in paths])
    total = len(raws)
    if bands is not None:
        return _from_band_list(raws, list(bands))
    preset = get_sensor(sensor) if sensor else None
    names = []
    name_sources = []
    for raw in raws:
        n, s = _name_token(raw)
        names.append(n)
        name_sources.append(s)

    # Names resolved in the user's preset, or in the preset the names point to.
    if preset is not None:
        found = [preset.find_band(n) if n else None for n in names]
        if all(found) and len({f.name for f in found}) == total:
            name_sensor, name_conf, name_note = preset, "high", f"band names found in the chosen preset {preset.id}"
        else:
            name_sensor, name_conf, name_note = None, "", ""
            known = all(r.wavelength or _wavelength_from_description(r.description) for r in raws)
            if total != len(preset.bands) and not known:
                raise BandError(
                    f"Sensor preset '{preset.id}' has {len(preset.bands)} bands ({', '.join(preset.band_names)}) "
                    f"but {_files_text(paths)} {'has' if len(paths) == 1 else 'have'} {total} band(s): choose a "
                    f"preset with {total} bands, or give one entry per band (band list), e.g. "
                    f"'{preset.id}:{preset.band_names[0]},{preset.id}:{preset.band_names[1]},...' "
                    f"('skip' excludes a band)."
                )
    else:
        name_sensor, name_conf, name_note = _sensor_for(names, raws, total)
    # No preset chosen: a file name that only one preset's products carry (m_4709963_se_14_... for
    # NAIP) gives the bands by order when nothing better names them.
    by_file = _sensor_by_file_name([str(p) for p in paths], total) if preset is None else None

    out: list[BandIdentity] = []
    for number, (raw, name, nsrc) in enumerate(zip(raws, names, name_sources), start=1):
        ident = BandIdentity(number, raw.description, None, "none", "low", UNKNOWN_NOTE, raw.path, raw.file_band)
        if raw.wavelength is not None:
            lo, hi, where = raw.wavelength
            ident.band = BandSpec(raw.description or f"band {number}", lo, hi, source="file-metadata",
                                  confidence="high" if hi > lo else "medium")
            ident.source, ident.confidence, ident.note = "file-metadata", ident.band.confidence, f"from {where}"
        elif name and name_sensor is not None and name_sensor.find_band(name) is not None:
            spec = name_sensor.find_band(name)
            ident.band = dataclasses.replace(spec, source=nsrc, confidence=name_conf)
            ident.source, ident.confidence = nsrc, name_conf
            ident.note = f"{name_note}: '{name}' -> {spec.label}"
        elif raw.description and _wavelength_from_description(raw.description):
            lo, hi = _wavelength_from_description(raw.description)
            conf = "high" if hi > lo else "medium"
            ident.band = BandSpec(raw.description, lo, hi, source="band-name", confidence=conf)
            ident.source, ident.confidence = "band-name", conf
            ident.note = "wavelength read from the description" + ("" if hi > lo else " (centre only: width unknown)")
        elif preset is not None and total == len(preset.bands):
            spec = preset.bands[number - 1]
            ident.band = dataclasses.replace(spec, source="preset", confidence="high")
            ident.source, ident.confidence = "preset", "high"
            ident.note = f"band {number} of preset {preset.id} by band order"
            if name and preset.find_band(name) is not None and preset.find_band(name).name != spec.name:
                ident.confidence = "low"
                ident.band = dataclasses.replace(ident.band, confidence="low")
                ident.note += f"; but the file names it '{name}' ({preset.find_band(name).name}): check the band order"
        elif by_file is not None and not (name and name_sensor is not None):
            spec = by_file.bands[number - 1]
            ident.band = dataclasses.replace(spec, source="file-name", confidence="medium")
            ident.source, ident.confidence = "file-name", "medium"
            ident.note = f"band {number} of preset {by_file.id} by band order (the file name looks like {by_file.id})"
        else:
            hints = []
            if name:
                hints.append(f"its name '{name}' fits no single preset")
            if raw.colour and raw.colour.lower() not in ("undefined", "gray", "grey"):
                hints.append(f"colour interpretation {raw.colour}")
            if hints:
                ident.note = f"{UNKNOWN_NOTE} ({'; '.join(hints)})"
        out.append(ident)
    _note_unidentified_suggestions(out, paths)
    return out


def _files_text(paths: Sequence[str]) -> str:
    return f"'{paths[0]}'" if len(paths) == 1 else f"the {len(paths)} files"


def _from_band_list(raws: list[_RawBand], entries: list) -> list[BandIdentity]:
    if len(entries) != len(raws):
        raise BandError(
            f"{len(entries)} band entries were given but the input has {len(raws)} band(s): give one entry per "
            f"band (use 'skip' to exclude a band)."
        )
    out = []
    for number, (raw, entry) in enumerate(zip(raws, entries), start=1):
        if isinstance(entry, str) and entry.strip().lower() == "skip":
            out.append(BandIdentity(number, raw.description, None, "user", "high", "excluded by the user ('skip')",
                                    raw.path, raw.file_band))
            continue
        try:
            spec = parse_band(entry)
        except BandError as exc:
            raise BandError(f"Band {number} of {len(raws)} ({entry!r}): {exc}") from None
        spec = dataclasses.replace(spec, source="user", confidence="high")
        out.append(BandIdentity(number, raw.description, spec, "user", "high", f"given by the user as {entry!r}",
                                raw.path, raw.file_band))
    return out


def _note_unidentified_suggestions(idents: list[BandIdentity], paths: Sequence[str]) -> None:
    missing = [i for i in idents if i.band is None and i.source == "none"]
    if not missing:
        return
    hints = []
    for sid in suggest_sensors(paths):
        n = len(get_sensor(sid).bands)
        if n == len(idents):
            hints.append(f"preset {sid} has {n} bands")
        else:
            hints.append(f"the file name suggests {sid} ({n} bands, this input has {len(idents)}: give the bands "
                         f"one by one, e.g. '{sid}:{get_sensor(sid).band_names[0]}', or 'skip')")
    if hints:
        for ident in missing:
            ident.note += "; " + "; ".join(hints)


def suggest_sensors(paths: Union[str, Sequence[str]]) -> list[str]:
    """Presets that could describe the input: those the file names point to, then those with its band count."""
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    total = 0
    for path in paths:
        ds = _open(str(path))
        total += ds.RasterCount
        ds = None
    order = list_sensors()
    scored = []
    for sid in order:
        sensor = get_sensor(sid)
        by_file = any(sensor.matches_file(str(p)) for p in paths)
        same_count = len(sensor.bands) == total
        if by_file or same_count:
            scored.append((not by_file, not same_count, order.index(sid), sid))
    return [sid for *_, sid in sorted(scored)]


def identities_to_bands(idents: Sequence[BandIdentity]) -> list[Optional[BandSpec]]:
    """The BandSpec of each identity (None for unidentified or skipped bands)."""
    return [i.band for i in idents]


def identity_table(idents: Sequence[BandIdentity]) -> str:
    """Printable table of identities: number, description, band, range, source, confidence, note."""
    from .spectral import format_range

    header = ("#", "description", "band", "range", "source", "confidence", "note")
    rows = []
    for i in idents:
        b = i.band
        rows.append((str(i.number), i.description or "-", b.label if b else "?",
                     format_range(b.min_nm, b.max_nm) if b else "-", i.source, i.confidence, i.note))
    widths = [max(len(r[c]) for r in [header] + rows) for c in range(len(header) - 1)]
    lines = []
    for row in [header] + rows:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row[:-1], widths)) + "  " + row[-1])
    return "\n".join(lines)
