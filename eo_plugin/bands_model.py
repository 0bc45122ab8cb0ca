"""Band rows of the dialog's table and the engine calls behind them (identify, decide, job spec)."""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, fields
from typing import Optional

from .i18n import tr


@dataclass
class BandRow:
    """One band of the input raster as shown (and edited) in the band table."""

    number: int
    description: str = ""
    name: str = ""
    min_nm: Optional[float] = None
    max_nm: Optional[float] = None
    source: str = "user"  # file-metadata | band-name | file-name | preset | user
    include: bool = True
    sensor: Optional[str] = None  # preset id while the row is exactly a preset band
    kind: str = "reflectance"
    polarization: Optional[str] = None
    confidence: str = "high"
    note: str = ""

    @property
    def centre_nm(self) -> Optional[float]:
        """Centre of the range in nm (None without a range)."""
        if self.min_nm is None or self.max_nm is None:
            return None
        return (self.min_nm + self.max_nm) / 2.0

    def has_range(self) -> bool:
        """True when both ends of the wavelength range are known."""
        return self.min_nm is not None and self.max_nm is not None

    def spec(self) -> str:
        """The band entry handed to the engine (RasterInput.bands): preset band, SAR name or range."""
        if not self.include:
            return "skip"
        if self.sensor and self.name and self.source != "user":
            return f"{self.sensor}:{self.name}"
        if self.polarization:
            return self.polarization
        if self.has_range():
            return f"{_fmt(self.min_nm)}-{_fmt(self.max_nm)}nm"
        return self.name or ""

    def to_dict(self) -> dict:
        """Plain dict (stored as JSON in the project)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "BandRow":
        """Row from to_dict() output; unknown keys are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Decision:
    """What the model does with a band: kind (trained|nearest|interpolated|unsupported|excluded)."""

    kind: str
    label: str
    explanation: str


def _fmt(value: float) -> str:
    text = f"{value:.6g}"
    return text if "e" not in text else f"{value:.0f}"


_UNIT = re.compile(r"^\s*([-+]?\d+(?:[.,]\d*)?(?:[eE][-+]?\d+)?)\s*(nm|um|µm|μm|micron|microns|mm|cm|m)?\s*$")


def parse_wavelength(text: str) -> float:
    """Parse a wavelength typed by a user into nm: '665', '665 nm', '0.665 µm', '5.6 cm'.

    A bare number below 100 is read as micrometres (optical bands in nm are >= 300), so typing
    0.665 or 10.9 (thermal) does the right thing.
    """
    m = _UNIT.match(str(text))
    if not m:
        raise ValueError(tr("'{0}' is not a wavelength; type e.g. 665, 665 nm or 0.665 µm.").format(text))
    value = float(m.group(1).replace(",", "."))
    unit = (m.group(2) or "").lower()
    factor = {"nm": 1.0, "um": 1e3, "µm": 1e3, "μm": 1e3, "micron": 1e3, "microns": 1e3,
              "mm": 1e6, "cm": 1e7, "m": 1e9}.get(unit)
    if factor is None:
        factor = 1e3 if value < 100 else 1.0
    nm = value * factor
    if not math.isfinite(nm) or nm <= 0:
        raise ValueError(tr("Wavelength '{0}' must be a positive number.").format(text))
    return nm


def resolve_name(name: str, preset: Optional[str] = None):
    """BandSpec for a typed name: 'B2' in the preset, or anything parse_band accepts; else None."""
    if not name:
        return None
    try:
        from engine.spectral import parse_band
    except ImportError:
        return None
    candidates = [name] if ":" in name else ([f"{preset}:{name}"] if preset else []) + [name]
    for text in candidates:
        try:
            return parse_band(text)
        except ValueError:
            continue
    return None


