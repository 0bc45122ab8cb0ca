"""Processing algorithm: k-means clusters of the embeddings (unsupervised land-cover map)."""
from __future__ import annotations

from qgis.core import QgsProcessingParameterDefinition, QgsProcessingParameterNumber

from ..i18n import tr, tr_noop
from . import params
from .base import SmartiesAlgorithm


class ClustersAlgorithm(SmartiesAlgorithm):
    """Writes the k-means cluster number of every token."""

    algorithm_id = "clusters"
    product = "clusters"
    title = tr_noop("Clusters (k-means)")
    output_name = tr_noop("Clusters")

    def add_product_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterNumber(
            params.K, tr("Number of clusters (K)"), QgsProcessingParameterNumber.Integer, 8, False, 2, 256))
        seed = QgsProcessingParameterNumber(
            params.SEED, tr("Random seed"), QgsProcessingParameterNumber.Integer, 0, False, 0)
        seed.setFlags(seed.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(seed)
