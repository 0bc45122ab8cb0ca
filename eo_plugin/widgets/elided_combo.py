"""A combo box that shows its current item elided when it is narrower than the item, whole in its tooltip."""
from __future__ import annotations

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter


class ElidedComboBox(QComboBox):
    """A QComboBox whose current item, when wider than the box, ends in "…" instead of being cut.

    The tooltip then starts with the whole item (followed by the tooltip set with setToolTip, if any);
    the popup list shows the items whole as before. Nothing else changes.
    """

    def __init__(self, parent=None, min_chars: int = 0):
        """`min_chars` > 0: size the box from that many characters instead of its longest item, so a
        long item never widens the column it sits in (it shows elided, whole in the tooltip)."""
        super().__init__(parent)
        self._tip = ""
        if min_chars > 0:
            self.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            self.setMinimumContentsLength(min_chars)
        self.currentTextChanged.connect(lambda *_: self._refresh_tip())

    def _label_option(self) -> QStyleOptionComboBox:
        """The style option of the box with its current text elided to the room the style gives it."""
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        rect = self.style().subControlRect(QStyle.CC_ComboBox, opt, QStyle.SC_ComboBoxEditField, self)
        room = rect.width() - 2  # the style draws the text 1 px in from each side
        if not opt.currentIcon.isNull():
            room -= opt.iconSize.width() + 4
        opt.currentText = self.fontMetrics().elidedText(opt.currentText, Qt.ElideRight, max(0, room))
        return opt

    def is_elided(self) -> bool:
        return bool(self.currentText()) and self._label_option().currentText != self.currentText()

    def setToolTip(self, text: str) -> None:  # noqa: N802 (Qt override)
        self._tip = text or ""
        self._refresh_tip()

    def _refresh_tip(self) -> None:
        tip = self._tip
        if self.is_elided():
            tip = f"{self.currentText()}\n\n{tip}" if tip else self.currentText()
        if tip != super().toolTip():
            super().setToolTip(tip)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._refresh_tip()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.isEditable():
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        opt = self._label_option()
        painter.drawComplexControl(QStyle.CC_ComboBox, opt)
        painter.drawControl(QStyle.CE_ComboBoxLabel, opt)
