"""Spectral ranges of the SMARTIES projection layers and the band -> layer resolution.

Every input band is described by its wavelength range (a BandSpec). `resolve_band` decides, in one
visible step, which projection layer(s) the band uses:

* trained       the band's range matches a trained layer (same range, or IoU >= 0.8);
* nearest       the band uses one trained layer as is (its centre sits next to that layer's centre,
                or the band lies inside that layer's range beyond the interpolation pool, or
                extrapolation was asked for);
* interpolated  a parameter-free mix of the two trained layers whose centres bracket the band's;
* unsupported   no layer can stand for the band (Sentinel-2 B10 / Landsat B9 cirrus).

Rules (how a band that is not a trained range gets its layer):

* reference     what the reference implementation and the paper do, the default of the published
                models: a preset's own table where it has one (aerial RGB -> the RGB layers 5/3/2),
                the reference's derived layers for the two ranges its code builds (Landsat-8 B2 ->
                18, B10 -> 17; any other thermal band uses 17 too), the nearest trained layer for
                everything else (the paper feeds Planet and HLS bands to the closest layers);
* published     interpolate any band between two layer centres with the reference's derived-layer
                weighting (the FARTHER layer weighs more); our default model was trained with it;
* linear        interpolate with ordinary linear weights (the nearer layer weighs more).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Optional, Sequence, Union

from .errors import BandError

# --------------------------------------------------------------------------------------------
# Projection layers (facts of the released checkpoints, see reference README)


@dataclass(frozen=True)
class SpectralRange:
    """One projection layer of the model: a wavelength range it was trained (or derived) for."""

    index: int
    name: str
    band: str
    min_nm: float
    max_nm: float
    sensor: str

    @property
    def centre_nm(self) -> float:
        """Centre of the range, (min + max) / 2, as the reference implementation uses it."""
        return (self.min_nm + self.max_nm) / 2

    @property
    def polarization(self) -> Optional[str]:
        """"VV"/"VH" for the two microwave layers, else None."""
        return self.band if self.band in ("VV", "VH") else None


TRAINED_RANGES: tuple[SpectralRange, ...] = (
    SpectralRange(0, "aerosol", "B01", 422.0, 463.0, "S2"),
    SpectralRange(1, "blue_1", "B02", 427.0, 558.0, "S2"),
    SpectralRange(2, "blue_3", "blue", 430.0, 545.0, "RGB"),
    SpectralRange(3, "green_1", "green", 466.0, 620.0, "RGB"),
    SpectralRange(4, "green_2", "B03", 524.0, 595.0, "S2"),
    SpectralRange(5, "red_1", "red", 590.0, 710.0, "RGB"),
    SpectralRange(6, "red_2", "B04", 634.0, 696.0, "S2"),
    SpectralRange(7, "red_edge_1", "B05", 689.0, 719.0, "S2"),
    SpectralRange(8, "red_edge_2", "B06", 726.0, 755.0, "S2"),
    SpectralRange(9, "near_infrared_1", "B08", 728.0, 938.0, "S2"),
    SpectralRange(10, "near_infrared_2", "B07", 761.0, 802.0, "S2"),
    SpectralRange(11, "near_infrared_3", "B8A", 843.0, 886.0, "S2"),
    SpectralRange(12, "short_wave_infrared_1", "B09", 923.0, 964.0, "S2"),
    SpectralRange(13, "short_wave_infrared_3", "B11", 1516.0, 1704.0, "S2"),
    SpectralRange(14, "short_wave_infrared_4", "B12", 2002.0, 2376.0, "S2"),
    SpectralRange(15, "microwave_1", "VV", 5.5e7, 5.6e7, "S1 GRD"),
    SpectralRange(16, "microwave_2", "VH", 5.5e7, 5.6e7, "S1 GRD"),
)

DERIVED_RANGES: tuple[SpectralRange, ...] = (
    SpectralRange(17, "thermal_infrared_1", "B10", 10600.0, 11190.0, "Landsat-8"),
    SpectralRange(18, "blue_2", "B2", 452.0, 512.0, "Landsat-8"),
)

ALL_RANGES: tuple[SpectralRange, ...] = TRAINED_RANGES + DERIVED_RANGES

# The interpolation pool: the Sentinel-2 + Sentinel-1 layers. The broad commercial-RGB layers
# (2 blue_3, 3 green_1, 5 red_1) are only used for a same-range match: they overlap the S2 layers
# and, if they took part in bracketing, Landsat-8 B2 (centre 482 nm) would be bracketed by
# aerosol and blue_3 instead of aerosol and blue_1, which is not what the reference implementation
# built as derived layer 18. VH (16) has the same range as VV, so VV stands for microwave.
OPTICAL_POOL: tuple[int, ...] = tuple(
    sorted((0, 1, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14), key=lambda i: TRAINED_RANGES[i].centre_nm)
)
MICROWAVE_LAYER_FOR_THERMAL = 15
DERIVED_COMPONENTS = {17: (14, 15), 18: (0, 1)}

OPTICAL_SPECTRUM_NM = (422.0, 2376.0)  # union of the optical trained ranges
C_BAND_NM = (3.75e7, 7.5e7)  # C-band: 4-8 GHz
MICROWAVE_MIN_NM = 1e6  # 1 mm: anything longer is a radar band
THERMAL_IR_NM = (8000.0, 15000.0)  # long-wave thermal infrared (Landsat TIRS, ETM+/TM B6, ASTER TIR)
CIRRUS_NM = (1340.0, 1410.0)  # strong water-vapour absorption: S2 B10, Landsat-8 B9
SAME_RANGE_TOL_NM = 2.0  # ends within 2 nm: the same range
MIN_IOU = 0.8  # intersection over union that still counts as the trained range
# A centre within this fraction of the gap between two bracketing layer centres snaps to the
# nearer layer. The published rule gives a band that almost coincides with a layer nearly all the
# weight of the OTHER layer; snapping avoids that and gives the Landsat-8 mapping of the paper's
# text (B1->0, B3->4, B4->6, B5->11, B6->13, B7->14; the reference CODE only builds B2 -> derived 18
# and B10 -> derived 17) while B2 (21% of the gap) still gets the derived blue_2 mix. 0.18 keeps
# clear of the presets' bands: Landsat-8 B4 sits at 10%, the TM/ETM+/PlanetScope-4 blue bands at
# exactly 15% (they snap to blue_1), Landsat-8 B2 at 21%.
SNAP_FRACTION = 0.18

CO_POL = ("VV", "HH")
CROSS_POL = ("VH", "HV")
RULES = ("reference", "published", "linear")


# --------------------------------------------------------------------------------------------
# Input bands and decisions


@dataclass(frozen=True)
class BandSpec:
    """One input band as the user or the file describes it."""

    name: str
    min_nm: float
    max_nm: float
    kind: str = "reflectance"  # reflectance | dn | backscatter_db | brightness_temperature | radiance
    polarization: Optional[str] = None  # "VV", "VH", "HH", "HV" for SAR
    sensor: Optional[str] = None  # preset id, e.g. "sentinel2_l2a"
    source: str = "user"  # file-metadata | band-name | file-name | preset | user
    confidence: str = "high"  # high | medium | low

    @property
    def centre_nm(self) -> float:
        """Centre of the range in nm."""
        return (self.min_nm + self.max_nm) / 2

    @property
    def is_microwave(self) -> bool:
        """True for radar bands (a polarization, or a wavelength of a millimetre or more)."""
        return self.polarization is not None or self.max_nm >= MICROWAVE_MIN_NM

    @property
    def label(self) -> str:
        """Short name for tables: "sentinel2_l2a:B04" or the plain name."""
        return f"{self.sensor}:{self.name}" if self.sensor else self.name


@dataclass(frozen=True)
class LayerDecision:
    """How one band is fed to the model: which layer(s), with which weights, and why."""

    band: BandSpec
    kind: str  # trained | nearest | interpolated | unsupported
    mix: tuple[tuple[int, float], ...]  # (trained layer 0..16, weight); weights sum to 1
    layer_index: Optional[int]  # 0..18 when the mix equals a trained or reference derived layer
    explanation: str
    rule: str = ""  # the band-mapping rule that made the decision (reference | published | linear)


BandLike = Union[str, int, BandSpec, LayerDecision]


def format_range(min_nm: float, max_nm: float) -> str:
    """Readable range: "634-696 nm", or "5.50-5.60 cm" for radar."""
    if max_nm >= MICROWAVE_MIN_NM and math.isfinite(max_nm):
        return f"{min_nm / 1e7:.2f}-{max_nm / 1e7:.2f} cm"
    return f"{_num(min_nm)}-{_num(max_nm)} nm"


def _num(x: float) -> str:
    return f"{x:g}" if math.isfinite(x) else str(x)


# --------------------------------------------------------------------------------------------
# Parsing

_RANGE_RE = re.compile(
    r"^\s*(?P<lo>[-+]?[\d.]+(?:e[-+]?\d+)?|nan|inf)\s*(?:-|–|—|\.\.|to)\s*"
    r"(?P<hi>[-+]?[\d.]+(?:e[-+]?\d+)?|nan|inf)\s*(?P<unit>nm|um|µm|μm|micron|microns|cm)?\s*$",
    re.IGNORECASE,
)
_SINGLE_RE = re.compile(r"^\s*(?P<c>[\d.]+(?:e[-+]?\d+)?)\s*(?P<unit>nm|um|µm|μm|micron|microns)\s*$", re.IGNORECASE)
_UNIT_TO_NM = {"nm": 1.0, "um": 1e3, "µm": 1e3, "μm": 1e3, "micron": 1e3, "microns": 1e3, "cm": 1e7}


def layer_band(index: int) -> BandSpec:
    """The BandSpec of projection layer `index` (0..18)."""
    if not 0 <= index < len(ALL_RANGES):
        raise BandError(f"Projection layer {index} does not exist: layers are 0..{len(ALL_RANGES) - 1}.")
    r = ALL_RANGES[index]
    if r.polarization:
        return BandSpec(r.name, r.min_nm, r.max_nm, kind="backscatter_db", polarization=r.polarization)
    kind = "brightness_temperature" if index == 17 else "reflectance"
    return BandSpec(r.name, r.min_nm, r.max_nm, kind=kind)


def parse_band(spec: BandLike) -> BandSpec:
    """Turn a band entry (layer index, "sensor:band", "634-696nm", "VV", BandSpec) into a BandSpec."""
    if isinstance(spec, LayerDecision):
        return spec.band
    if isinstance(spec, BandSpec):
        return spec
    if isinstance(spec, bool):
        raise BandError(f"Band {spec!r} is not a band: give a layer index, 'sensor:band' or a range like '634-696nm'.")
    if isinstance(spec, int) or type(spec).__name__.startswith(("int", "uint")):  # numpy integers too
        return layer_band(int(spec))
    if not isinstance(spec, str):
        raise BandError(f"Band {spec!r} is not a band: give a layer index, 'sensor:band' or a range like '634-696nm'.")
    text = spec.strip()
    if not text:
        raise BandError("Empty band name: give 'sensor:band' (e.g. 'sentinel2:B04') or a range like '634-696nm'.")
    if re.fullmatch(r"\d{1,2}", text):
        return layer_band(int(text))
    if ":" in text:
        sensor_name, band_name = (t.strip() for t in text.split(":", 1))
        return preset_band(sensor_name, band_name)
    if text.upper() in CO_POL + CROSS_POL:
        return _sar_band(text.upper())
    m = _RANGE_RE.match(text)
    if m:
        return _range_band(text, float(m["lo"]), float(m["hi"]), m["unit"])
    m = _SINGLE_RE.match(text)
    if m:
        c = float(m["c"]) * _UNIT_TO_NM[m["unit"].lower()]
        return BandSpec(text, c, c, confidence="medium")
    raise BandError(
        f"Unknown band '{text}': write 'sensor:band' (e.g. 'sentinel2:B04', 'landsat8:B10', 's1:VV', "
        f"'naip:nir'), a wavelength range ('634-696nm', '0.634-0.696um') or a layer index 0..18."
    )


def _range_band(text: str, lo: float, hi: float, unit: Optional[str]) -> BandSpec:
    if unit is None:
        # Without a unit only unambiguous nanometre values are accepted (no silent unit guess).
        if not (math.isfinite(lo) and math.isfinite(hi) and min(lo, hi) >= 100):
            raise BandError(f"Band '{text}': add a unit, e.g. '{text}nm' or '{text}um'.")
        unit = "nm"
    scale = _UNIT_TO_NM[unit.lower()]
    lo, hi = lo * scale, hi * scale
    _check_range(text, lo, hi)
    if hi >= MICROWAVE_MIN_NM:
        raise BandError(
            f"Band '{text}' is a radar wavelength: name its polarization instead, e.g. 'VV', 'VH', 's1:VV'."
        )
    return BandSpec(text, lo, hi)


def _sar_band(pol: str) -> BandSpec:
    if pol in ("VV", "VH"):
        return preset_band("sentinel1_grd", pol)
    # HH/HV: a C-band band with the Sentinel-1 range (the model only knows C-band)
    return BandSpec(pol, 5.5e7, 5.6e7, kind="backscatter_db", polarization=pol)


def preset_band(sensor_name: str, band_name: str) -> BandSpec:
    """Band `band_name` of preset `sensor_name` (aliases allowed; "sentinel2:B10" -> L1C)."""
    from .sensors import get_sensor

    sensor = get_sensor(sensor_name)
    tried = [sensor]
    band = sensor.find_band(band_name)
    for other in sensor.fallback:
        if band is not None:
            break
        tried.append(get_sensor(other))
        band = tried[-1].find_band(band_name)
    if band is None:
        names = ", ".join(sensor.band_names)
        raise BandError(
            f"Unknown band '{band_name}' for sensor '{sensor_name}' ({sensor.id}): its bands are {names}."
        )
    return band


def get_sensor(name: str):
    """The sensor preset called `name` (id or alias): see engine.sensors.Sensor."""
    from .sensors import get_sensor as _get

    return _get(name)


def list_sensors() -> list[str]:
    """Ids of all sensor presets."""
    from .sensors import list_sensors as _list

    return _list()


def _check_range(name: str, lo: float, hi: float) -> None:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise BandError(f"Band '{name}' has a range that is not a number ({_num(lo)}-{_num(hi)} nm): type a real range.")
    if lo <= 0 or hi <= 0:
        raise BandError(f"Band '{name}' has a non-positive wavelength ({_num(lo)}-{_num(hi)} nm).")
    if lo > hi:
        raise BandError(f"Band '{name}' has min > max ({_num(lo)} > {_num(hi)} nm): swap the two ends.")


# --------------------------------------------------------------------------------------------
# Resolution


def _iou(a_lo: float, a_hi: float, b_lo: float, b_hi: float) -> float:
    inter = max(0.0, min(a_hi, b_hi) - max(a_lo, b_lo))
    union = max(a_hi, b_hi) - min(a_lo, b_lo)
    return inter / union if union > 0 else (1.0 if a_lo == b_lo else 0.0)


def _same_range(band: BandSpec, layer: SpectralRange) -> float:
    """IoU when the band counts as the layer's own range, else 0."""
    tol = max(SAME_RANGE_TOL_NM, 0.01 * (layer.max_nm - layer.min_nm))
    iou = _iou(band.min_nm, band.max_nm, layer.min_nm, layer.max_nm)
    if abs(band.min_nm - layer.min_nm) <= tol and abs(band.max_nm - layer.max_nm) <= tol:
        return max(iou, 1e-9)
    return iou if iou >= MIN_IOU else 0.0


