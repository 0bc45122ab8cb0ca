"""Processing algorithm: k-means clusters of the embeddings (unsupervised land-cover map)."""
from __future__ import annotations

from qgis.core import QgsProcessingParameterDefinition, QgsProcessingParameterNumber

from . import params
from .base import SmartiesAlgorithm


class ClustersAlgorithm(SmartiesAlgorithm):
    """Writes the k-means cluster number of every token."""

    algorithm_id = "clusters"
    product = "clusters"
    title = "Clusters (k-means)"
    output_name = "Clusters"

    def add_product_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterNumber(
            params.K, "Number of clusters (K)", QgsProcessingParameterNumber.Integer, 8, False, 2, 256))
        seed = QgsProcessingParameterNumber(
            params.SEED, "Random seed", QgsProcessingParameterNumber.Integer, 0, False, 0)
        seed.setFlags(seed.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(seed)
