"""Processing algorithm: first three principal components of the embeddings as an RGB raster."""
from __future__ import annotations

from ..i18n import tr_noop
from .base import SmartiesAlgorithm


class PcaAlgorithm(SmartiesAlgorithm):
    """Writes PCA components 1-3 of the embeddings."""

    algorithm_id = "pca"
    product = "pca"
    title = tr_noop("PCA of embeddings (RGB)")
    output_name = tr_noop("PCA (components 1-3)")