def interpolation_weights(centre_nm: float, lo: int, hi: int, rule: str = "published") -> tuple[tuple[int, float], ...]:
    """Weights of trained layers `lo` and `hi` for a band centred at `centre_nm`.

    published: weight_k = |c - c_k| / sum_j |c - c_j| (the reference implementation's rule: the
    FARTHER layer gets the larger weight). linear: ordinary linear interpolation.
    """
    c_lo, c_hi = TRAINED_RANGES[lo].centre_nm, TRAINED_RANGES[hi].centre_nm
    if rule == "published":
        d_lo, d_hi = abs(centre_nm - c_lo), abs(centre_nm - c_hi)
        total = d_lo + d_hi
        return ((lo, d_lo / total), (hi, d_hi / total))
    if rule == "linear":
        t = (centre_nm - c_lo) / (c_hi - c_lo)
        return ((lo, 1.0 - t), (hi, t))
    raise BandError(f"Unknown interpolation rule '{rule}': use one of {', '.join(RULES)}.")


def derived_mix(index: int, rule: str = "published") -> tuple[tuple[int, float], ...]:
    """Component layers and weights of reference derived layer 17 or 18."""
    lo, hi = DERIVED_COMPONENTS[index]
    return interpolation_weights(ALL_RANGES[index].centre_nm, lo, hi, rule)


