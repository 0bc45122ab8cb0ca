"""The dates list of a time-series run: raster layers of one place, each with its date and band table.

Self-contained: the main dialog shows it as the options of the "Time series" product, gives it the
dialog's input layer as the first date (its grid is the reference, its band table the dialog's),
and asks it for problems and for the engine inputs. Other dates are added from the project's raster
layers; their date is read from the file (metadata or name) and stays editable, their bands are
the layer's saved band table (the dialog's, when edited there), else identified from the file.
"""
from __future__ import annotations

import os
from typing import Optional

from qgis.core import QgsMapLayerProxyModel, QgsProject
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (QAbstractItemView, QCheckBox, QFormLayout, QHBoxLayout, QHeaderView,
                                 QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
                                 QWidget)

from ..i18n import tr, tr_noop
from .elided_combo import ElidedComboBox
from .wrapped_check import wrapped_check

COL_LAYER, COL_DATE, COL_SENSOR, COL_BANDS = range(4)
POOLINGS = (("seasons", tr_noop("seasons (mean per season, side by side)")), ("mean", tr_noop("mean of the dates")),
            ("concat", tr_noop("every date, in date order")),
            ("concat_unit", tr_noop("every date at unit length, in date order (dates weigh the same)")),
            ("fusion", tr_noop("SeaMo fusion (models trained with it)")))


def layer_path(layer) -> Optional[str]:
    """The local file of a GDAL raster layer, else None."""
    if layer is None or layer.providerType() != "gdal":
        return None
    path = layer.source().split("|")[0]
    return path if os.path.isfile(path) else None


def file_date(path: Optional[str]) -> str:
    """The date engine.series reads from a file's metadata or name ('' when there is none)."""
    if not path:
        return ""
    try:
        from engine.series import read_date

        d = read_date(path)
    except Exception:  # noqa: BLE001 - a date we cannot read is typed by the user
        return ""
    return d.iso if d is not None else ""


