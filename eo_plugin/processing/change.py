"""Processing algorithm: change magnitude between the embeddings of two dates."""
from __future__ import annotations

from .base import SmartiesAlgorithm


class ChangeAlgorithm(SmartiesAlgorithm):
    """Writes the cosine distance between the embeddings of two co-registered rasters."""

    algorithm_id = "change"
    product = "change"
    title = "Change between two rasters"
    output_name = "Change magnitude"
