"""The dialog as an analyst meets it (issue 20), one test group per point of the issue:
1 output grid, 2 problems before Run, 3 files without band metadata, 4 tiny rasters and valid share,
5 the model list, 6 a laptop screen, 7 messages, 9 similarity with several points (8, French: test_i18n)."""
from __future__ import annotations

import os
import time

import numpy as np
import pytest
from qgis.core import QgsProject, QgsRasterLayer, QgsRectangle, QgsTask
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtWidgets import QComboBox, QMessageBox, QScrollArea, QStyleOptionViewItem

from eo_plugin.dialogs import checks
from eo_plugin.dialogs.main_dialog import SmartiesDialog
from eo_plugin.widgets.band_table import COL_DECISION, COL_NAME
from plugin_helpers import make_geotiff, s2_like

pytestmark = pytest.mark.qgis


def _add_raster(path, name="input"):
    layer = QgsRasterLayer(str(path), name, "gdal")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture
def dialog(qgis_iface, qgis_new_project, qtbot):
    dlg = SmartiesDialog(qgis_iface)
    qtbot.addWidget(dlg)
    yield dlg
    dlg.release_map_tools()


@pytest.fixture
def ready(dialog, tmp_path):
    """A dialog with a 120 x 120 px Sentinel-2-like raster and an output file: Run is on."""
    layer = _add_raster(s2_like(tmp_path / "scene.tif", size=120), "scene")
    dialog.layer_combo.setLayer(layer)
    dialog.output_file.setFilePath(str(tmp_path / "out.tif"))
    assert dialog.validate(), dialog.validation_label.text()
    return dialog


# 1 ---------------------------------------------------------------------------------- output grid
def test_maps_default_to_the_input_grid_and_say_so(ready):
    assert ready.product() == "pca"  # the first product is a map
    assert ready.build_job().at_input_resolution is True
    assert "120 x 120 px at 10 m" in ready.grid_label.text()
    ready.set_product("embeddings")
    assert ready.build_job().at_input_resolution is False
    assert "8 x 8 px at 150 m" in ready.grid_label.text()  # 120 px / 8 tokens: ends at the input's edge
    ready.set_product("clusters")
    ready.resolution_combo.setCurrentIndex(ready.resolution_combo.findData(False))
    assert ready.build_job().at_input_resolution is False


# 2 ---------------------------------------------------------------------------- problems before Run
def test_extent_outside_the_raster_disables_run(ready):
    ready.extent_box.setChecked(True)
    assert not ready.extent_box.isCollapsed()
    ready.extent_box.setOutputExtentFromUser(QgsRectangle(0, 0, 100, 100), ready.layer_combo.currentLayer().crs())
    assert not ready.validate() and "outside the raster 'scene'" in ready.validation_label.text()
    assert not ready.run_button.isEnabled()
    ready.extent_box.setChecked(False)
    assert ready.validate()


@pytest.mark.parametrize("case", ["input", "relative", "folder", "unwritable"])
def test_output_problems_are_named_before_run(ready, tmp_path, monkeypatch, case):
    target = {"input": str(tmp_path / "scene.tif"), "relative": "out.tif", "folder": str(tmp_path),
              "unwritable": str(tmp_path / "ro" / "out.tif")}[case]
    if case == "unwritable":
        os.makedirs(tmp_path / "ro")
        real = os.access
        monkeypatch.setattr(checks.os, "access", lambda p, mode: False if str(p) == str(tmp_path / "ro") else real(p, mode))
    ready.output_file.setFilePath(target)
    text = ready.validation_label.text()
    expected = {"input": "is also an input raster", "relative": "relative path", "folder": "is a folder",
                "unwritable": "You cannot write to the folder"}[case]
    assert expected in text and not ready.run_button.isEnabled()
    assert ".tmp-" not in text  # the message names the user's file, never a hidden temporary one


def test_grids_that_differ_need_alignment(ready, tmp_path):
    other = _add_raster(make_geotiff(tmp_path / "after.tif", np.ones((4, 60, 60), "uint16") * 900,
                                     descriptions=("B02", "B03", "B04", "B08"), pixel=20.0), "after")
    ready.set_product("change")
    ready.second_combo.setLayer(other)
    from engine.jobs import JobSpec

    if "align" not in JobSpec.__dataclass_fields__:
        assert not ready.validate() and "not on the same grid" in ready.validation_label.text()
        pytest.skip("the engine cannot align change rasters yet")
    assert ready.validate() and ready.build_job().align is True  # aligned onto the first by default
    ready.align_check.setChecked(False)
    assert not ready.validate() and "not on the same grid (their sizes differ" in ready.validation_label.text()