class DatesListWidget(QWidget):
    """Table of dates (layer, date, sensor, bands) plus pooling and extra outputs."""

    changed = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._first_id: Optional[str] = None
        self._first_bands: Optional[list[str]] = None
        self._first_sensor: Optional[str] = None
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        # Short headers (they fit the narrow column in French too), each whole with its hint in its tooltip.
        self.table.setHorizontalHeaderLabels([tr("Layer"), tr("Date"), tr("Sensor"), tr("Bands")])
        for col, tip in enumerate((tr("Layer"), tr("Date (YYYY-MM-DD)"), tr("Sensor"), tr("Bands (empty: identify)"))):
            self.table.horizontalHeaderItem(col).setToolTip(tip)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        # The date whole (YYYY-MM-DD): the column an analyst reads and edits most; the others share the rest.
        self.table.horizontalHeader().setSectionResizeMode(COL_DATE, QHeaderView.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setToolTip(tr("One row per date. The first row is the input raster above: every other date "
                                 "is resampled onto its grid. Edit dates, sensors and bands in place."))
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(QgsMapLayerProxyModel.RasterLayer)
        self.add_button = QPushButton(tr("Add date"))
        self.remove_button = QPushButton(tr("Remove"))
        row.addWidget(self.layer_combo, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        form = QFormLayout()
        form.setHorizontalSpacing(10)  # room between each label and its field (the style gives 0 px)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)  # the pooling combo takes the room left
        # Sized from a few characters, not its longest item (wider than the column): the label keeps its
        # text; the item elided, whole in the tooltip, when narrow.
        self.pooling_combo = ElidedComboBox(min_chars=12)
        for key, title in POOLINGS:
            self.pooling_combo.addItem(tr(title), key)
        form.addRow(tr("Pooling of the dates"), self.pooling_combo)
        # A wrapped label beside the box: the whole text stays readable in the narrow column (French).
        self.profile_check, self.profile_label, prow = wrapped_check(
            tr("Change profile (distance to the previous date, one band per date)"))
        self.profile_check.setChecked(True)
        form.addRow(prow)
        self.clusters_check = QCheckBox(tr("Clusters of the seasonal embeddings"))
        self.k_spin = QSpinBox()
        self.k_spin.setRange(2, 254)
        self.k_spin.setValue(8)
        crow = QHBoxLayout()
        crow.addWidget(self.clusters_check)
        crow.addWidget(self.k_spin)
        form.addRow(crow)
        self.mask_edit = QLineEdit()
        self.mask_edit.setPlaceholderText("fmask=2,3,4")
        self.mask_edit.setToolTip(tr("Pixels of this band with these values are left out on every date (clouds, "
                                     "shadows, snow); untick the band in the band table or write 'skip' for it."))
        # The label above its field: beside it, its width (French) left the pooling combo ~100 px.
        self.mask_label = QLabel(tr("Quality mask (BAND=VALUES)"))
        self.mask_label.setBuddy(self.mask_edit)
        form.addRow(self.mask_label)
        form.addRow(self.mask_edit)
        layout.addLayout(form)
        self.add_button.clicked.connect(lambda: self.add_layer(self.layer_combo.currentLayer()))
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(lambda *_: self.changed.emit())
        for w in (self.pooling_combo,):
            w.currentIndexChanged.connect(lambda *_: self.changed.emit())
        self.mask_edit.textChanged.connect(lambda *_: self.changed.emit())
        for w in (self.profile_check, self.clusters_check):
            w.toggled.connect(lambda *_: self.changed.emit())

    # -- rows ----------------------------------------------------------------------------------
    def _row_of(self, layer_id: str) -> int:
        for r in range(self.table.rowCount()):
            if self.table.item(r, COL_LAYER).data(Qt.UserRole) == layer_id:
                return r
        return -1

    def _insert(self, row: int, layer, bands_text: str, sensor: str, editable_bands: bool) -> None:
        self.table.blockSignals(True)
        try:
            self.table.insertRow(row)
            name = QTableWidgetItem(layer.name())
            name.setData(Qt.UserRole, layer.id())
            name.setFlags(name.flags() & ~Qt.ItemIsEditable)
            self.table.setItem(row, COL_LAYER, name)
            self.table.setItem(row, COL_DATE, QTableWidgetItem(file_date(layer_path(layer))))
            self.table.setItem(row, COL_SENSOR, QTableWidgetItem(sensor))
            bands = QTableWidgetItem(bands_text)
            if not editable_bands:
                bands.setFlags(bands.flags() & ~Qt.ItemIsEditable)
                bands.setToolTip(tr("The band table of the input raster above."))
            self.table.setItem(row, COL_BANDS, bands)
        finally:
            self.table.blockSignals(False)
        self.changed.emit()

    def set_first(self, layer, bands: Optional[list[str]], sensor: Optional[str]) -> None:
        """The dialog's input layer as the first date (reference grid), with the dialog's band table.

        Cheap and quiet when the layer is already first (only its bands/sensor cells follow), so the
        dialog may call it on every change."""
        self._first_bands, self._first_sensor = bands, sensor
        if layer is None and self._first_id is None:
            return  # still no input layer: nothing changed, so no signal (validation calls this)
        if layer is not None and layer.id() == self._first_id and self._row_of(layer.id()) == 0:
            self.table.blockSignals(True)
            try:
                self.table.item(0, COL_BANDS).setText(",".join(bands or []))
                self.table.item(0, COL_SENSOR).setText(sensor or "")
            finally:
                self.table.blockSignals(False)
            return
        if self._first_id is not None:
            r = self._row_of(self._first_id)
            if r >= 0:
                self.table.removeRow(r)
        self._first_id = layer.id() if layer is not None else None
        if layer is None:
            self.changed.emit()
            return
        other = self._row_of(layer.id())
        if other >= 0:
            self.table.removeRow(other)
        self._insert(0, layer, ",".join(bands or []), sensor or "", editable_bands=False)

    def add_layer(self, layer) -> bool:
        """Add a raster layer as a date (once); its saved band table, if any, fills the bands."""
        if layer is None or self._row_of(layer.id()) >= 0:
            return False
        from .. import settings

        stored = settings.load_band_table(layer.id())
        bands = ""
        if stored:
            from ..bands_model import BandRow

            bands = ",".join(BandRow.from_dict(r).spec() for r in stored)
        self._insert(self.table.rowCount(), layer, bands, self._first_sensor or "", editable_bands=True)
        return True

    def remove_selected(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            if self.table.item(r, COL_LAYER).data(Qt.UserRole) != self._first_id:
                self.table.removeRow(r)
        self.changed.emit()

    def rows(self) -> list[dict]:
        """{layer, date, sensor, bands} per row, in table order."""
        project = QgsProject.instance()
        out = []
        for r in range(self.table.rowCount()):
            lid = self.table.item(r, COL_LAYER).data(Qt.UserRole)
            out.append({"layer": project.mapLayer(lid), "first": lid == self._first_id,
                        "date": self.table.item(r, COL_DATE).text().strip(),
                        "sensor": self.table.item(r, COL_SENSOR).text().strip(),
                        "bands": self.table.item(r, COL_BANDS).text().strip()})
        return out

    # -- checks and the engine side ------------------------------------------------------------
    def problems(self) -> list[str]:
        """What prevents a time-series run, in words a user can act on."""
        from engine.series import parse_date

        rows = self.rows()
        out = []
        if len(rows) < 2:
            out.append(tr("A time series needs at least two dates: add layers with 'Add date'."))
        for row in rows:
            layer = row["layer"]
            if layer is None:
                out.append(tr("A layer of the dates list was removed from the project."))
                continue
            if layer_path(layer) is None:
                out.append(tr("Layer '{0}' is not a local raster file; save it as GeoTIFF first.").format(layer.name()))
            if not row["date"]:
                out.append(tr("Give the date of '{0}' (YYYY-MM-DD): none was found in the file.").format(layer.name()))
            elif parse_date(row["date"]) is None:
                out.append(tr("'{0}' (layer '{1}') is not a date; write YYYY-MM-DD.").format(row["date"], layer.name()))
        if self.mask_edit.text().strip():
            from engine.series import parse_mask

            try:
                parse_mask(self.mask_edit.text())
            except ValueError as err:
                out.append(str(err))
        dates = [r["date"] for r in rows if r["date"]]
        if len(set(dates)) < len(dates):
            out.append(tr("Two layers have the same date; a series needs one layer per date."))
        return out

    def inputs(self) -> list:
        """engine RasterInputs, one per row (first = the dialog's input layer and band table)."""
        from engine.jobs import RasterInput, parse_band_list

        out = []
        for row in self.rows():
            if row["first"]:
                bands, sensor = self._first_bands, self._first_sensor
            else:
                bands, sensor = parse_band_list(row["bands"]), row["sensor"] or None
            out.append(RasterInput([layer_path(row["layer"])], bands, sensor, row["date"] or None))
        return out

    def apply(self, job) -> None:
        """Set the seasonal options of a JobSpec (product 'seasonal') from the widgets."""
        job.seasonal_pooling = self.pooling_combo.currentData()
        outputs = []
        if self.profile_check.isChecked():
            outputs.append("change_profile")
        if self.clusters_check.isChecked():
            outputs.append("clusters")
            job.k = self.k_spin.value()
        job.seasonal_outputs = outputs
        job.series_mask = self.mask_edit.text().strip() or None
