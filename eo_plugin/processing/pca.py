"""Processing algorithm: first three principal components of the embeddings as an RGB raster."""
from __future__ import annotations

from qgis.core import QgsProcessingParameterDefinition

from ..i18n import tr, tr_noop
from . import params
from .base import SmartiesAlgorithm


class PcaAlgorithm(SmartiesAlgorithm):
    """Writes PCA components 1-3 of the embeddings."""

    algorithm_id = "pca"
    product = "pca"
    title = tr_noop("PCA of embeddings (RGB)")
    output_name = tr_noop("PCA (components 1-3)")

    def add_product_parameters(self) -> None:
        method = params.static_enum(params.COMPOSITE, tr("Composite (umap needs the optional package umap-learn)"),
                                    params.COMPOSITES, "pca")
        method.setFlags(method.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(method)
