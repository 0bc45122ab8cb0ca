"""Model cards without torch: the card a model id or weights file comes with, and what it says
about preprocessing (normalisation statistics, model scale, band mapping, fusion).

A registered model's shipped card (``resources/models/<id>.json``) is the base; a card next to the
weights file (same stem, ``.json``) overrides its keys. The published SMARTIES cards are written by
``scripts/make_reference_cards.py`` from the reference's own configuration files.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from ..errors import CheckpointError

NATIVE = 1.0


def read_card_file(path: Path) -> dict:
    """A model card file as a dict ({} when there is none); a damaged card is an error naming it."""
    if not path.is_file():
        return {}
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"model card {path} is not valid JSON ({exc}); fix or delete it") from exc
    if not isinstance(card, dict):
        raise CheckpointError(f"model card {path} must hold a JSON object")
    return card


def shipped_card(model_id: Optional[str]) -> dict:
    """The card shipped in resources/models for a registered id (or {})."""
    from .registry import RESOURCES, canonical_id

    cid = canonical_id(model_id) if model_id else None
    return read_card_file(RESOURCES / f"{cid}.json") if cid else {}


def merged_card(model_id: Optional[str], weights: Optional[Path]) -> dict:
    """Shipped card of `model_id` updated by the card next to `weights` (either may be missing)."""
    card = dict(shipped_card(model_id))
    if weights is not None:
        card.update(read_card_file(Path(weights).with_suffix(".json")))
    return card


def card_for(model: str) -> dict:
    """The card of a model id, alias or weights path, read without loading weights (or {})."""
    from .registry import canonical_id, locate

    path = locate(model)
    return merged_card(canonical_id(model), path)


def scale_for(card: Optional[dict], sensor: Optional[str]) -> float:
    """The model scale (upsampling factor) the card asks for this sensor; 1.0 when it says nothing."""
    spec = (card or {}).get("scale")
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        return float(spec)
    if not isinstance(spec, dict):
        return NATIVE
    sensors = spec.get("sensors") or {}
    value = sensors.get(sensor) if sensor else None
    if value is None:
        value = spec.get("default", NATIVE)
    return float(value)
