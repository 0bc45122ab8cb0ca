"""Band table: one row per band with its wavelength range, source, and the model's decision."""
from __future__ import annotations

from typing import Optional

from qgis.PyQt.QtCore import QSize, Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (QAbstractItemView, QComboBox, QHeaderView, QStyledItemDelegate, QTableWidget,
                                 QTableWidgetItem)

from ..bands_model import BandRow, Decision, _fmt, decide, parse_wavelength, resolve_name
from ..i18n import tr, tr_noop

COL_INCLUDE, COL_NUMBER, COL_DESCRIPTION, COL_NAME, COL_CENTRE, COL_MIN, COL_MAX, COL_SOURCE, COL_DECISION = range(9)
# Short headers leave the width to the decision column; the wavelength headers say "nm" in their tooltip.
HEADERS = (tr_noop("Use"), tr_noop("Band"), tr_noop("Description"), tr_noop("Name"), tr_noop("Centre"),
           tr_noop("Min"), tr_noop("Max"), tr_noop("Source"), tr_noop("Model decision"))
HEADER_TIPS = {COL_CENTRE: tr_noop("Centre wavelength (nm)"), COL_MIN: tr_noop("Shortest wavelength (nm)"),
               COL_MAX: tr_noop("Longest wavelength (nm)")}
SOURCE_TITLES = {
    "file-metadata": tr_noop("file metadata"), "band-name": tr_noop("band name"),
    "file-name": tr_noop("file name"), "preset": tr_noop("preset"), "user": tr_noop("user"),
    "unknown": tr_noop("unknown"), "none": tr_noop("not identified"),
}
# Background colours of the decision cell: green = a trained layer, amber = approximated, red = none.
DECISION_COLOURS = {
    "trained": "#c8e6c9", "interpolated": "#fff3c4", "nearest": "#ffe0b2",
    "unsupported": "#ffcdd2", "excluded": "#eeeeee", "unknown": "#eeeeee",
}


def preset_band_choices(preset: Optional[str]) -> list[tuple[str, str]]:
    """(band name, 'B2 (452-512 nm)') for every band of a sensor preset ([] without one)."""
    if not preset:
        return []
    try:
        from engine.spectral import get_sensor

        bands = get_sensor(preset).bands
    except Exception:  # noqa: BLE001 - an unknown preset just offers no list
        return []
    out = []
    for b in bands:
        if b.polarization:
            out.append((b.name, b.name))
        else:
            out.append((b.name, f"{b.name} ({_fmt(b.min_nm)}-{_fmt(b.max_nm)} nm)"))
    return out


class PresetBandDelegate(QStyledItemDelegate):
    """The Name cell offers the chosen preset's bands (editable: other names and ranges still work)."""

    def __init__(self, table: "BandTableWidget"):
        super().__init__(table)
        self.table = table

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt override)
        choices = preset_band_choices(self.table.preset)
        if index.column() != COL_NAME or not choices:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(True)
        for name, label in choices:
            combo.addItem(label, name)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802 (Qt override)
        if not isinstance(editor, QComboBox):
            return super().setEditorData(editor, index)
        current = index.data() or ""
        i = editor.findData(current)
        if i >= 0:
            editor.setCurrentIndex(i)
        else:
            editor.setEditText(current)

    def setModelData(self, editor, model, index):  # noqa: N802 (Qt override)
        if not isinstance(editor, QComboBox):
            return super().setModelData(editor, model, index)
        i, text = editor.currentIndex(), editor.currentText().strip()
        model.setData(index, editor.itemData(i) if i >= 0 and editor.itemText(i) == text else text)


MIN_ROWS = 2  # rows the band table shows at the dialog's minimum height (1366 x 768 with Advanced open)


