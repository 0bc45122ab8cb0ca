"""Processing algorithm: clusters of the embeddings, k-means or HDBSCAN (unsupervised land-cover map)."""
from __future__ import annotations

from qgis.core import QgsProcessingParameterDefinition, QgsProcessingParameterNumber

from ..i18n import tr, tr_noop
from . import params
from .base import SmartiesAlgorithm


class ClustersAlgorithm(SmartiesAlgorithm):
    """Writes the cluster number of every token (k-means with K clusters, or HDBSCAN)."""

    algorithm_id = "clusters"
    product = "clusters"
    title = tr_noop("Clusters (k-means or HDBSCAN)")
    output_name = tr_noop("Clusters")

    def add_product_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterNumber(
            params.K, tr("Number of clusters (K)"), QgsProcessingParameterNumber.Integer, 8, False, 2, 254))
        self.addParameter(params.static_enum(params.CLUSTER_METHOD, tr("Method (hdbscan finds the number of "
                                                                       "clusters itself; K is then unused)"),
                                             params.CLUSTER_METHODS, "kmeans"))
        size = QgsProcessingParameterNumber(
            params.MIN_CLUSTER_SIZE, tr("HDBSCAN: smallest cluster, in sample tokens (0 = automatic)"),
            QgsProcessingParameterNumber.Integer, 0, False, 0)
        size.setFlags(size.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(size)
        seed = QgsProcessingParameterNumber(
            params.SEED, tr("Random seed"), QgsProcessingParameterNumber.Integer, 0, False, 0)
        seed.setFlags(seed.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(seed)