def test_unavailable_device_and_damaged_model_file(ready, tmp_path):
    import torch

    if not torch.cuda.is_available():
        ready.device_combo.setCurrentIndex(ready.device_combo.findData("cuda"))
        assert "device 'cuda' is not available" in ready.validation_label.text()
        ready.device_combo.setCurrentIndex(ready.device_combo.findData("auto"))
    broken = tmp_path / "half.safetensors"
    broken.write_bytes((200).to_bytes(8, "little") + b'{"w": {"dtype": "F32", "shape": [10], "data_offsets": [0, 40]}}')
    ready.model_combo.setCurrentIndex(ready.model_combo.findData("__file__"))
    ready.model_file.setFilePath(str(broken))
    assert "is damaged or incomplete" in ready.validation_label.text() and not ready.run_button.isEnabled()


def test_one_run_per_output_and_overwrite_question(ready, tmp_path, monkeypatch):
    started = []
    ready.runRequested.connect(lambda job, name: started.append(job))
    ready.request_run()
    ready.request_run()  # a double click
    assert len(started) == 1
    assert not ready.run_button.isEnabled() and "is still going" in ready.validation_label.text()

    class Done:  # what the plugin hands back when the task ends
        job, run_name, was_cancelled, error, layers, report_url = started[0], "PCA", False, "", [1], ""

    ready.task_done(Done())
    assert ready.run_button.isEnabled() and "finished: 1 layer(s)" in ready.status_label.text()

    (tmp_path / "out.tif").write_bytes(b"old result")
    answers = iter([QMessageBox.No, QMessageBox.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    ready.request_run()
    assert len(started) == 1 and "Not started" in ready.status_label.text()
    ready.request_run()
    assert len(started) == 2


def test_a_listed_model_whose_file_is_damaged(ready, tmp_path):
    cut = tmp_path / "smarties-v1-vitb.safetensors"
    cut.write_bytes((100).to_bytes(8, "little") + b"{")  # a download cut short
    choice = ready._model_choices["smarties-v1-vitb"]
    choice.path = str(cut)
    ready.model_combo.setCurrentIndex(ready.model_combo.findData("smarties-v1-vitb"))
    assert "is damaged or incomplete" in ready.validation_label.text() and not ready.run_button.isEnabled()


# 3 ------------------------------------------------------------------- files without band metadata
def test_preset_bands_are_picked_per_file_band(dialog, tmp_path):
    data = (np.random.default_rng(0).random((6, 40, 40)) * 3000).astype("int16")
    dialog.layer_combo.setLayer(_add_raster(make_geotiff(tmp_path / "sr.tif", data), "sr"))
    assert "choose the sensor preset first" in dialog.validation_label.text()
    dialog.sensor_combo.setCurrentIndex(dialog.sensor_combo.findData("landsat8"))
    dialog.sensor_combo.activated.emit(dialog.sensor_combo.currentIndex())
    assert "pick which" in dialog.validation_label.text() and "has 10 bands and this file 6" in dialog.validation_label.text()
    table = dialog.band_table
    delegate = table.itemDelegateForColumn(COL_NAME)
    for i, name in enumerate(["B2", "B3", "B4", "B5", "B6", "B7"]):
        index = table.model().index(i, COL_NAME)
        editor = delegate.createEditor(table.viewport(), QStyleOptionViewItem(), index)
        assert isinstance(editor, QComboBox) and editor.count() == 10
        assert editor.itemText(1).startswith("B2 (452-512 nm)")
        editor.setCurrentIndex(editor.findData(name))
        delegate.setModelData(editor, table.model(), index)
    assert table.band_specs() == [f"landsat8:B{i}" for i in range(2, 8)]
    assert dialog.run_button.isEnabled() or "output" in dialog.validation_label.text()


def test_naip_file_names_and_rgb_colour_interpretation(dialog, tmp_path):
    from osgeo import gdal

    naip = tmp_path / "m_4709963_se_14_1_20200831.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(naip), 40, 40, 4, gdal.GDT_Byte, ["PHOTOMETRIC=MINISBLACK"])
    ds.SetGeoTransform((500000, 1, 0, 5000000, 0, -1))
    ds = None
    dialog.layer_combo.setLayer(_add_raster(naip, "naip"))
    assert [r.name for r in dialog.band_table.rows()] == ["red", "green", "blue", "nir"]
    rgb = tmp_path / "aerial.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(rgb), 40, 40, 3, gdal.GDT_Byte)
    ds.SetGeoTransform((500000, 1, 0, 5000000, 0, -1))
    for i, ci in enumerate((gdal.GCI_RedBand, gdal.GCI_GreenBand, gdal.GCI_BlueBand), start=1):
        ds.GetRasterBand(i).SetColorInterpretation(ci)
    ds = None
    dialog.layer_combo.setLayer(_add_raster(rgb, "rgb"))
    assert [r.name for r in dialog.band_table.rows()] == ["red", "green", "blue"]


# 4 ------------------------------------------------------------------ tiny rasters, valid share
@pytest.mark.parametrize("size", [1, 8])
def test_tiny_rasters_are_refused_before_run(dialog, tmp_path, size):
    dialog.layer_combo.setLayer(_add_raster(s2_like(tmp_path / "tiny.tif", size=size), "tiny"))
    dialog.output_file.setFilePath(str(tmp_path / "out.tif"))
    assert f"{size} x {size} px" in dialog.validation_label.text() and "at least 32 x 32 px" in dialog.validation_label.text()
    assert not dialog.run_button.isEnabled()


def test_valid_pixel_share_setting_reaches_the_job(ready):
    assert ready.build_job().min_valid_share == 0.5
    ready.valid_share_spin.setValue(80)
    assert ready.build_job().min_valid_share == pytest.approx(0.8)
    assert "Smaller than one 224 px window" in ready.grid_label.text()


# 5 ---------------------------------------------------------------------------------- the models
def test_model_list_says_what_each_model_is_and_how_to_get_it(ready, monkeypatch):
    from eo_plugin.dialogs import model_output as main_dialog

    from eo_plugin.dialogs.models import default_is_synthetic_only

    # the bundled model's card decides what the combo says about it
    assert ("synthetic" in ready.model_combo.itemText(0)) == default_is_synthetic_only()
    index = ready.model_combo.findData("smarties-v1-vitb")
    assert index > 0
    if "not downloaded" not in ready.model_combo.itemText(index):
        pytest.skip("the published weights are on this computer")
    monkeypatch.setattr(main_dialog, "can_download", lambda: True)
    ready.model_combo.setCurrentIndex(index)
    assert "huggingface.co" in ready.model_note.text() and "models install" in ready.model_note.text()
    assert not ready.download_button.isHidden()
    assert not ready.run_button.isEnabled() and "not on this computer" in ready.validation_label.text()
    monkeypatch.setattr(main_dialog, "can_download", lambda: False)
    ready.model_combo.setCurrentIndex(0)
    ready.model_combo.setCurrentIndex(index)
    assert ready.download_button.isHidden()


# 6 ---------------------------------------------------------------------------------- the layout
@pytest.mark.parametrize("product", ["pca", "clusters", "similarity", "change", "classification", "embeddings"])
def test_fits_a_laptop_screen_without_scrolling(ready, qtbot, product):
    ready.set_product(product)
    ready.show()
    qtbot.waitExposed(ready)
    ready.advanced_box.setCollapsed(False)
    qtbot.wait(20)
    assert not ready.findChildren(QScrollArea)  # the band table's own scrolling aside, nothing scrolls
    hint = ready.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 700, hint  # 768 minus task bar and title bar
    right = ready.right_column.geometry()
    assert ready.output_file.isVisibleTo(ready) and ready.product_combo.isVisibleTo(ready)
    assert right.height() <= 700


# A device line as the engine writes it when CUDA was asked for on a machine where it cannot be used.
LONG_DEVICE_LINE = ("CUDA was asked for but cannot be used: this PyTorch (2.5.1+cpu) is a CPU-only build (the "
                    "machine has NVIDIA H200); install a CUDA build of PyTorch from the plugin's installer.")


def _advanced_at(dialog, qtbot, size=None):
    """The dialog shown with Advanced unfolded, at `size` (no smaller than its minimum size; default: the
    minimum size), layouts settled."""
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.advanced_box.setCollapsed(False)
    qtbot.wait(20)
    size = (size or QSize(0, 0)).expandedTo(dialog.minimumSizeHint())
    dialog.resize(size)
    qtbot.wait(20)
    assert dialog.size() == size


def _show_long_estimate(dialog):
    """An estimate of two lines or more under the sections (as the Estimate button shows it)."""
    from eo_plugin.dialogs.estimate import _show

    _show(dialog.estimate_label, "Estimate: " + "12 window(s) of 2000x2000 px input, about 4.0 min on cpu " * 3, False)


@pytest.mark.parametrize("device_line", ["", LONG_DEVICE_LINE])
@pytest.mark.parametrize("estimate", [False, True])
def test_band_legend_keeps_its_own_line_at_the_minimum_size(ready, qtbot, device_line, estimate):
    if device_line:  # a wrapped device line takes more height than Qt's minimum size allows for
        ready.device_line_label.setText(device_line)
    if estimate:
        _show_long_estimate(ready)
    _advanced_at(ready, qtbot)
    table, legend = ready.band_table, ready.legend
    assert legend.parentWidget() is table.parentWidget()
    assert not legend.geometry().intersects(table.geometry()), (legend.geometry(), table.geometry())
    assert legend.geometry().top() > table.geometry().bottom()
    assert legend.height() >= legend.sizeHint().height()  # the whole line of swatches, not cut
    assert legend.geometry().bottom() <= table.parentWidget().contentsRect().bottom()  # inside its box
    assert table.viewport().height() >= table.rowHeight(0)  # the table still shows a row (and scrolls)


@pytest.mark.parametrize("text", ["CPU, 2 threads: about 4 min", "CUDA: NVIDIA H200, bf16", LONG_DEVICE_LINE])
@pytest.mark.parametrize("at", ["default", "minimum"])
def test_device_line_gets_the_width_it_needs_next_to_estimate(ready, qtbot, text, at):
    ready.device_line_label.setText(text)
    _show_long_estimate(ready)
    _advanced_at(ready, qtbot, QSize(1180, 700) if at == "default" else None)  # default: a 1366 x 768 screen
    label, button = ready.device_line_label, ready.estimate_button
    assert label.parentWidget() is button.parentWidget()
    assert not label.geometry().intersects(button.geometry())
    assert button.geometry().left() > label.geometry().right()  # the button at the line's right end
    assert label.heightForWidth(label.width()) <= label.height()  # every wrapped line is shown
    assert ready.advanced_grid.geometry().contains(label.geometry())  # inside its section, not cut
    note = ready.model_note  # the wrapped note above the section is not cut either
    assert note.heightForWidth(note.width()) <= note.height()
    if text != LONG_DEVICE_LINE:  # a device and its precision: one line, not wrapped
        assert label.sizeHint().width() <= label.width(), (label.sizeHint(), label.geometry())
        assert label.height() < 2 * label.fontMetrics().lineSpacing()
    assert label.width() >= ready.advanced_box.width() // 2  # the section's width, not a grid cell


def test_default_output_in_the_project_folder_and_a_readable_legend(dialog, tmp_path):
    project = QgsProject.instance()
    project.setFileName(str(tmp_path / "work.qgz"))
    dialog.layer_combo.setLayer(_add_raster(s2_like(tmp_path / "scene.tif", size=64), "scene"))
    assert dialog.output_file.filePath() == str(tmp_path / "scene_pca.tif")
    dialog.set_product("clusters")
    assert dialog.output_file.filePath() == str(tmp_path / "scene_clusters.tif")
    dialog.output_file.setFilePath(str(tmp_path / "mine.tif"))
    dialog.set_product("similarity")
    assert dialog.output_file.filePath() == str(tmp_path / "mine.tif")  # a chosen path is kept
    assert set(dialog.legend.labels) == {"trained", "interpolated", "nearest", "unsupported", "excluded"}
    dialog.show()
    table = dialog.band_table
    metrics = table.fontMetrics()
    for row in range(table.rowCount()):
        text = table.item(row, COL_DECISION).text()
        assert metrics.horizontalAdvance(text) <= table.columnWidth(COL_DECISION), text
    project.setFileName("")


# 7 ---------------------------------------------------------------------------------- messages
def test_stage_and_time_left_reach_the_dialog(ready, qtbot):
    from eo_plugin.tasks import SmartiesTask, stage_text

    task = SmartiesTask(ready.build_job(), "PCA run")
    ready.watch_task(task)
    task._started = time.monotonic() - 30.0
    with qtbot.waitSignal(task.stageChanged) as blocker:
        task._progress(0.5, "window 96 of 192")
    assert blocker.args[0].startswith("window 96 of 192") and "min left" not in blocker.args[0]
    assert "s left" in blocker.args[0]
    assert "window 96 of 192" in ready.status_label.text() and ready.progress_bar.isVisibleTo(ready)
    assert ready.progress_bar.value() == 50
    assert stage_text("computing pca") == "computing pca"


def test_cancel_is_not_a_failure_and_reports_link(qgis_iface, qgis_new_project, qtbot, tmp_path, monkeypatch):
    from engine import jobs as engine_jobs
    from engine.errors import JobCancelled
    from engine.jobs import JobResult, JobSpec, RasterInput
    from eo_plugin.tasks import SmartiesTask, start

    src = s2_like(tmp_path / "scene.tif", size=64)
    job = JobSpec(product="classify", inputs=[RasterInput([str(src)])], output=str(tmp_path / "classes.tif"),
                  labels_vector="x.gpkg", label_field="class")

    def cancelled(job, progress=None, cancel=None):
        raise JobCancelled("Cancelled by the user; nothing was written.")

    monkeypatch.setattr(engine_jobs, "run", cancelled)
    done = []
    task = SmartiesTask(job, "Cancelled run", iface=qgis_iface, on_done=lambda t: done.append((t.was_cancelled, t.status())))
    start(task)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert done[0] == (True, QgsTask.Complete)  # QGIS does not announce "Task failed"

    def classified(job, progress=None, cancel=None):
        make_geotiff(tmp_path / "classes.tif", np.zeros((1, 8, 8), "uint8"))
        (tmp_path / "classes_report.html").write_text("<html>report</html>")
        return JobResult({"classes": str(tmp_path / "classes.tif"), "report": str(tmp_path / "classes_report.html")})

    monkeypatch.setattr(engine_jobs, "run", classified)
    qgis_iface.messageBar().clear_messages()
    done.clear()
    task = SmartiesTask(job, "Classes", iface=qgis_iface, on_done=lambda t: done.append(t.report_url))
    start(task)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert done[0].endswith("classes_report.html")
    from qgis.core import Qgis

    assert any("classes_report.html" in m and "<a href" in m for m in qgis_iface.messageBar().get_messages(Qgis.Success))


def test_spectrum_and_sar_advice_in_the_dialogs_terms(dialog, tmp_path):
    from eo_plugin.widgets.band_table import COL_MAX, COL_MIN

    dialog.layer_combo.setLayer(_add_raster(s2_like(tmp_path / "scene.tif", size=64), "scene"))
    table = dialog.band_table
    table.set_wavelength(0, COL_MIN, "3000")
    table.set_wavelength(0, COL_MAX, "3400")
    text = dialog.validation_label.text()
    assert "outside the model's spectrum" in text and "Use the nearest layer for bands outside" in text
    assert "extrapolate=True" not in text and "--extrapolate" not in text
    table.set_wavelength(0, COL_MIN, "23 cm")
    table.set_wavelength(0, COL_MAX, "24 cm")
    assert "radar band outside C-band" in table.decisions()[0].explanation
    assert "outside C-band" in dialog.validation_label.text() and "'VV'" not in dialog.validation_label.text()


def test_deleted_file_is_reported_as_not_found(dialog, tmp_path):
    path = s2_like(tmp_path / "gone.tif", size=64)
    layer = _add_raster(path, "gone")
    dialog.layer_combo.setLayer(layer)
    os.remove(path)
    dialog.validate()
    assert "File not found" in dialog.validation_label.text() and str(path) in dialog.validation_label.text()


# 9 ------------------------------------------------------------------- similarity, several points
def test_similarity_max_over_points_and_markers_cleared_on_close(ready, qgis_iface):
    from qgis.core import QgsPointXY

    ready.set_product("similarity")
    assert ready.similarity_mode_combo.currentData() == "max"
    ready.show()
    ready.pick_button.setChecked(True)
    for x in (500100.0, 500900.0):
        ready.point_tool.add_point(QgsPointXY(x, 4999500.0))
    job = ready.build_job()
    assert job.similarity_mode == "max" and len(job.reference_points) == 2
    ready.similarity_mode_combo.setCurrentIndex(ready.similarity_mode_combo.findData("mean"))
    assert ready.build_job().similarity_mode == "mean"
    markers = ready.point_tool._markers
    assert markers.numberOfVertices() == 2
    ready.close()
    assert markers.numberOfVertices() == 0 and ready.points_label.text() == "No point picked"


# 8 ---------------------------------------------------------------------------------- French
def test_french_presets_engine_messages_tooltips_and_legend(qgis_iface, qgis_new_project, qtbot, tmp_path):
    import shutil
    import subprocess
    from pathlib import Path

    from eo_plugin.i18n import install_translator, remove_translator
    from eo_plugin.layers import _category_label
    from eo_plugin.widgets.band_table import COL_MAX, COL_MIN

    lrelease = shutil.which("lrelease") or ("/usr/lib/qt5/bin/lrelease" if Path("/usr/lib/qt5/bin/lrelease").exists() else None)
    if lrelease is None:
        pytest.skip("lrelease not installed (qttools5-dev-tools)")
    root = Path(__file__).resolve().parents[2]
    subprocess.run([lrelease, "-silent", str(root / "i18n" / "smarties_fr.ts"), "-qm", str(tmp_path / "smarties_fr.qm")],
                   check=True)
    translator = install_translator("fr_FR", str(tmp_path))
    assert translator is not None
    try:
        dlg = SmartiesDialog(qgis_iface)
        qtbot.addWidget(dlg)
        titles = [dlg.sensor_combo.itemText(i) for i in range(dlg.sensor_combo.count())]
        assert "Sentinel-2 MSI niveau 2A (12 bandes, réflectance de surface)" in titles
        dlg.layer_combo.setLayer(_add_raster(s2_like(tmp_path / "scene.tif", size=64), "scene"))
        assert "correspond à la couche entraînée" in dlg.band_table.item(0, COL_DECISION).toolTip()
        dlg.band_table.set_wavelength(0, COL_MIN, "3000")
        dlg.band_table.set_wavelength(0, COL_MAX, "3400")
        assert "hors du spectre du modèle" in dlg.validation_label.text()
        assert "entraînée" in dlg.legend.labels["trained"].toolTip() or "entraînées" in dlg.legend.labels["trained"].toolTip()
        assert dlg.valid_share_spin.toolTip().startswith("Les patchs")
        assert _category_label("cluster 3") == "groupe 3"
    finally:
        remove_translator(translator)


def test_every_sensor_preset_title_is_translatable():
    from engine.spectral import get_sensor, list_sensors
    from eo_plugin.sensor_titles import SENSOR_TITLES

    assert {sid: get_sensor(sid).title for sid in list_sensors()} == SENSOR_TITLES


# 10 --------------------------------------------------------------------- the estimate before Run
def test_estimate_button_shows_the_preflight_before_run(ready, tmp_path, qtbot):
    from engine.preflight import preflight

    ready.show()
    qtbot.waitExposed(ready)
    ready.advanced_box.setCollapsed(False)
    assert ready.estimate_label.text() == ""
    ready.device_combo.setCurrentIndex(ready.device_combo.findData("cpu"))
    ready.estimate_button.click()
    shown = ready.estimate_label.text()
    windows = preflight(ready.build_job(), measure=False).windows  # the same job as Run would start
    assert windows >= 1
    assert shown.startswith("Estimate: ") and f"{windows} window(s) of 120x120 px input" in shown, shown
    assert "on cpu" in shown and ready.estimate_label.styleSheet() == ""
    assert not os.path.exists(tmp_path / "out.tif")  # nothing run, nothing written
    qtbot.wait(20)
    hint = ready.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 700, hint  # the shown estimate still fits 1366 x 768
    ready.window_spin.setValue(ready.window_spin.value() + 16)  # settings changed: the estimate is gone
    assert ready.estimate_label.text() == ""


def test_estimate_names_what_is_missing_or_refused(ready, monkeypatch):
    import engine.preflight

    monkeypatch.setattr(engine.preflight, "available_memory", lambda device: 64 << 20)  # a 64 MiB machine
    ready.estimate_button.click()
    shown = ready.estimate_label.text()
    assert shown.startswith("No estimate: ") and "memory but 64.0 MiB is available" in shown, shown
    assert "\n" not in shown and "#b00020" in ready.estimate_label.styleSheet()
    from qgis.PyQt.QtWidgets import QApplication

    assert QApplication.overrideCursor() is None  # the wait cursor is given back after a refusal too
    ready.layer_combo.setLayer(None)  # no input at all: the dialog's own problem, no exception
    ready.estimate_button.click()
    shown = ready.estimate_label.text()
    assert shown.startswith("No estimate: ") and shown[len("No estimate: "):] in ready.validation_label.text()
    assert "#b00020" in ready.estimate_label.styleSheet()
