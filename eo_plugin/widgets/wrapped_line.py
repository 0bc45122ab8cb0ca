"""A word-wrapped label that asks for the height its text takes at its width."""
from __future__ import annotations

from qgis.PyQt.QtWidgets import QLabel


class WrappedLine(QLabel):
    """A word-wrapped label whose minimum height is its text's height at its width.

    Qt's minimum size of a dialog counts a wrapped label as one line; when the text takes more lines,
    the layout squeezes its neighbours below their minimum and widgets overlap or are cut. With its real
    height as minimum, the dialog's minimum size makes room instead. hide_empty: hidden while it has no
    text (a status line takes no room before there is something to say).
    """

    def __init__(self, parent=None, hide_empty: bool = False):
        super().__init__(parent)
        self.setWordWrap(True)
        self._hide_empty = hide_empty
        if hide_empty:
            self.setVisible(False)

    def _fit(self) -> None:
        need = self.heightForWidth(self.width()) if self.text() else 0
        if need >= 0 and need != self.minimumHeight():
            self.setMinimumHeight(need)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        super().setText(text)
        if self._hide_empty:
            self.setVisible(bool(text))
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit()
