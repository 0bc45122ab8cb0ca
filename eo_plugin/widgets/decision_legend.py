"""Colour legend of the band table's decision column (what green, amber and red mean)."""
from __future__ import annotations

from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from ..i18n import tr, tr_noop

# (decision kind, legend text); colours come from band_table.DECISION_COLOURS
LEGEND = (
    ("trained", tr_noop("trained")),
    ("interpolated", tr_noop("interpolated")),
    ("nearest", tr_noop("nearest")),
    ("unsupported", tr_noop("no layer: untick")),
    ("excluded", tr_noop("not used")),
)
TOOLTIPS = {
    "trained": tr_noop("The band matches one of the model's 17 trained spectral layers."),
    "interpolated": tr_noop("The band lies between two trained layers: their weights are mixed."),
    "nearest": tr_noop("The band takes the nearest trained layer alone."),
    "unsupported": tr_noop("The model has no layer for this band: untick it."),
    "excluded": tr_noop("The band is unticked and not given to the model."),
}


class DecisionLegend(QWidget):
    """One line of coloured swatches with what each colour of the decision column means."""

    def __init__(self, colours: dict, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(tr("Colours:")))
        self.labels = {}
        for kind, text in LEGEND:
            swatch = QLabel()
            swatch.setFixedSize(14, 14)
            swatch.setStyleSheet(f"QLabel {{ background: {colours.get(kind, '#ffffff')}; border: 1px solid #888; }}")
            label = QLabel(tr(text))
            label.setToolTip(tr(TOOLTIPS[kind]))
            swatch.setToolTip(tr(TOOLTIPS[kind]))
            row.addWidget(swatch)
            row.addWidget(label)
            row.addSpacing(6)
            self.labels[kind] = label
        row.addStretch(1)
        # One line of its own height: the layout never gives it less (the table above shrinks first).
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())