def _layer_text(i: int) -> str:
    r = ALL_RANGES[i]
    return f"layer {i} {r.name} ({r.sensor} {r.band}, {format_range(r.min_nm, r.max_nm)})"


def _decision(band: BandSpec, kind: str, mix, explanation: str, rule: str) -> LayerDecision:
    mix = tuple((int(i), float(w)) for i, w in mix)
    layer_index = None
    if len(mix) == 1:
        layer_index = mix[0][0]
    elif rule in ("published", "reference"):
        for idx in DERIVED_COMPONENTS:
            if mix == derived_mix(idx):
                layer_index = idx
                if rule == "published":
                    explanation += f"; this is exactly reference derived layer {idx} {ALL_RANGES[idx].name}"
    return LayerDecision(band, kind, mix, layer_index, explanation, rule)


def _outside(band: BandSpec) -> BandError:
    return BandError(
        f"band '{band.label}' ({format_range(band.min_nm, band.max_nm)}) lies outside the pretraining spectrum "
        f"(422-2376 nm optical, C-band SAR) and outside the thermal window the model maps through its derived "
        f"thermal layer (8-15 um); exclude it or pass extrapolate=True for nearest-layer extrapolation"
    )


def _unsupported_reason(band: BandSpec) -> Optional[str]:
    from .sensors import is_unsupported

    reason = is_unsupported(band)
    if reason:
        return reason
    if not band.is_microwave and CIRRUS_NM[0] <= band.centre_nm <= CIRRUS_NM[1]:
        return "cirrus / water-vapour absorption band: SMARTIES has no projection layer for it; exclude it"
    return None


