"""Processing algorithm: SMARTIES patch embeddings of a raster."""
from __future__ import annotations

from ..i18n import tr_noop
from .base import SmartiesAlgorithm


class EmbeddingsAlgorithm(SmartiesAlgorithm):
    """Writes the encoder's patch embeddings (one band per feature dimension)."""

    algorithm_id = "embeddings"
    product = "embeddings"
    title = tr_noop("Embeddings")
    output_name = tr_noop("Embeddings")
