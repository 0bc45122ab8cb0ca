"""The model's decision for a band, in the dialog's language and in the dialog's terms (its checkbox,
not the engine's `extrapolate=True`); built from the decision's fields, not from engine sentences."""
from __future__ import annotations

from .i18n import tr

OPTICAL = (422.0, 2376.0)  # nm, the trained optical spectrum (engine.spectral)
THERMAL = (8000.0, 15000.0)  # nm, the thermal window mapped through the derived thermal layer
C_BAND_NM = (3.75e7, 7.5e7)  # 4-8 GHz


def _names() -> dict:
    from .bands_model import _layer_names

    return _layer_names()


def _range_text(band) -> str:
    lo, hi = float(band.min_nm), float(band.max_nm)
    if lo >= 1e6:
        return f"{lo / 1e7:.2f}-{hi / 1e7:.2f} cm"
    return f"{lo:g}-{hi:g} nm"


def checkbox_name() -> str:
    """The Advanced checkbox that allows nearest-layer extrapolation, as the dialog shows it."""
    return tr("Use the nearest layer for bands outside the trained spectrum")


def explain(decision) -> str:
    """One sentence for a LayerDecision (trained, nearest, interpolated, extrapolated, unsupported)."""
    names = _names()
    mix = sorted(getattr(decision, "mix", ()) or (), key=lambda m: -m[1])
    band = decision.band
    rng = _range_text(band)
    english = getattr(decision, "explanation", "") or ""
    if decision.kind == "unsupported" or not mix:
        if "cirrus" in english.lower():
            return tr("{0}: a cirrus (atmosphere) band; the model has no layer for it: untick it.").format(rng)
        return tr("{0}: the model has no layer for this band: untick it.").format(rng)
    first = names.get(mix[0][0], str(mix[0][0]))
    if english.startswith("EXTRAPOLATED"):
        return tr("{0} is outside the trained spectrum: uses the nearest layer {1} (extrapolation works poorly; "
                  "untick '{2}' to refuse it).").format(rng, first, checkbox_name())
    if decision.kind == "trained":
        return tr("{0} matches the trained layer {1}.").format(rng, first)
    if decision.kind == "nearest":
        return tr("{0} takes the nearest trained layer {1} as it is.").format(rng, first)
    parts = " + ".join(f"{w:.0%} {names.get(i, str(i))}" for i, w in mix)
    return tr("{0} lies between two trained layers: mixes {1}.").format(rng, parts)


def explain_error(band, exc: Exception) -> str:
    """Why a band cannot be used, with what to do in the dialog (outside the spectrum, not C-band SAR)."""
    lo, hi = float(band.min_nm), float(band.max_nm)
    if lo >= 1e6 or getattr(band, "polarization", None):
        if C_BAND_NM[0] <= (lo + hi) / 2 <= C_BAND_NM[1] and not getattr(band, "polarization", None):
            return tr("{0} is a C-band radar band: type its polarization (VV or VH) in the Name column.").format(
                _range_text(band))
        if not (C_BAND_NM[0] <= (lo + hi) / 2 <= C_BAND_NM[1]):
            return tr("{0} is a radar band outside C-band (e.g. L- or X-band): the model only knows C-band "
                      "(Sentinel-1), and reading it as C-band would mislead: untick it.").format(_range_text(band))
    if hi < OPTICAL[0] or lo > OPTICAL[1] or (lo < 1e6 and hi > OPTICAL[1]):
        return tr("{0} lies outside the model's spectrum (422-2376 nm optical, 8-15 µm thermal, C-band radar): "
                  "untick it, or tick '{1}' (Advanced) to use the nearest layer.").format(_range_text(band),
                                                                                         checkbox_name())
    from .bands_model import dialog_wording

    return dialog_wording(str(exc))