class BandTableWidget(QTableWidget):
    """Editable band table; emits bandsChanged whenever a row is edited or the rows are replaced."""

    bandsChanged = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        for col, tip in HEADER_TIPS.items():
            self.horizontalHeaderItem(col).setToolTip(tr(tip))
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        # Every column as wide as its text, the decision column included (never elided; the table
        # scrolls sideways on a narrow screen rather than cut the decision short).
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        self.setTextElideMode(Qt.ElideNone)
        self._rows: list[BandRow] = []
        self._decisions: list[Decision] = []
        self._updating = False
        self.rule = "reference"
        self.extrapolate = False
        self.preset: Optional[str] = None  # sensor preset used to resolve band names typed by the user
        self.setItemDelegateForColumn(COL_NAME, PresetBandDelegate(self))
        self.itemChanged.connect(self._on_item_changed)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """The header and MIN_ROWS rows. A hint, not setMinimumHeight: a dialog squeezed below its
        minimum (wrapped notes take more lines than Qt's minimum allows for) shrinks the table, which
        scrolls, instead of the table keeping its height over the legend under it."""
        hint = super().minimumSizeHint()
        rows = (self.horizontalHeader().sizeHint().height() + MIN_ROWS * self.verticalHeader().defaultSectionSize()
                + 2 * self.frameWidth())
        return QSize(hint.width(), max(hint.height(), rows))

    # --- data in/out -------------------------------------------------------------------------
    def set_rows(self, rows: list[BandRow]) -> None:
        """Replace all rows and recompute the decisions."""
        self._rows = [BandRow.from_dict(r.to_dict()) for r in rows]
        self._updating = True
        try:
            self.setRowCount(len(self._rows))
            for i, row in enumerate(self._rows):
                self._fill_row(i, row)
        finally:
            self._updating = False
        # Descriptions that are empty or repeat the band name would only take room from the decisions.
        self.setColumnHidden(COL_DESCRIPTION, all(not r.description or r.description == r.name for r in self._rows))
        self.refresh_decisions()
        self.bandsChanged.emit()

    def rows(self) -> list[BandRow]:
        """Copies of the current rows."""
        return [BandRow.from_dict(r.to_dict()) for r in self._rows]

    def decisions(self) -> list[Decision]:
        """The model decision of every row, in row order."""
        return list(self._decisions)

    def band_specs(self) -> list[str]:
        """RasterInput.bands entries, one per band ("skip" for unticked bands)."""
        return [r.spec() for r in self._rows]

    def set_rule(self, rule: str, extrapolate: bool) -> None:
        """Change the interpolation rule / extrapolation and recompute decisions."""
        self.rule, self.extrapolate = rule, extrapolate
        self.refresh_decisions()

    # --- editing -----------------------------------------------------------------------------
    def set_wavelength(self, row_index: int, column: int, text: str) -> None:
        """Edit min/max/centre of a row as if typed (µm input is converted to nm)."""
        self.item(row_index, column).setText(text)

    def _fill_row(self, i: int, row: BandRow) -> None:
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        check.setCheckState(Qt.Checked if row.include else Qt.Unchecked)
        self.setItem(i, COL_INCLUDE, check)
        self.setItem(i, COL_NUMBER, _readonly(str(row.number)))
        self.setItem(i, COL_DESCRIPTION, _readonly(row.description))
        self.setItem(i, COL_NAME, QTableWidgetItem(row.name))
        for col, value in ((COL_CENTRE, row.centre_nm), (COL_MIN, row.min_nm), (COL_MAX, row.max_nm)):
            item = QTableWidgetItem("" if value is None else _fmt(value))
            item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            item.setToolTip(tr("Wavelength in nm; type µm (e.g. 0.665 µm) and it is converted."))
            self.setItem(i, col, item)
        source = _readonly(tr(SOURCE_TITLES.get(row.source, row.source)))
        if row.note:
            source.setToolTip(row.note)
        self.setItem(i, COL_SOURCE, source)
        self.setItem(i, COL_DECISION, _readonly(""))

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._updating:
            return
        i, col = item.row(), item.column()
        if i >= len(self._rows):
            return
        row = self._rows[i]
        error = ""
        if col == COL_INCLUDE:
            row.include = item.checkState() == Qt.Checked
        elif col == COL_NAME:
            self._apply_name(row, item.text().strip())
        elif col in (COL_CENTRE, COL_MIN, COL_MAX):
            error = self._apply_wavelength(row, col, item.text())
        else:
            return
        self._updating = True
        try:
            self._fill_row(i, row)
            if error:
                self.item(i, col).setBackground(QBrush(QColor(DECISION_COLOURS["unsupported"])))
                self.item(i, col).setToolTip(error)
        finally:
            self._updating = False
        self.refresh_decisions()
        self.bandsChanged.emit()

    def _apply_name(self, row: BandRow, name: str) -> None:
        """A typed band name takes its range from the preset ('B2' with Landsat 8) or the engine."""
        row.name = name
        row.sensor, row.polarization, row.source = None, _polarization(name), "user"
        band = resolve_name(name, self.preset)
        if band is not None:
            row.name = band.name
            row.min_nm, row.max_nm = float(band.min_nm), float(band.max_nm)
            row.sensor, row.kind, row.polarization = band.sensor, band.kind, band.polarization
            row.source = "preset" if band.sensor else "user"

    def _apply_wavelength(self, row: BandRow, col: int, text: str) -> str:
        text = text.strip()
        if not text:
            row.min_nm = row.max_nm = None
            row.sensor, row.source = None, "user"
            return ""
        try:
            nm = parse_wavelength(text)
        except ValueError as exc:
            return str(exc)
        if col == COL_CENTRE:
            # Moving the centre keeps the band width (a typed centre alone gives a 20 nm band).
            half = (row.max_nm - row.min_nm) / 2.0 if row.has_range() else 10.0
            row.min_nm, row.max_nm = nm - half, nm + half
        elif col == COL_MIN:
            row.min_nm = nm
            if row.max_nm is None:
                row.max_nm = nm
        else:
            row.max_nm = nm
            if row.min_nm is None:
                row.min_nm = nm
        # An edited range is the user's own band: stop referring to the preset band by name.
        row.sensor, row.polarization, row.source = None, None, "user"
        return ""

    # --- decisions ---------------------------------------------------------------------------
    def refresh_decisions(self) -> None:
        """Recompute the model decision of every row and colour the decision column."""
        self._decisions = [decide(r, self.rule, self.extrapolate) for r in self._rows]
        self._updating = True
        try:
            for i, d in enumerate(self._decisions):
                item = self.item(i, COL_DECISION)
                if item is None:
                    continue
                item.setText(d.label)
                item.setToolTip(d.explanation)
                item.setData(Qt.UserRole, d.kind)
                item.setBackground(QBrush(QColor(DECISION_COLOURS.get(d.kind, "#ffffff"))))
        finally:
            self._updating = False

    def decision_text(self, row_index: int) -> str:
        """Text shown in a row's decision cell."""
        item = self.item(row_index, COL_DECISION)
        return item.text() if item else ""


def _readonly(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
    return item


def _polarization(name: str) -> Optional[str]:
    upper = name.strip().upper()
    return upper if upper in ("VV", "VH", "HH", "HV") else None
