"""Processing algorithm: identify a raster's bands and show which model layer each one uses."""
from __future__ import annotations

import json

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFileDestination,
)

from ..i18n import tr, tr_noop
from . import params
from .base import SmartiesAlgorithm
from .reports import html_page, write_text

TABLE = "TABLE"
DECISIONS = "DECISIONS"


def band_rows(raster_input, extrapolate: bool = False) -> tuple[list[dict], list]:
    """One row per file band (identity + model decision) and the decisions of the used bands.

    Follows the engine's rules for a job (engine.products.inputs): a Bands list overrides the file,
    bare names are looked up in the chosen sensor preset; but unlike a job it does not stop at the
    first unidentified band, so the table shows every problem at once.
    """
    from engine.bands import identify_bands
    from engine.spectral import resolve_band

    if raster_input.bands is not None:
        entries = [_with_sensor(e, raster_input.sensor) for e in raster_input.bands]
        identities = identify_bands(raster_input.paths, None, bands=entries)
    else:
        identities = identify_bands(raster_input.paths, raster_input.sensor)
    rows, decisions = [], []
    for identity in identities:
        row = {"band": identity.number, "description": identity.description, "source": identity.source,
               "confidence": identity.confidence}
        if identity.band is None:
            skipped = identity.source == "user"  # the user's 'skip'
            row.update({"identified as": "skip" if skipped else "?", "layer": "",
                        "decision": "skipped" if skipped else "unidentified",
                        "explanation": identity.note or "Nothing identifies this band: give it in the Bands list."})
            rows.append(row)
            continue
        spec = identity.band
        row["identified as"] = f"{spec.name} ({spec.min_nm:g}-{spec.max_nm:g} nm)"
        try:
            decision = resolve_band(spec, "reference", extrapolate=extrapolate)  # as jobs map bands by default
        except ValueError as err:  # BandError: keep going so the table shows every problem at once
            row.update({"layer": "", "decision": "error", "explanation": str(err)})
            rows.append(row)
            continue
        row.update({"layer": "" if decision.layer_index is None else decision.layer_index,
                    "decision": decision.kind, "explanation": decision.explanation})
        rows.append(row)
        if decision.kind != "unsupported" and decision.mix:
            decisions.append(decision)
    return rows, decisions


def _with_sensor(entry: str, sensor) -> str:
    """'B04' + preset 'sentinel2_l2a' -> 'sentinel2_l2a:B04' when the preset has it (the engine's rule)."""
    text = str(entry).strip()
    if not sensor or ":" in text or text.lower() == "skip" or text[:1].isdigit():
        return text
    try:
        from engine.spectral import parse_band

        parse_band(f"{sensor}:{text}")
    except (ValueError, KeyError):
        return text
    return f"{sensor}:{text}"


def decisions_json(decisions) -> str:
    """The engine's JSON of the decisions (or a plain fallback)."""
    try:
        from engine.spectral import decisions_to_json

        data = decisions_to_json(decisions)
        return data if isinstance(data, str) else json.dumps(data, indent=1)
    except ImportError:
        return json.dumps([{"band": d.band.name, "kind": d.kind, "layer": d.layer_index,
                            "mix": [list(m) for m in d.mix], "explanation": d.explanation} for d in decisions],
                          indent=1)


class InspectBandsAlgorithm(SmartiesAlgorithm):
    """Band identities and per-band model decisions as HTML, text and JSON."""

    algorithm_id = "inspect_bands"
    product = ""
    title = tr_noop("Inspect bands")
    needs_model = False

    def initAlgorithm(self, config=None):  # noqa: N802
        params.add_raster_inputs(self)
        extrapolate = QgsProcessingParameterBoolean(
            params.EXTRAPOLATE, tr("Allow bands outside the model's spectrum (nearest layer)"), False)
        self.addParameter(params.advanced(extrapolate))
        self.addParameter(QgsProcessingParameterFileDestination(
            params.OUTPUT, tr("Band table"), tr("HTML files (*.html)")))
        self.addOutput(QgsProcessingOutputString(TABLE, tr("Band table (text)")))
        self.addOutput(QgsProcessingOutputString(DECISIONS, tr("Decisions (JSON)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from engine.errors import EngineError

        sensor = self.parameterAsEnumString(parameters, params.SENSOR, context)
        bands_text = self.parameterAsString(parameters, params.BANDS, context)
        extra = [params.raster_path(lyr, tr("the extra band file '{0}'").format(lyr.name()))
                 for lyr in self.parameterAsLayerList(parameters, params.INPUT_EXTRA, context)]
        raster_input, layer = params.raster_input(
            self, parameters, context, params.INPUT, bands_text, None if sensor == params.DETECT else sensor, extra)
        extrapolate = self.parameterAsBool(parameters, params.EXTRAPOLATE, context)
        try:
            rows, decisions = band_rows(raster_input, extrapolate)
            table = _decision_table(decisions) if decisions else ""
        except EngineError as err:
            raise QgsProcessingException(str(err)) from err
        text = _rows_text(rows) + ("\n\n" + table if table else "")
        feedback.pushInfo(text)
        path = self.parameterAsFileOutput(parameters, params.OUTPUT, context)
        sections = [(tr("Bands of {0}").format(", ".join(raster_input.paths)), rows)]
        if table:
            sections.append((tr("Model decisions"), table))
        write_text(path, html_page(tr("SMARTIES bands: {0}").format(layer.name()), sections))
        return {params.OUTPUT: path, TABLE: text, DECISIONS: decisions_json(decisions)}


def _decision_table(decisions) -> str:
    from engine.spectral import decision_table

    return decision_table(decisions)


def _rows_text(rows: list[dict]) -> str:
    columns = ["band", "description", "identified as", "layer", "decision", "explanation"]
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) if rows else len(c) for c in columns}
    widths["explanation"] = len("explanation")  # last column: no padding
    lines = ["  ".join(c.ljust(widths[c]) for c in columns)]
    lines += ["  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns) for r in rows]
    return "\n".join(line.rstrip() for line in lines)
