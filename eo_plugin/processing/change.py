"""Processing algorithm: change magnitude between the embeddings of two dates."""
from __future__ import annotations

from qgis.core import QgsProcessingParameterBoolean

from ..i18n import tr, tr_noop
from . import params
from .base import SmartiesAlgorithm


class ChangeAlgorithm(SmartiesAlgorithm):
    """Writes the cosine distance between the embeddings of two rasters (the second aligned onto the first)."""

    algorithm_id = "change"
    product = "change"
    title = tr_noop("Change between two rasters")
    output_name = tr_noop("Change magnitude")

    def add_product_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterBoolean(
            params.ALIGN, tr("Warp the second raster onto the first one's grid when they differ (else refuse)"),
            True))
