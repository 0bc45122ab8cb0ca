"""Form labels keep their whole text, with room before their field, at the default size (1366 x 700).

In English and in French (longer labels), on every product page: each visible form label (a QFormLayout
label, or a QLabel with a buddy) is at least as wide as its text and ends GAP px before its field, and each
visible combo shows its current item whole, or elided with the whole item in its tooltip. Each visible
checkbox is as wide as its text (a long text is a wrapped label beside an empty box, whose height fits its
lines), and each visible table header section is as wide as its text, or has the whole text in its tooltip.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from qgis.core import QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QRect
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QLabel, QStyle, QStyleOptionComboBox,
                                 QTableView)

from plugin_helpers import s2_like

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "i18n"))
import update_ts  # noqa: E402

pytestmark = pytest.mark.qgis
GAP = 4  # px at least between a label and its field


def _in_dialog(dlg, widget, rect: QRect) -> QRect:
    return QRect(widget.mapTo(dlg, rect.topLeft()), rect.size())


def _field_rect(dlg, form: QFormLayout, item) -> QRect:
    if item.widget() is not None:
        w = item.widget()
        return _in_dialog(dlg, w, w.rect())
    return _in_dialog(dlg, form.parentWidget(), item.geometry())  # a nested layout: parent's coordinates


def _label_pairs(dlg):
    """(label, its field's rectangle in the dialog) for each visible form label of the dialog."""
    pairs = {}
    for form in dlg.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label, field = form.itemAt(row, QFormLayout.LabelRole), form.itemAt(row, QFormLayout.FieldRole)
            if label is None or field is None or not isinstance(label.widget(), QLabel):
                continue
            if label.widget().isVisible():
                pairs[label.widget()] = _field_rect(dlg, form, field)
    for label in dlg.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and label.isVisible() and label not in pairs:
            pairs[label] = _in_dialog(dlg, buddy, buddy.rect())
    return pairs


def _label_problems(dlg) -> list:
    problems = []
    for label, field in _label_pairs(dlg).items():
        rect = _in_dialog(dlg, label, label.rect())
        if label.width() < label.sizeHint().width():
            problems.append(f"{label.text()!r} cut: {label.width()} < {label.sizeHint().width()} px")
        if rect.adjusted(0, 0, GAP, 0).intersects(field):  # room between the text and its field
            problems.append(f"{label.text()!r} {rect} touches or overlaps its field {field}")
    return problems


def _combo_problems(dlg) -> list:
    problems = []
    for combo in dlg.findChildren(QComboBox):
        if not combo.isVisible() or not combo.currentText():
            continue
        opt = QStyleOptionComboBox()
        combo.initStyleOption(opt)
        room = combo.style().subControlRect(QStyle.CC_ComboBox, opt, QStyle.SC_ComboBoxEditField, combo).width()
        if not opt.currentIcon.isNull():
            room -= combo.iconSize().width() + 4
        need = combo.fontMetrics().horizontalAdvance(combo.currentText())
        if need > room and combo.currentText() not in combo.toolTip():
            problems.append(f"combo item {combo.currentText()!r} cut ({need} > {room} px), not in its tooltip")
    return problems


def _check_box_problems(dlg) -> list:
    problems = []
    for box in dlg.findChildren(QCheckBox):
        if box.isVisible() and box.text() and box.width() < box.sizeHint().width():
            problems.append(f"checkbox {box.text()!r} cut: {box.width()} < {box.sizeHint().width()} px")
    for label in dlg.findChildren(QLabel):  # wrapped texts (a long checkbox text among them) show every line
        if label.isVisible() and label.wordWrap() and label.text():
            need = label.heightForWidth(label.width())
            if label.height() < need:
                problems.append(f"wrapped {label.text()!r} cut: {label.height()} < {need} px high")
    return problems


def _header_problems(dlg) -> list:
    problems = []
    for table in dlg.findChildren(QTableView):
        header = table.horizontalHeader()
        if not table.isVisible() or not header.isVisible():
            continue
        margin = header.style().pixelMetric(QStyle.PM_HeaderMargin, None, header)
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            text = str(table.model().headerData(section, Qt.Horizontal, Qt.DisplayRole) or "")
            tip = str(table.model().headerData(section, Qt.Horizontal, Qt.ToolTipRole) or "")
            need = header.fontMetrics().horizontalAdvance(text) + 2 * margin
            if header.sectionSize(section) < need and text not in tip:
                problems.append(f"header {text!r} cut ({header.sectionSize(section)} < {need} px), not in its tooltip")
    return problems


def _overflow_problems(dlg) -> list:
    """Visible widgets of the right column that end past its right edge (cut off on screen)."""
    from qgis.PyQt.QtCore import QPoint
    from qgis.PyQt.QtWidgets import QWidget

    column = dlg.right_column
    edge = column.mapTo(dlg, QPoint(column.width(), 0)).x()
    problems = []
    for w in column.findChildren(QWidget):
        if w.isVisible() and w.width() > 0:
            end = w.mapTo(dlg, QPoint(w.width(), 0)).x()
            if end > edge + 1:
                text = getattr(w, "text", lambda: "")() if hasattr(w, "text") else ""
                problems.append(f"{type(w).__name__} {str(text)[:30]!r} ends at x={end}, past the column's edge {edge}")
    return problems


def _option_gap_problems(dlg) -> list:
    """The product's option page takes its own height, not that of a taller hidden page (a wrapped label
    on a page makes QStackedLayout ask every page's height-for-width: the dates list's, ~425 px)."""
    page = dlg.options.currentWidget()
    if page is dlg.dates_list or page.sizeHint().height() <= 0:
        return []  # the dates list grows with the room; an empty page is 0 px
    if dlg.options.height() > page.sizeHint().height() + 4:
        return [f"option page {dlg.options.currentIndex()} is {page.sizeHint().height()} px tall, "
                f"its stack {dlg.options.height()} px: an empty gap"]
    return []


def _check_every_page(dlg, qtbot) -> list:
    layer = QgsRasterLayer(str(s2_like(Path(dlg.tmp) / "scene.tif")), "input", "gdal")
    QgsProject.instance().addMapLayer(layer)
    dlg.layer_combo.setLayer(layer)
    dlg.output_file.setFilePath(str(Path.home() / "smarties" / "bigearthnet_clusters.tif"))
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.wait(20)
    dlg.resize(1366, 700)
    qtbot.wait(20)
    problems = []
    for i in range(dlg.product_combo.count()):
        dlg.product_combo.setCurrentIndex(i)
        qtbot.wait(20)  # the layouts settle after the page change
        assert (dlg.width(), dlg.height()) == (1366, 700)
        page = dlg.product_combo.currentData()
        problems += [f"{page}: {p}" for p in _label_problems(dlg) + _combo_problems(dlg) + _check_box_problems(dlg)
                     + _header_problems(dlg) + _overflow_problems(dlg) + _option_gap_problems(dlg)]
    dlg.release_map_tools()
    return sorted(set(problems))


@pytest.fixture
def dialog_factory(qgis_iface, qgis_new_project, qtbot, tmp_path):
    def make():
        from eo_plugin.dialogs.main_dialog import SmartiesDialog

        dlg = SmartiesDialog(qgis_iface)
        dlg.tmp = str(tmp_path)
        qtbot.addWidget(dlg)
        return dlg
    return make


def test_form_labels_fit_in_english(dialog_factory, qtbot):
    dlg = dialog_factory()
    assert _label_pairs(dlg) == {}  # hidden: nothing counted before it is shown
    problems = _check_every_page(dlg, qtbot)
    assert len(_label_pairs(dlg)) >= 4  # the check saw labels (Product, Resolution, Output file, Model...)
    assert not problems, "\n".join(problems)


def test_form_labels_fit_in_french(dialog_factory, qtbot, tmp_path):
    from eo_plugin.i18n import remove_translator, tr

    translator = _compiled_french(tmp_path)
    try:
        assert tr("Output file") != "Output file"  # the French labels are the ones checked
        dlg = dialog_factory()
        problems = _check_every_page(dlg, qtbot)
        assert len(_label_pairs(dlg)) >= 4
    finally:
        remove_translator(translator)
    assert not problems, "\n".join(problems)


def _compiled_french(tmp_path):
    from eo_plugin.i18n import install_translator

    lrelease = shutil.which("lrelease") or ("/usr/lib/qt5/bin/lrelease"
                                            if Path("/usr/lib/qt5/bin/lrelease").exists() else None)
    if lrelease is None:
        pytest.skip("lrelease not installed (qttools5-dev-tools)")
    subprocess.run([lrelease, "-silent", str(update_ts.TS_FILES["fr"]), "-qm", str(tmp_path / "smarties_fr.qm")],
                   check=True)
    translator = install_translator("fr_FR", str(tmp_path))
    assert translator is not None
    return translator


def test_time_series_page_reads_whole_in_french(dialog_factory, qtbot, tmp_path):
    """The change profile's whole text is on screen, the pooling combo is not squeezed by the mask label,
    and a click on the profile's text still toggles it (what the checkbox does is unchanged)."""
    from eo_plugin.i18n import remove_translator, tr

    translator = _compiled_french(tmp_path)
    try:
        text = tr("Change profile (distance to the previous date, one band per date)")
        assert text.startswith("Profil de changement")
        dlg = dialog_factory()
        layer = QgsRasterLayer(str(s2_like(tmp_path / "scene.tif")), "input", "gdal")
        QgsProject.instance().addMapLayer(layer)
        dlg.layer_combo.setLayer(layer)
        dlg.show()
        qtbot.waitExposed(dlg)
        dlg.resize(1366, 700)
        dlg.product_combo.setCurrentIndex(dlg.product_combo.findData("seasonal"))
        qtbot.wait(20)
        dates = dlg.dates_list
        shown = [w for w in dlg.findChildren(QCheckBox) + dlg.findChildren(QLabel)
                 if w.isVisible() and w.text() == text]
        assert len(shown) == 1 and not _check_box_problems(dlg)  # whole: the box's width or the wrapped lines
        pooling_label = dates.findChildren(QFormLayout)[0].labelForField(dates.pooling_combo)
        assert pooling_label.width() >= pooling_label.sizeHint().width()
        assert dates.pooling_combo.width() >= pooling_label.width()  # at least the room of its label (was ~100 px)
        assert not _header_problems(dlg)
        assert dates.profile_check.isChecked()
        with qtbot.waitSignal(dates.changed):
            qtbot.mouseClick(shown[0], Qt.LeftButton)
        assert not dates.profile_check.isChecked()
        job = type("Job", (), {})()
        dates.apply(job)
        assert "change_profile" not in job.seasonal_outputs
        qtbot.mouseClick(shown[0], Qt.LeftButton)
        assert dates.profile_check.isChecked()
        dlg.release_map_tools()
    finally:
        remove_translator(translator)


def test_time_series_dates_read_whole(dialog_factory, qtbot, tmp_path):
    """In the dates list at 1366 x 700, every date (YYYY-MM-DD) is shown whole, not elided to '2021-06-...'."""
    from eo_plugin.widgets.dates_list import COL_DATE

    dlg = dialog_factory()
    layers = []
    for i in range(3):
        layer = QgsRasterLayer(str(s2_like(tmp_path / f"S2A_MSIL2A_2021061{i}T101031_scene.tif")), f"date{i}", "gdal")
        QgsProject.instance().addMapLayer(layer)
        layers.append(layer)
    dlg.layer_combo.setLayer(layers[0])
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.product_combo.setCurrentIndex(dlg.product_combo.findData("seasonal"))
    for layer in layers[1:]:
        assert dlg.dates_list.add_layer(layer)
    dlg.resize(1366, 700)
    qtbot.wait(30)
    table = dlg.dates_list.table
    dates = [table.item(r, COL_DATE).text() for r in range(table.rowCount())]
    assert dates == ["2021-06-10", "2021-06-11", "2021-06-12"]
    margin = 2 * table.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, table) + 2
    for text in dates:
        assert table.columnWidth(COL_DATE) >= table.fontMetrics().horizontalAdvance(text) + margin, text
    dlg.release_map_tools()
