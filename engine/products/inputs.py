"""From a job's raster input to the bands the model reads: identification, skips, layer decisions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..errors import BandError, RasterError
from ..jobs import JobSpec, RasterInput
from ..raster.io import RasterSource

SKIP = "skip"


@dataclass
class InputBands:
    """Which bands of an input are read, and the layer decision of each."""

    band_indices: list[int]  # 0-based band numbers in the (stacked) raster
    decisions: list  # engine.spectral.LayerDecision, one per read band
    identities: list = field(default_factory=list)  # engine.bands.BandIdentity when identified
    notes: list[str] = field(default_factory=list)  # skipped bands and why


def _spectral():
    from .. import spectral  # imported late: only jobs that run need it

    return spectral


def resolve_input_bands(inp: RasterInput, job: JobSpec, probe: Optional[RasterSource] = None) -> InputBands:
    """Layer decisions for every band of `inp` (user band list, or identification from the file)."""
    spectral = _spectral()
    own = probe is None
    probe = probe or RasterSource(inp.paths)
    try:
        count, label = probe.total_bands, probe.label
    finally:
        if own:
            probe.close()
    if inp.bands is not None:
        entries = [str(b).strip() for b in inp.bands]
        if len(entries) != count:
            raise BandError(f"{label} has {count} bands but the band list has {len(entries)} entries "
                            f"({', '.join(entries)}). Give one entry per band, using 'skip' for bands "
                            "to leave out.")
        used = [i for i, e in enumerate(entries) if e.lower() != SKIP]
        if not used:
            raise BandError(f"Every band of {label} is marked 'skip'; keep at least one band.")
        specs = []
        for i in used:
            e = entries[i]
            if inp.sensor and ":" not in e and not any(ch.isdigit() for ch in e.split("-")[0][:1]):
                # a bare band name with a sensor preset ("B04" + sentinel2_l2a) -> preset band
                try:
                    specs.append(spectral.parse_band(f"{inp.sensor}:{e}"))
                    continue
                except (ValueError, KeyError):
                    pass
            try:
                specs.append(spectral.parse_band(e))
            except ValueError as exc:
                raise BandError(f"Band {i + 1} of {label}: {exc}") from None
        decisions = spectral.resolve_bands(specs, rule=job.interpolation, extrapolate=job.extrapolate)
        notes = [f"band {i + 1} skipped (marked 'skip')" for i, e in enumerate(entries) if e.lower() == SKIP]
        return InputBands(used, list(decisions), [], notes)

    from ..bands import identify_bands

    identities = identify_bands(inp.paths, sensor=inp.sensor)
    unknown = [b for b in identities if b.band is None]
    if unknown:
        names = ", ".join(f"{b.number}" + (f" ('{b.description}')" if b.description else "") for b in unknown)
        raise BandError(f"Cannot tell the wavelength of band(s) {names} of {label}. Give the sensor "
                        "(--sensor, e.g. sentinel2_l2a) or the band list (--bands \"B02,B03,...\"; "
                        "'skip' leaves a band out).")
    used, decisions, notes = [], [], []
    for b in identities:
        # Bands the model has no layer for (e.g. Sentinel-2 B10 cirrus) are left out, not fatal,
        # when they were identified automatically; the report says so.
        try:
            d = spectral.resolve_band(b.band, rule=job.interpolation, extrapolate=job.extrapolate)
        except ValueError as exc:
            notes.append(f"band {b.number} ({b.band.name}) left out: {exc}")
            continue
        if getattr(d, "kind", "") == "unsupported" or not getattr(d, "mix", ()):
            notes.append(f"band {b.number} ({b.band.name}) left out: {getattr(d, 'explanation', 'no layer')}")
            continue
        used.append(b.number - 1)
        decisions.append(d)
    if not decisions:
        raise BandError(f"None of the bands of {label} has a usable projection layer "
                        f"({'; '.join(notes)}). Give the bands explicitly with --bands.")
    return InputBands(used, decisions, identities, notes)


def band_table(bands: InputBands, source: RasterSource) -> list[dict]:
    """JSON-ready rows: band number, description, name, wavelength range, layer decision."""
    rows = []
    for i, d in zip(bands.band_indices, bands.decisions):
        spec = getattr(d, "band", None)
        rows.append({
            "band": i + 1,
            "description": source.descriptions[source.band_indices.index(i)] if i in source.band_indices else "",
            "name": getattr(spec, "name", str(spec)),
            "min_nm": getattr(spec, "min_nm", None),
            "max_nm": getattr(spec, "max_nm", None),
            "sensor": getattr(spec, "sensor", None),
            "kind": getattr(d, "kind", None),
            "layer_index": getattr(d, "layer_index", None),
            "mix": [list(m) for m in getattr(d, "mix", ())],
            "explanation": getattr(d, "explanation", ""),
            "units": _units(source, i),
        })
    return rows


def _units(source: RasterSource, band_index: int) -> str:
    """The unit conversion of a read band ('' when its values are used as they are)."""
    conversions = getattr(source, "conversions", None)
    if conversions and band_index in source.band_indices:
        return conversions[source.band_indices.index(band_index)]
    return ""


def open_input(job: JobSpec, index: int) -> tuple[RasterSource, InputBands]:
    """The RasterSource (extent, resolution, used bands) and band decisions of job.inputs[index]."""
    if not 0 <= index < len(job.inputs):
        raise RasterError(f"The job has no input number {index + 1}.")
    inp = job.inputs[index]
    probe = RasterSource(inp.paths)
    try:
        bands = resolve_input_bands(inp, job, probe)
    finally:
        probe.close()
    source = RasterSource(inp.paths, bands.band_indices, extent=job.extent, extent_crs=job.extent_crs,
                          resolution=job.resolution)
    try:
        from ..raster.units import apply_units

        bands.notes.extend(apply_units(source, bands.decisions))
        if not source.has_georef or not source.crs_wkt:
            missing = "georeference and coordinate system" if not source.has_georef else "coordinate system"
            bands.notes.append(f"{source.label} has no {missing}: the outputs are in its pixel coordinates "
                               "(column, -row) with no coordinate system, not placed anywhere on Earth")
    except BaseException:
        source.close()
        raise
    return source, bands