def resolve_band(
    band: BandLike, rule: str = "published", extrapolate: bool = False, allow_unsupported: bool = False
) -> LayerDecision:
    """Decide which projection layer(s) one band uses; raise BandError when none can."""
    if rule not in RULES:
        raise BandError(f"Unknown interpolation rule '{rule}': use one of {', '.join(RULES)}.")
    band = parse_band(band)
    _check_range(band.label, band.min_nm, band.max_nm)
    reason = _unsupported_reason(band)
    if reason:
        if allow_unsupported:
            return LayerDecision(band, "unsupported", (), None, f"{band.label}: {reason}")
        raise BandError(f"Band '{band.label}' ({format_range(band.min_nm, band.max_nm)}): {reason} (mark it 'skip').")
    if band.is_microwave:
        return _resolve_microwave(band, extrapolate)
    return _resolve_optical(band, rule, extrapolate)


def _resolve_microwave(band: BandSpec, extrapolate: bool) -> LayerDecision:
    pol = (band.polarization or "").upper()
    if band.max_nm < MICROWAVE_MIN_NM:
        raise BandError(
            f"Band '{band.label}' has polarization {pol} but an optical range "
            f"({format_range(band.min_nm, band.max_nm)}): radar bands need a radar wavelength."
        )
    if pol in CO_POL:
        layer = 15
    elif pol in CROSS_POL:
        layer = 16
    else:
        raise BandError(
            f"Radar band '{band.label}' has no polarization: name it VV, VH, HH or HV (e.g. 's1:VV')."
        )
    # VV and VH layers share one range, so the polarization picks the layer; the range decides
    # only whether it is the trained C-band or something further away.
    pol_text = "co-polarised" if layer == 15 else "cross-polarised"
    if _same_range(band, TRAINED_RANGES[layer]):
        return _decision(band, "trained", ((layer, 1.0),), f"{pol} ({pol_text}) C-band: matches {_layer_text(layer)}", "")
    if C_BAND_NM[0] <= band.centre_nm <= C_BAND_NM[1]:
        return _decision(
            band, "nearest", ((layer, 1.0),),
            f"{pol} C-band at {band.centre_nm / 1e7:.2f} cm: uses {_layer_text(layer)} ({pol_text})", "",
        )
    if not extrapolate:
        raise _outside(band)
    return _decision(
        band, "nearest", ((layer, 1.0),),
        f"EXTRAPOLATED: {pol} radar band at {band.centre_nm / 1e7:.2f} cm is outside C-band; uses "
        f"{_layer_text(layer)} (the paper reports that extrapolation does not work well)", "",
    )


