"""Map tools: pick similarity reference points on the canvas."""
from __future__ import annotations

from qgis.core import QgsPointXY, QgsWkbTypes
from qgis.gui import QgsMapToolEmitPoint, QgsRubberBand
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor


class PointPickerTool(QgsMapToolEmitPoint):
    """Each left click adds a reference point (canvas CRS) and marks it; right click finishes."""

    pointsChanged = pyqtSignal(list)
    finished = pyqtSignal()

    def __init__(self, canvas):
        super().__init__(canvas)
        self._canvas = canvas
        self.points: list[QgsPointXY] = []
        self._markers = QgsRubberBand(canvas, QgsWkbTypes.PointGeometry)
        self._markers.setColor(QColor(230, 30, 30))
        self._markers.setIconSize(10)
        self._markers.setWidth(3)

    def canvasReleaseEvent(self, event):  # noqa: N802 (Qt override)
        if event.button() == Qt.RightButton:
            self.finished.emit()
            return
        self.add_point(self.toMapCoordinates(event.pos()))

    def add_point(self, point: QgsPointXY) -> None:
        """Add a point in canvas CRS (also used by tests)."""
        self.points.append(QgsPointXY(point))
        self._markers.addPoint(QgsPointXY(point), True)
        self.pointsChanged.emit(list(self.points))

    def clear(self) -> None:
        """Forget all points and remove their markers."""
        self.points = []
        self._markers.reset(QgsWkbTypes.PointGeometry)
        self.pointsChanged.emit([])

    def crs(self):
        """CRS of the picked points (the canvas CRS)."""
        return self._canvas.mapSettings().destinationCrs()

    def remove_markers(self) -> None:
        """Delete the rubber band from the canvas (called on unload)."""
        self._markers.reset(QgsWkbTypes.PointGeometry)
        scene = self._canvas.scene()
        if scene is not None:
            scene.removeItem(self._markers)
