"""Dialog settings for fidelity to the published weights: a second sensor to fuse, fusion, model
scale and normalisation statistics (one self-contained widget for the Advanced box)."""
from __future__ import annotations

from typing import Optional

from qgis.core import QgsMapLayerProxyModel
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import QFormLayout, QLabel, QWidget

from ..i18n import tr
from .elided_combo import ElidedComboBox


class FidelityBox(QWidget):
    """Second-sensor layer + fusion, model scale (with its cost) and normalisation statistics."""

    def __init__(self, parent=None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.second_sensor_combo = QgsMapLayerComboBox()
        self.second_sensor_combo.setFilters(QgsMapLayerProxyModel.RasterLayer)
        self.second_sensor_combo.setAllowEmptyLayer(True)
        self.second_sensor_combo.setLayer(None)
        self.second_sensor_combo.setToolTip(tr("A raster of another sensor on the same grid (e.g. Sentinel-1 with "
                                               "Sentinel-2): the model runs once per sensor and the features are "
                                               "fused, as the reference does"))
        form.addRow(tr("Fuse a second sensor"), self.second_sensor_combo)
        self.fusion_combo = ElidedComboBox(min_chars=12)  # elided (whole in its tooltip) in the column
        self.fusion_combo.addItem(tr("concatenate features (as the reference)"), "concat")
        self.fusion_combo.addItem(tr("average features"), "mean")
        self.fusion_combo.addItem(tr("stack all bands in one pass"), "stack")
        form.addRow(tr("Fusion"), self.fusion_combo)
        self.scale_combo = ElidedComboBox(min_chars=12)  # elided (whole in its tooltip) in the column
        self.scale_combo.addItem(tr("as the model expects"), "auto")
        self.scale_combo.addItem(tr("native (x1, fastest)"), "native")
        self.scale_label = QLabel()
        self.scale_label.setWordWrap(True)
        form.addRow(tr("Model scale"), self.scale_combo)
        form.addRow(self.scale_label)
        self.normalization_combo = ElidedComboBox(min_chars=12)  # elided (whole in its tooltip) in the column
        self.normalization_combo.addItem(tr("model card's statistics where it has them"), "auto")
        self.normalization_combo.addItem(tr("computed from this raster"), "raster")
        form.addRow(tr("Normalisation statistics"), self.normalization_combo)
        self.statistics_label = QLabel()
        self.statistics_label.setWordWrap(True)
        form.addRow(self.statistics_label)
        self.normalization_combo.currentIndexChanged.connect(self._update_statistics_text)
        self._model = "default"
        self._sensor: Optional[str] = None
        self.scale_combo.currentIndexChanged.connect(self._update_scale_text)
        self._update_scale_text()
        self._update_statistics_text()

    def set_model(self, model: str, sensor: Optional[str] = None) -> None:
        """Show the scale the model's card asks for (model id or weights path, sensor preset)."""
        self._model, self._sensor = model or "default", sensor
        self._update_scale_text()
        self._update_statistics_text()

    def scale_factor(self) -> float:
        """The model scale a run with the current settings uses."""
        if self.scale_combo.currentData() == "native":
            return 1.0
        try:
            from engine.model.cards import card_for, scale_for

            return scale_for(card_for(self._model), self._sensor)
        except Exception:  # noqa: BLE001 - an unreadable card must not break the dialog
            return 1.0

    def _update_scale_text(self, *_):
        self.scale_label.setText(scale_text(self.scale_factor()))

    def statistics_text(self) -> str:
        """Which statistics a run normalises with: the card's official ones, or this raster's."""
        if self.normalization_combo.currentData() == "raster" or not self._sensor:
            return tr("statistics computed from this raster")
        try:
            from engine.model.cards import card_for

            card = card_for(self._model)
        except Exception:  # noqa: BLE001 - an unreadable card must not break the dialog
            card = {}
        if self._sensor in (card.get("normalization") or {}):
            prov = (card.get("normalization_provenance") or {}).get(self._sensor) or {}
            return prov.get("text") or tr("the model card's statistics for {0}").format(self._sensor)
        return tr("statistics computed from this raster (the model card has none for {0})").format(self._sensor)

    def _update_statistics_text(self, *_):
        self.statistics_label.setText(self.statistics_text())

    def apply(self, job, second_path: Optional[str]) -> None:
        """Set the job's scale, normalisation and fusion; add the second sensor's raster when chosen."""
        from engine.jobs import RasterInput

        job.scale = self.scale_combo.currentData()
        job.normalization = self.normalization_combo.currentData()
        job.fusion = self.fusion_combo.currentData()
        if second_path and job.product != "change":
            job.inputs.append(RasterInput(paths=[second_path]))


def scale_text(factor: float) -> str:
    """engine.inference.scale.describe(), in the user's language."""
    from engine.inference.scale import compute_factor

    if abs(factor - 1.0) < 1e-9:
        return tr("model scale: native (x1)")
    return tr("model scale: x{0}, about {1}x the compute").format(f"{factor:.3g}", f"{compute_factor(factor):.2g}")
