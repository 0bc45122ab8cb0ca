"""Processing algorithm: change magnitude between the embeddings of two dates."""
from __future__ import annotations

from ..i18n import tr_noop
from .base import SmartiesAlgorithm


class ChangeAlgorithm(SmartiesAlgorithm):
    """Writes the cosine distance between the embeddings of two co-registered rasters."""

    algorithm_id = "change"
    product = "change"
    title = tr_noop("Change between two rasters")
    output_name = tr_noop("Change magnitude")
