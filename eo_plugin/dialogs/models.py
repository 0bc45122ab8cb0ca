"""Models offered in the dialog: the default model plus the published ones the registry finds."""
from __future__ import annotations

from ..i18n import tr

FILE_MODEL = "__file__"


def available_models() -> list[tuple[str, str]]:
    """(registry id, title) of the models to offer; 'default' always comes first."""
    out = [("default", tr("Default model (bundled)"))]
    try:
        from engine.model import registry
    except ImportError:
        return out
    try:
        default_id = registry.canonical_id("default")
        entries = registry.list_models()
    except Exception:  # noqa: BLE001 - a broken registry must not keep the dialog from opening
        return out
    for entry in entries:
        model_id = entry.get("id") if isinstance(entry, dict) else str(entry)
        if not model_id or model_id == default_id:
            continue
        # Only models present on this machine: the dialog never starts a download by itself.
        if isinstance(entry, dict) and not entry.get("path"):
            continue
        out.append((model_id, entry.get("title", model_id) if isinstance(entry, dict) else model_id))
    return out
