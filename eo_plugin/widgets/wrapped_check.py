"""A checkbox whose long text wraps: an empty box with a wrapped label beside it that toggles it."""
from __future__ import annotations

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QCheckBox, QHBoxLayout

from .wrapped_line import WrappedLine


class CheckLabel(WrappedLine):
    """The wrapped text of a checkbox that has none of its own: a click on it clicks the box.

    A QCheckBox never wraps its text, so a long one (or a long translation) is cut in a narrow column.
    The box keeps the text as its accessible name and tooltip; what the box does is unchanged.
    """

    def __init__(self, text: str, box: QCheckBox, parent=None):
        super().__init__(parent)
        self.box = box
        self.setText(text)
        box.setAccessibleName(text)
        self.setCursor(Qt.PointingHandCursor)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.LeftButton and self.box.isEnabled() and self.rect().contains(event.pos()):
            self.box.click()  # toggled and clicked, as a click on the box's own text
        super().mouseReleaseEvent(event)


def wrapped_check(text: str) -> tuple[QCheckBox, CheckLabel, QHBoxLayout]:
    """(box, its wrapped label, a row with both): add the row where the checkbox would go."""
    box = QCheckBox()
    label = CheckLabel(text, box)
    row = QHBoxLayout()
    row.setSpacing(4)
    row.addWidget(box, 0, Qt.AlignTop)
    row.addWidget(label, 1)
    return box, label, row
