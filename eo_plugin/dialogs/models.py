"""Models offered in the dialog: the bundled model (trained on synthetic scenes only) and the published
SMARTIES models, listed even when not downloaded, with how to get them."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Optional

from ..i18n import tr

FILE_MODEL = "__file__"


@dataclass
class ModelChoice:
    """One entry of the model combo."""

    model_id: str
    title: str  # shown in the combo
    path: Optional[str] = None  # local file, None when not on this computer
    url: Optional[str] = None  # where a published model comes from
    filename: str = ""
    synthetic_only: bool = False  # the default model's card says: synthetic scenes only

    @property
    def available(self) -> bool:
        """True when the weights are on this computer."""
        return bool(self.path)


def _registry():
    try:
        from engine.model import registry
    except ImportError:
        return None
    return registry


def default_is_synthetic_only() -> bool:
    """True when the bundled model's card says it saw synthetic scenes only (the card decides, not us)."""
    registry = _registry()
    try:
        path = registry.locate("default") if registry is not None else None
        card = os.path.splitext(str(path))[0] + ".json" if path else ""
        with open(card, encoding="utf-8") as fh:
            data = str((json.load(fh).get("training") or {}).get("data", "")).lower()
    except (OSError, ValueError, AttributeError, TypeError):
        return True  # no card: say the cautious thing
    return "synthetic" in data and "real" not in data


def model_choices() -> list[ModelChoice]:
    """The default model first, then every registered or installed model (downloaded or not)."""
    synthetic = default_is_synthetic_only()
    default = ModelChoice("default", tr("Default model (bundled; trained on synthetic scenes only)") if synthetic
                          else tr("Default model (bundled, small; for trying the workflow)"), path="bundled", synthetic_only=synthetic)
    registry = _registry()
    if registry is None:
        return [default]
    try:
        default_id = registry.canonical_id("default")
        entries = registry.list_models()
    except Exception:  # noqa: BLE001 - a broken registry must not keep the dialog from opening
        return [default]
    out = [default]
    for entry in entries:
        model_id = entry.get("id") if isinstance(entry, dict) else str(entry)
        if not model_id:
            continue
        if model_id == default_id:
            default.path = entry.get("path") or None
            continue
        title = entry.get("title", model_id) or model_id
        path = entry.get("path") or None
        if not path:
            title = tr("{0} - not downloaded").format(title)
        out.append(ModelChoice(model_id, title, path, entry.get("url"), entry.get("filename") or ""))
    return out


def available_models() -> list[tuple[str, str]]:
    """(registry id, title) of every model the combo lists (kept for callers of the old API)."""
    return [(c.model_id, c.title) for c in model_choices()]


def can_download() -> bool:
    """True when a published model can be fetched from here (huggingface_hub present, not offline)."""
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    try:
        import importlib.util

        return importlib.util.find_spec("huggingface_hub") is not None
    except (ImportError, ValueError):
        return False


def user_model_folder() -> str:
    """Where `python -m engine models install` and manual copies put model files."""
    registry = _registry()
    try:
        return str(registry.user_model_dir()) if registry is not None else ""
    except Exception:  # noqa: BLE001
        return ""


def model_note(choice: Optional[ModelChoice]) -> str:
    """What the user should know about the chosen model (shown under the combo)."""
    if choice is None:
        return ""
    if choice.model_id == "default":
        if getattr(choice, "synthetic_only", True):
            return tr("Trained on synthetic scenes only: for trying the workflow. For real work use a published "
                      "SMARTIES model.")
        return tr("A small model trained here, mostly on synthetic scenes plus a few real images: on real imagery "
                  "it is about level with raw bands (see its model card). For trying the workflow; for real work "
                  "use a published SMARTIES model.")
    if choice.available:
        return tr("Published SMARTIES weights, on this computer: {0}").format(choice.path)
    text = tr("Not on this computer. Download {0} from {1} and put it in {2} (or run: python -m engine models "
              "install FILE).").format(choice.filename or choice.model_id, choice.url or "?", user_model_folder())
    if can_download():
        text += " " + tr("Or click Download.")
    return text


def download_model(model_id: str) -> str:
    """Fetch a published model into the Hugging Face cache (blocking; run it in a task); returns the path."""
    registry = _registry()
    if registry is None:
        raise RuntimeError(tr("The engine is not available, so the model cannot be downloaded."))
    return str(registry.resolve_model(model_id, download=True))