def _resolve_optical(band: BandSpec, rule: str, extrapolate: bool) -> LayerDecision:
    c = band.centre_nm
    rng = format_range(band.min_nm, band.max_nm)
    if rule == "reference":
        preset = _preset_reference_layer(band)
        if preset is not None:
            return preset
    # 1. same range as a trained layer (all optical layers, the RGB ones included)
    scores = [(_same_range(band, r), r.index) for r in TRAINED_RANGES[:15]]
    best_score, best = max(scores)
    if best_score > 0:
        iou = _iou(band.min_nm, band.max_nm, TRAINED_RANGES[best].min_nm, TRAINED_RANGES[best].max_nm)
        return _decision(band, "trained", ((best, 1.0),), f"{rng} matches {_layer_text(best)} (IoU {iou:.2f})", rule)
    if rule == "reference":
        return _resolve_reference(band, extrapolate)
    centres = [TRAINED_RANGES[i].centre_nm for i in OPTICAL_POOL]
    # 2. centre inside the optical pool: bracket by the two neighbouring layer centres
    if centres[0] <= c <= centres[-1]:
        for k in range(len(OPTICAL_POOL) - 1):
            if centres[k] <= c <= centres[k + 1]:
                lo, hi = OPTICAL_POOL[k], OPTICAL_POOL[k + 1]
                gap = centres[k + 1] - centres[k]
                d_lo, d_hi = c - centres[k], centres[k + 1] - c
                if min(d_lo, d_hi) <= SNAP_FRACTION * gap:
                    near = lo if d_lo <= d_hi else hi
                    return _decision(
                        band, "nearest", ((near, 1.0),),
                        f"centre {c:g} nm is {min(d_lo, d_hi):g} nm from the centre of {_layer_text(near)}; "
                        f"uses that layer as is", rule,
                    )
                return _interpolated(band, lo, hi, rule)
    # 3. long-wave thermal infrared: bracketed by SWIR2 and VV, as the reference's derived layer 17
    if THERMAL_IR_NM[0] <= c <= THERMAL_IR_NM[1]:
        return _interpolated(band, 14, MICROWAVE_LAYER_FOR_THERMAL, rule)
    # 4. beyond the pool's centres but inside a trained layer's range (e.g. coastal blue 431-452)
    inside = [r for r in TRAINED_RANGES[:15] if r.min_nm <= band.min_nm and band.max_nm <= r.max_nm]
    if inside:
        near = min(inside, key=lambda r: abs(r.centre_nm - c)).index
        return _decision(
            band, "nearest", ((near, 1.0),),
            f"{rng} lies inside {_layer_text(near)} beyond the interpolation pool; uses that layer as is", rule,
        )
    if not extrapolate:
        raise _outside(band)
    near = min(OPTICAL_POOL, key=lambda i: abs(TRAINED_RANGES[i].centre_nm - c))
    return _decision(
        band, "nearest", ((near, 1.0),),
        f"EXTRAPOLATED: {rng} is outside the pretraining spectrum; uses the nearest {_layer_text(near)} "
        f"(the paper reports that extrapolation does not work well)", rule,
    )