def rows_from_identities(identities) -> list[BandRow]:
    """Convert engine.bands.identify_bands output into table rows."""
    rows = []
    for ident in identities:
        band = getattr(ident, "band", None)
        row = BandRow(number=int(ident.number), description=getattr(ident, "description", "") or "",
                      source=getattr(ident, "source", "") or "user",
                      confidence=getattr(ident, "confidence", "high") or "high",
                      note=getattr(ident, "note", "") or "")
        if band is not None:
            row.name = band.name
            row.min_nm = float(band.min_nm)
            row.max_nm = float(band.max_nm)
            row.sensor = getattr(band, "sensor", None)
            row.kind = getattr(band, "kind", "reflectance") or "reflectance"
            row.polarization = getattr(band, "polarization", None)
        else:
            row.source = getattr(ident, "source", "") or "unknown"
        rows.append(row)
    return rows


def rows_from_gdal(path: str) -> list[BandRow]:
    """Rows with only band numbers and descriptions (when the engine cannot identify anything)."""
    from osgeo import gdal

    ds = gdal.Open(path)
    if ds is None:
        return []
    return [BandRow(number=i, description=ds.GetRasterBand(i).GetDescription() or "", source="unknown",
                    confidence="low") for i in range(1, ds.RasterCount + 1)]


def identify(path: str, sensor: Optional[str] = None) -> list[BandRow]:
    """Identify the bands of a raster file with the engine (falls back to bare GDAL rows)."""
    try:
        from engine.bands import identify_bands
    except ImportError:
        return rows_from_gdal(path)
    return rows_from_identities(identify_bands([path], sensor=sensor))


def sensors() -> list[tuple[str, str]]:
    """(preset id, title) of every sensor preset the engine knows."""
    try:
        from engine.spectral import get_sensor, list_sensors
    except ImportError:
        return []
    out = []
    for sid in list_sensors():
        try:
            title = getattr(get_sensor(sid), "title", "") or sid
        except Exception:  # noqa: BLE001 - a broken preset must not break the dialog
            title = sid
        out.append((sid, sensor_title(sid, title)))
    return out


def sensor_title(sensor_id: str, title: str) -> str:
    """A preset's title in the user's language (the English title of the preset file otherwise)."""
    from .sensor_titles import SENSOR_TITLES

    return tr(SENSOR_TITLES[sensor_id]) if SENSOR_TITLES.get(sensor_id) == title else title


def common_sensor(rows: list[BandRow]) -> Optional[str]:
    """The preset id shared by every identified band, if there is exactly one."""
    ids = {r.sensor for r in rows if r.sensor}
    return ids.pop() if len(ids) == 1 else None


def decide(row: BandRow, rule: str = "reference", extrapolate: bool = False) -> Decision:
    """Ask the engine which projection layer(s) the model uses for this band, and why."""
    if not row.include:
        return Decision("excluded", tr("excluded"), tr("This band is not given to the model."))
    spec = row.spec()
    if not spec:
        return Decision("unsupported", tr("no wavelength"),
                        tr("Band {0} has no wavelength range: enter its min and max (nm) or choose a "
                           "sensor preset.").format(row.number))
    try:
        from engine.spectral import parse_band, resolve_band
    except ImportError:
        return Decision("unknown", tr("unknown"), tr("The engine's spectral module is not available."))
    from .band_explain import explain, explain_error

    try:
        band = parse_band(spec)
    except ValueError as exc:  # BandError is a ValueError
        if row.has_range():  # e.g. a radar wavelength typed as a range: say what the model can do with it
            return Decision("unsupported", tr("unsupported"), explain_error(row, exc))
        return Decision("unsupported", tr("unsupported"), dialog_wording(str(exc)))
    try:
        decision = resolve_band(band, rule, extrapolate, allow_unsupported=True)
    except ValueError as exc:
        return Decision("unsupported", tr("unsupported"), explain_error(band, exc))
    kind = getattr(decision, "kind", "unsupported")
    return Decision(kind, _decision_label(decision), explain(decision))


def _decision_label(decision) -> str:
    kind = decision.kind
    names = _layer_names()
    mix = list(getattr(decision, "mix", ()) or ())
    if kind == "unsupported" or not mix:
        return tr("unsupported")
    parts = [names.get(i, str(i)) for i, _ in sorted(mix, key=lambda m: -m[1])]
    index = getattr(decision, "layer_index", None)
    if len(mix) > 1 and index is not None and index in names:  # a reference derived layer (17, 18)
        parts = [names[index]]
    if kind == "trained":
        return tr("trained: {0}").format(parts[0])
    reference = getattr(decision, "rule", "") == "reference"
    if kind == "nearest":
        text = tr("nearest: {0}").format(parts[0])
    else:
        text = tr("interpolated: {0}").format(" + ".join(parts))
    return text + tr(" (reference mapping)") if reference else text


