"""Processing algorithm: cosine similarity of every token to reference points or polygons."""
from __future__ import annotations

from qgis.core import QgsProcessing, QgsProcessingException, QgsProcessingParameterFeatureSource, QgsProcessingParameterPoint

from ..i18n import tr, tr_noop
from . import params
from .base import SmartiesAlgorithm


class SimilarityAlgorithm(SmartiesAlgorithm):
    """Writes the similarity to the mean embedding under a reference layer or point."""

    algorithm_id = "similarity"
    product = "similarity"
    title = tr_noop("Similarity to a reference")
    output_name = tr_noop("Similarity")

    def add_product_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource(
            params.REFERENCE_LAYER, tr("Reference points or polygons"),
            [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterPoint(
            params.REFERENCE_POINT, tr("Reference point (when no reference layer)"), optional=True))
        self.addParameter(params.static_enum(
            params.SIMILARITY_MODE, tr("Several references: mean (one reference) or max (best match of each place)"),
            params.SIMILARITY_MODES, "mean"))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        layer = parameters.get(params.REFERENCE_LAYER)
        point = parameters.get(params.REFERENCE_POINT)
        if layer in (None, "") and point in (None, ""):
            return False, tr("Give a reference: a point/polygon layer or a point on the map.")
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        if parameters.get(params.REFERENCE_LAYER) in (None, "") and parameters.get(params.REFERENCE_POINT) in (None, ""):
            raise QgsProcessingException(tr("Give a reference: a point/polygon layer or a point on the map."))
        return super().processAlgorithm(parameters, context, feedback)