def _preset_reference_layer(band: BandSpec) -> Optional[LayerDecision]:
    """The layer a sensor preset's reference table gives the band (aerial RGB -> 5/3/2), else None."""
    if not band.sensor:
        return None
    from .sensors import get_sensor as _get

    try:
        layer = _get(band.sensor).reference_layers.get(band.name)
    except BandError:
        return None
    if layer is None:
        return None
    kind = "trained" if _same_range(band, TRAINED_RANGES[layer]) else "nearest"
    return _decision(band, kind, ((layer, 1.0),),
                     f"reference mapping: {band.label} ({format_range(band.min_nm, band.max_nm)}) uses "
                     f"{_layer_text(layer)}, the layer the reference feeds this kind of band", "reference")


def _resolve_reference(band: BandSpec, extrapolate: bool) -> LayerDecision:
    """The reference's mapping for a band that is not a trained range: derived layer or nearest layer."""
    c = band.centre_nm
    rng = format_range(band.min_nm, band.max_nm)
    for idx in DERIVED_COMPONENTS:  # the two ranges the reference code builds (Landsat-8 B2, B10)
        r = ALL_RANGES[idx]
        tol = max(SAME_RANGE_TOL_NM, 0.01 * (r.max_nm - r.min_nm))
        if abs(band.min_nm - r.min_nm) <= tol and abs(band.max_nm - r.max_nm) <= tol:  # that range, no IoU
            return _decision(band, "interpolated", derived_mix(idx),
                             f"reference mapping: {rng} is the reference's derived layer {idx} {r.name} "
                             f"({r.sensor} {r.band}), a fixed mix of two trained layers", "reference")
    if THERMAL_IR_NM[0] <= c <= THERMAL_IR_NM[1]:
        return _decision(band, "nearest", derived_mix(17),
                         f"reference mapping: thermal band {rng} uses the nearest layer, the reference's "
                         f"thermal layer 17 thermal_infrared_1 (Landsat-8 B10, {format_range(10600, 11190)})",
                         "reference")
    centres = [TRAINED_RANGES[i].centre_nm for i in OPTICAL_POOL]
    inside = any(r.min_nm <= band.min_nm and band.max_nm <= r.max_nm for r in TRAINED_RANGES[:15])
    if not (centres[0] <= c <= centres[-1] or inside):
        if not extrapolate:
            raise _outside(band)
        near = min(OPTICAL_POOL, key=lambda i: abs(TRAINED_RANGES[i].centre_nm - c))
        return _decision(band, "nearest", ((near, 1.0),),
                         f"EXTRAPOLATED: {rng} is outside the pretraining spectrum; uses the nearest "
                         f"{_layer_text(near)} (the paper reports that extrapolation does not work well)",
                         "reference")
    near = min(OPTICAL_POOL, key=lambda i: abs(TRAINED_RANGES[i].centre_nm - c))
    return _decision(band, "nearest", ((near, 1.0),),
                     f"reference mapping: centre {c:g} nm is closest to the centre of {_layer_text(near)} "
                     f"({abs(TRAINED_RANGES[near].centre_nm - c):g} nm away); uses that layer as is, as the "
                     "paper feeds bands of other sensors (interpolation 'published' or 'linear' mixes two "
                     "layers instead)", "reference")