def _layer_names() -> dict[int, str]:
    try:
        from engine.spectral import ALL_RANGES
    except ImportError:
        return {}
    return {r.index: short_layer_name(r.name) for r in ALL_RANGES}


def short_layer_name(name: str) -> str:
    """Readable short name of a projection layer: 'short_wave_infrared_3' -> 'SWIR 3'."""
    for long, short in (("short_wave_infrared", "SWIR"), ("near_infrared", "NIR"), ("thermal_infrared", "TIR"),
                        ("red_edge", "red edge"), ("microwave", "SAR")):
        if name.startswith(long):
            name = short + name[len(long):]
            break
    return name.replace("_", " ")


def dialog_wording(text: str) -> str:
    """Engine advice in the dialog's terms: name the checkbox, not the Python argument or CLI flag."""
    checkbox = tr("tick 'Use the nearest layer for bands outside the trained spectrum' (Advanced)")
    for api in ("pass extrapolate=True", "use --extrapolate", "pass --extrapolate"):
        text = text.replace(api, checkbox)
    return text


def band_problems(rows: list[BandRow], rule: str = "reference", extrapolate: bool = False,
                  preset: Optional[str] = None) -> list[str]:
    """Readable reasons why these rows cannot be run (empty list when they can)."""
    included = [r for r in rows if r.include]
    if not rows:
        return [tr("The input raster has no bands.")]
    if not included:
        return [tr("No band is ticked: include at least one band.")]
    problems = []
    unknown = [r for r in included if not r.spec()]  # no range, no name the engine knows
    if unknown:
        numbers = ", ".join(str(r.number) for r in unknown)
        if preset:
            hint = tr("pick its band of the chosen preset in the Name column (double-click the cell)")
        else:
            hint = tr("choose the sensor preset first, then pick each band's name in the Name column")
        if len(unknown) == len(included):
            problems.append(tr("No band is identified: {0}, or type each band's wavelength range (Min/Max, nm or "
                               "µm).").format(hint))
        else:
            problems.append(tr("Band(s) {0} have no wavelength range: {1}, type the Min/Max wavelength, or untick "
                               "them.").format(numbers, hint))
    for r in included:
        if r in unknown:
            continue
        if r.has_range() and r.min_nm > r.max_nm:
            problems.append(tr("Band {0}: minimum wavelength {1} nm is above the maximum {2} nm.")
                            .format(r.number, _fmt(r.min_nm), _fmt(r.max_nm)))
            continue
        d = decide(r, rule, extrapolate)
        if d.kind == "unsupported":
            problems.append(tr("Band {0} ({1}): {2}").format(r.number, r.name or r.description or "?", d.explanation))
    if not problems:
        problems.extend(_band_list_problems(included, rule, extrapolate))
    return problems


def exclude_unsupported(rows: list[BandRow], rule: str = "reference", extrapolate: bool = False) -> list[BandRow]:
    """Untick identified bands the model has no layer for (e.g. cirrus); return the unticked rows."""
    out = []
    for r in rows:
        if r.include and r.has_range() and decide(r, rule, extrapolate).kind == "unsupported":
            r.include = False
            out.append(r)
    return out


def _band_list_problems(included: list[BandRow], rule: str, extrapolate: bool) -> list[str]:
    """Checks on the band list as a whole (e.g. the same band twice), exactly as the engine runs them."""
    try:
        from engine.spectral import resolve_bands
    except ImportError:
        return []
    try:
        resolve_bands([r.spec() for r in included], rule=rule, extrapolate=extrapolate)
    except ValueError as exc:  # BandError; its band count is over the ticked bands only
        return [tr("Ticked bands: {0}").format(dialog_wording(str(exc)))]
    return []
