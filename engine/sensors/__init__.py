"""Sensor presets: one JSON file per sensor in this folder (adding a sensor = adding a file)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..errors import BandError
from ..spectral import BandSpec

SENSOR_DIR = Path(__file__).resolve().parent

# Order used to break ties when several presets fit a file equally well (most common first).
PRIORITY = (
    "sentinel2_l2a", "sentinel2_l1c", "sentinel1_grd", "landsat8", "landsat7", "landsat5", "naip",
    "rgb_vhr", "planetscope8", "planetscope4", "hls_s30", "hls_l30",
)


@dataclass(frozen=True)
class Sensor:
    """A sensor preset: its bands in the order the provider delivers them."""

    id: str
    title: str
    bands: tuple[BandSpec, ...]
    aliases: tuple[str, ...] = ()
    source: str = ""
    fallback: tuple[str, ...] = ()  # presets searched for a band this one lacks ("sentinel2:B10")
    file_pattern: str = ""  # regex on file paths of this sensor's products
    band_aliases: dict = field(default_factory=dict)  # band name -> tuple of aliases
    nominal_nm: dict = field(default_factory=dict)  # band name -> nominal centre (nm), when published
    unsupported: dict = field(default_factory=dict)  # band name -> why it has no layer
    stats: dict = field(default_factory=dict)  # band name -> normalisation statistics, when known
    reference_layers: dict = field(default_factory=dict)  # band name -> layer the reference feeds it

    @property
    def band_names(self) -> list[str]:
        """Band names in delivery order."""
        return [b.name for b in self.bands]

    def find_band(self, name: str) -> Optional[BandSpec]:
        """The band called `name` or one of its aliases (case-insensitive), else None."""
        key = _norm(name)
        for band in self.bands:
            if _norm(band.name) == key:
                return band
        for band in self.bands:
            if key in {_norm(a) for a in self.band_aliases.get(band.name, ())}:
                return band
        return None

    def matches_file(self, path: str) -> bool:
        """True when the path looks like a product of this sensor (by its file-name pattern)."""
        return bool(self.file_pattern) and re.search(self.file_pattern, str(path)) is not None


def _norm(name: str) -> str:
    # "VV dB", "vv_db" and "VV-dB" are the same name to a user
    return re.sub(r"[\s_\-.]+", "", str(name)).lower()


def _load(path: Path) -> Sensor:
    data = json.loads(path.read_text(encoding="utf-8"))
    sid = data["id"]
    default_kind = data.get("kind", "reflectance")
    bands, aliases, nominal, unsupported = [], {}, {}, {}
    for b in data["bands"]:
        bands.append(
            BandSpec(
                name=b["name"], min_nm=float(b["min_nm"]), max_nm=float(b["max_nm"]),
                kind=b.get("kind", default_kind), polarization=b.get("polarization"),
                sensor=sid, source="preset", confidence="high",
            )
        )
        aliases[b["name"]] = tuple(b.get("aliases", ()))
        if "nominal_nm" in b:
            nominal[b["name"]] = float(b["nominal_nm"])
        if b.get("unsupported"):
            unsupported[b["name"]] = b["unsupported"]
    return Sensor(
        id=sid, title=data.get("title", sid), bands=tuple(bands), aliases=tuple(data.get("aliases", ())),
        source=data.get("source", ""), fallback=tuple(data.get("fallback", ())),
        file_pattern=data.get("file_pattern", ""), band_aliases=aliases, nominal_nm=nominal,
        unsupported=unsupported, stats=data.get("stats", {}),
        reference_layers={k: int(v) for k, v in data.get("reference_layers", {}).items()},
    )


@lru_cache(maxsize=1)
def _registry() -> dict[str, Sensor]:
    sensors = {}
    for path in sorted(SENSOR_DIR.glob("*.json")):
        sensor = _load(path)
        sensors[sensor.id] = sensor
    return sensors


def list_sensors() -> list[str]:
    """Ids of all presets, most common first."""
    ids = list(_registry())
    return sorted(ids, key=lambda s: (PRIORITY.index(s) if s in PRIORITY else len(PRIORITY), s))


def get_sensor(name: str) -> Sensor:
    """The preset called `name` (an id or an alias such as "s2", "l8", "landsat9")."""
    reg = _registry()
    key = _norm(name)
    for sensor in reg.values():
        if _norm(sensor.id) == key or key in {_norm(a) for a in sensor.aliases}:
            return sensor
    raise BandError(f"Unknown sensor preset '{name}'. Choose one of: {', '.join(list_sensors())}.")


def is_unsupported(band: BandSpec) -> Optional[str]:
    """Why a preset band has no projection layer (e.g. Sentinel-2 B10 cirrus), else None."""
    if not band.sensor:
        return None
    try:
        sensor = get_sensor(band.sensor)
    except BandError:
        return None
    return sensor.unsupported.get(band.name)


# SENSOR metadata text (lower case, regex) -> preset; Sentinel-2's level comes from PROCESSING_LEVEL.
_SENSOR_ITEMS = (
    (r"sentinel-?1", "sentinel1_grd"),
    (r"landsat-?8|landsat-?9|oli", "landsat8"),
    (r"landsat-?7|etm", "landsat7"),
    (r"landsat-?[45]\b|\btm\b", "landsat5"),
    (r"naip", "naip"),
    (r"planetscope", "planetscope4"),
)


def preset_from_metadata(meta: dict) -> Optional[str]:
    """The sensor preset a file's SENSOR/PROCESSING_LEVEL metadata items name, or None."""
    text = str(meta.get("SENSOR", "")).lower()
    if not text or text.startswith("unknown"):
        return None
    if re.search(r"sentinel-?2", text):
        return "sentinel2_l2a" if "l2a" in str(meta.get("PROCESSING_LEVEL", "")).lower() else "sentinel2_l1c"
    for pattern, preset in _SENSOR_ITEMS:
        if re.search(pattern, text):
            return preset
    return None