def _interpolated(band: BandSpec, lo: int, hi: int, rule: str) -> LayerDecision:
    mix = interpolation_weights(band.centre_nm, lo, hi, rule)
    r_lo, r_hi = TRAINED_RANGES[lo], TRAINED_RANGES[hi]
    if rule == "published":
        how = ("published rule: each layer weighs its distance to the band centre, so the FARTHER layer gets the "
               "larger weight, as the reference implementation builds its derived layers (interpolation 'linear' "
               "gives the nearer layer more)")
    else:
        how = "linear rule: ordinary linear interpolation, the nearer layer gets the larger weight"
    text = (
        f"centre {band.centre_nm:g} nm lies between layer {lo} {r_lo.name} ({r_lo.centre_nm:g} nm) and layer {hi} "
        f"{r_hi.name} ({r_hi.centre_nm:g} nm); {how}: {mix[0][1]:.6g} x {r_lo.name} + {mix[1][1]:.6g} x {r_hi.name}"
    )
    return _decision(band, "interpolated", mix, text, rule)


def resolve_bands(
    bands: Sequence[BandLike], rule: str = "published", extrapolate: bool = False, allow_unsupported: bool = False
) -> list[LayerDecision]:
    """Resolve a band list; BandError names the band and its position for every problem."""
    if isinstance(bands, (str, BandSpec, LayerDecision, int)):
        bands = [bands]
    bands = list(bands)
    if not bands:
        raise BandError("No bands given: choose at least one band (a sensor preset, band names or ranges).")
    n = len(bands)
    decisions: list[LayerDecision] = []
    seen: dict[tuple, int] = {}
    for pos, item in enumerate(bands, start=1):
        try:
            decision = resolve_band(item, rule=rule, extrapolate=extrapolate, allow_unsupported=allow_unsupported)
        except BandError as exc:
            raise BandError(f"Band {pos} of {n} ({_show(item)}): {exc}") from None
        b = decision.band
        key = (b.min_nm, b.max_nm, (b.polarization or "").upper())
        if key in seen:
            raise BandError(
                f"Band {pos} of {n} ({_show(item)}) duplicates band {seen[key]} "
                f"({format_range(b.min_nm, b.max_nm)}{' ' + b.polarization if b.polarization else ''}): "
                f"each band may appear once; remove or 'skip' one of them."
            )
        seen[key] = pos
        decisions.append(decision)
    return decisions


