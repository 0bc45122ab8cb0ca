"""Processing algorithm: SMARTIES patch embeddings of a raster."""
from __future__ import annotations

from .base import SmartiesAlgorithm


class EmbeddingsAlgorithm(SmartiesAlgorithm):
    """Writes the encoder's patch embeddings (one band per feature dimension)."""

    algorithm_id = "embeddings"
    product = "embeddings"
    title = "Embeddings"
    output_name = "Embeddings"
