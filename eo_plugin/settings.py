"""Persistence: last dialog settings in QgsSettings, band tables in the project keyed by layer id."""
from __future__ import annotations

import json
from typing import Any, Optional

from qgis.core import QgsProject, QgsSettings

SETTINGS_PREFIX = "smarties/last/"
PROJECT_SCOPE = "smarties"


def save_last(values: dict[str, Any]) -> None:
    """Remember the dialog's last choices (product, model, tiling...) for the next session."""
    s = QgsSettings()
    for key, value in values.items():
        s.setValue(SETTINGS_PREFIX + key, json.dumps(value))


def load_last() -> dict[str, Any]:
    """The values saved by save_last; unreadable entries are skipped."""
    s = QgsSettings()
    out: dict[str, Any] = {}
    s.beginGroup(SETTINGS_PREFIX.rstrip("/"))
    keys = s.childKeys()
    s.endGroup()
    for key in keys:
        raw = s.value(SETTINGS_PREFIX + key)
        try:
            out[key] = json.loads(raw)
        except (TypeError, ValueError):
            continue
    return out


def _band_key(layer_id: str) -> str:
    # Layer ids contain characters that are fine in XML attribute values but not in entry paths.
    safe = "".join(c if c.isalnum() or c == "_" else "_" for c in layer_id)
    return f"band_tables/{safe}"


def save_band_table(layer_id: str, rows: list[dict], project: Optional[QgsProject] = None) -> None:
    """Store a layer's band table (list of row dicts) in the project file."""
    project = project or QgsProject.instance()
    project.writeEntry(PROJECT_SCOPE, _band_key(layer_id), json.dumps(rows))
    project.setDirty(True)


def load_band_table(layer_id: str, project: Optional[QgsProject] = None) -> Optional[list[dict]]:
    """The band table stored for a layer in the project, or None when there is none."""
    project = project or QgsProject.instance()
    text, ok = project.readEntry(PROJECT_SCOPE, _band_key(layer_id), "")
    if not ok or not text:
        return None
    try:
        rows = json.loads(text)
    except ValueError:
        return None
    return rows if isinstance(rows, list) else None