def _show(item: BandLike) -> str:
    if isinstance(item, LayerDecision):
        item = item.band
    if isinstance(item, BandSpec):
        return f"'{item.label}'"
    return repr(item)


def layer_indices(decisions: Sequence[LayerDecision]) -> Optional[list[int]]:
    """The layer index of every decision when all have one (the fast path), else None."""
    idx = [d.layer_index for d in decisions]
    return None if any(i is None for i in idx) else idx  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# Presentation


def _mix_text(d: LayerDecision) -> str:
    if not d.mix:
        return "-- (exclude this band)"
    parts = [f"{i} {TRAINED_RANGES[i].name}" + ("" if len(d.mix) == 1 else f" x{w:.6f}") for i, w in d.mix]
    text = " + ".join(parts)
    if d.layer_index is not None and d.layer_index >= len(TRAINED_RANGES):
        text += f"  (= layer {d.layer_index} {ALL_RANGES[d.layer_index].name})"
    return text


def _kind_text(d: LayerDecision) -> str:
    """The decision column: the kind, and "reference mapping" when the reference rule decided."""
    if d.rule == "reference" and d.kind != "trained" and d.explanation.startswith("reference mapping"):
        return f"{d.kind} (reference mapping)"
    return d.kind


def decision_table(decisions: Sequence[LayerDecision]) -> str:
    """Printable aligned table: band, range, decision, layers with weights."""
    header = ("#", "band", "range", "decision", "layers (weights)")
    rows = [
        (str(n), d.band.label, format_range(d.band.min_nm, d.band.max_nm), _kind_text(d), _mix_text(d))
        for n, d in enumerate(decisions, start=1)
    ]
    widths = [max(len(r[c]) for r in [header] + rows) for c in range(len(header))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in [header] + rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def decisions_to_json(decisions: Sequence[LayerDecision]) -> list[dict]:
    """JSON-ready description of decisions, for output metadata and reports."""
    out = []
    for d in decisions:
        b = d.band
        out.append(
            {
                "name": b.name, "sensor": b.sensor, "min_nm": b.min_nm, "max_nm": b.max_nm, "kind": b.kind,
                "polarization": b.polarization, "source": b.source, "confidence": b.confidence,
                "decision": d.kind, "mix": [[i, w] for i, w in d.mix], "layer_index": d.layer_index,
                "explanation": d.explanation, "rule": d.rule,
            }
        )
    return out
