"""Main dialog: band table filled from files, edits update decisions, validation, project round trip."""
from __future__ import annotations

import glob

import pytest
from qgis.core import QgsProject, QgsRasterLayer, QgsVectorLayer
from qgis.PyQt.QtCore import Qt

from eo_plugin import settings
from eo_plugin.bands_model import parse_wavelength
from eo_plugin.dialogs.main_dialog import SmartiesDialog
from eo_plugin.widgets.band_table import COL_DECISION, COL_INCLUDE, COL_MAX, COL_MIN, COL_SOURCE
from plugin_helpers import make_points, s2_like

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


def test_parse_wavelength_units():
    assert parse_wavelength("665") == 665
    assert parse_wavelength("0.665 µm") == pytest.approx(665)
    assert parse_wavelength("0.665um") == pytest.approx(665)
    assert parse_wavelength("10.9") == pytest.approx(10900)  # bare small number = µm (thermal)
    assert parse_wavelength("5.55 cm") == pytest.approx(5.55e7)
    with pytest.raises(ValueError):
        parse_wavelength("red")


def test_band_table_filled_from_generated_geotiff(dialog, tmp_path):
    layer = _add_raster(s2_like(tmp_path / "scene.tif"))
    dialog.layer_combo.setLayer(layer)
    rows = dialog.band_table.rows()
    assert [r.name for r in rows] == ["B02", "B03", "B04", "B08"]
    assert rows[2].min_nm == 634 and rows[2].max_nm == 696
    assert dialog.sensor_combo.currentData() == "sentinel2_l2a"
    assert [d.kind for d in dialog.band_table.decisions()] == ["trained"] * 4
    assert dialog.band_table.item(2, COL_SOURCE).text() == "band name"
    assert dialog.band_table.decision_text(2) == "trained: red 2"


def test_band_table_filled_from_real_sentinel2(dialog, realdata_dir):
    files = sorted(glob.glob(str(realdata_dir / "s2_l2a_bigearthnet" / "*.tif")))
    if not files:
        pytest.skip("no BigEarthNet S2 files")
    dialog.layer_combo.setLayer(_add_raster(files[0], "s2"))
    rows = dialog.band_table.rows()
    assert [r.name for r in rows] == ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09",
                                      "B11", "B12"]
    assert all(r.has_range() for r in rows)
    assert all(d.kind == "trained" for d in dialog.band_table.decisions())
    assert dialog.band_table.band_specs()[3] == "sentinel2_l2a:B04"


def test_editing_a_wavelength_updates_the_decision(dialog, tmp_path):
    dialog.layer_combo.setLayer(_add_raster(s2_like(tmp_path / "scene.tif")))
    table = dialog.band_table
    before = table.decision_text(2)
    assert before == "trained: red 2"
    # Type a range in micrometres: 0.45-0.52 µm is blue, between the trained blue layers.
    table.set_wavelength(2, COL_MIN, "0.45 µm")
    table.set_wavelength(2, COL_MAX, "0.52 µm")
    row = table.rows()[2]
    assert row.min_nm == pytest.approx(450) and row.max_nm == pytest.approx(520)
    assert row.source == "user" and row.spec() == "450-520nm"
    after = table.decision_text(2)
    assert after != before and "red" not in after
    assert table.item(2, COL_DECISION).toolTip()  # explanation shown as tooltip
    # Cirrus band: no layer -> unsupported, red cell, Run disabled with a message naming the band.
    table.set_wavelength(2, COL_MIN, "1345")
    table.set_wavelength(2, COL_MAX, "1406")
    assert table.item(2, COL_DECISION).data(Qt.UserRole) == "unsupported"
    assert not dialog.run_button.isEnabled()
    assert "Band 3" in dialog.validation_label.text()
    # Unticking the band removes the problem.
    table.item(2, COL_INCLUDE).setCheckState(Qt.Unchecked)
    assert table.decisions()[2].kind == "excluded"
    assert table.band_specs()[2] == "skip"
    assert "Band 3" not in dialog.validation_label.text()


def test_invalid_inputs_show_messages_and_do_not_run(dialog, tmp_path, qtbot):
    emitted = []
    dialog.runRequested.connect(lambda job, name: emitted.append(job))
    dialog.layer_combo.setLayer(None)
    assert "Choose an input raster layer." in dialog.validation_label.text()
    assert not dialog.run_button.isEnabled()
    dialog.request_run()
    assert emitted == []

    dialog.layer_combo.setLayer(_add_raster(s2_like(tmp_path / "scene.tif")))
    dialog.output_file.setFilePath(str(tmp_path / "out.tif"))
    assert dialog.validate(), dialog.validation_label.text()

    # Missing model file
    dialog.model_combo.setCurrentIndex(dialog.model_combo.findData("__file__"))
    dialog.model_file.setFilePath(str(tmp_path / "nope.safetensors"))
    assert "nope.safetensors does not exist" in dialog.validation_label.text()
    assert not dialog.run_button.isEnabled()
    dialog.request_run()
    assert emitted == []
    dialog.model_combo.setCurrentIndex(0)

    # Similarity without reference points, change without second raster, classification without field
    dialog.set_product("similarity")
    assert "reference points" in dialog.validation_label.text()
    dialog.set_reference_points([(500100.0, 4999800.0)], "EPSG:32632")
    assert dialog.validate()
    dialog.set_product("change")
    assert "second raster" in dialog.validation_label.text()
    dialog.set_product("classification")
    assert "labelled" in dialog.validation_label.text()

    # Output not a .tif in an existing folder
    dialog.set_product("pca")
    dialog.output_file.setFilePath(str(tmp_path / "missing_dir" / "out.tif"))
    assert "does not exist" in dialog.validation_label.text()


def test_missing_dependency_blocks_run(dialog, tmp_path, monkeypatch):
    from eo_plugin import deps

    monkeypatch.setattr(deps, "is_installed", lambda module: module != "torch")
    dialog.layer_combo.setLayer(_add_raster(s2_like(tmp_path / "scene.tif")))
    dialog.output_file.setFilePath(str(tmp_path / "out.tif"))
    assert not dialog.validate()
    text = dialog.validation_label.text()
    assert "torch" in text and "pip install" in text and "numpy>=1.21,<2" in text


def test_build_job_for_each_product(dialog, tmp_path):
    layer = _add_raster(s2_like(tmp_path / "a.tif"), "a")
    second = _add_raster(s2_like(tmp_path / "b.tif", seed=1), "b")
    dialog.layer_combo.setLayer(layer)
    dialog.output_file.setFilePath(str(tmp_path / "out.tif"))
    dialog.band_table.item(3, COL_INCLUDE).setCheckState(Qt.Unchecked)
    dialog.set_product("clusters")
    dialog.k_spin.setValue(5)
    job = dialog.build_job()
    assert job.product == "clusters" and job.k == 5
    assert job.inputs[0].paths == [str(tmp_path / "a.tif")]
    assert job.inputs[0].bands == ["sentinel2_l2a:B02", "sentinel2_l2a:B03", "sentinel2_l2a:B04", "skip"]
    assert job.output == str(tmp_path / "out.tif")
    job.validate()

    dialog.set_product("change")
    dialog.second_combo.setLayer(second)
    assert dialog.validate(), dialog.validation_label.text()
    job = dialog.build_job()
    assert len(job.inputs) == 2 and job.inputs[1].paths == [str(tmp_path / "b.tif")]
    job.validate()

    labels = QgsVectorLayer(str(make_points(tmp_path / "labels.gpkg", [(500100, 4999900, "crop")])), "labels", "ogr")
    assert labels.isValid()
    QgsProject.instance().addMapLayer(labels)
    dialog.set_product("classification")
    dialog.labels_combo.setLayer(labels)
    dialog.field_combo.setField("class")
    assert dialog.validate(), dialog.validation_label.text()
    job = dialog.build_job()
    assert job.product == "classify" and job.label_field == "class"
    assert job.labels_vector.split("|")[0] == str(tmp_path / "labels.gpkg")
    # A layer of a multi-layer GeoPackage keeps its layer name (the engine opens that layer).
    named = QgsVectorLayer(str(tmp_path / "labels.gpkg") + "|layername=points", "named", "ogr")
    assert named.isValid()
    QgsProject.instance().addMapLayer(named)
    dialog.labels_combo.setLayer(named)
    job = dialog.build_job()
    assert "layername=points" in job.labels_vector
    from engine.vector import list_fields

    assert "class" in list_fields(job.labels_vector)

    dialog.extent_box.setChecked(True)
    dialog.extent_box.setOutputExtentFromOriginal()
    job = dialog.build_job()
    assert job.extent is not None and job.extent_crs == "EPSG:32632"


def test_band_table_survives_project_save_and_reload(qgis_iface, qgis_new_project, qtbot, tmp_path):
    layer = _add_raster(s2_like(tmp_path / "scene.tif"))
    dlg = SmartiesDialog(qgis_iface)
    qtbot.addWidget(dlg)
    dlg.layer_combo.setLayer(layer)
    dlg.band_table.set_wavelength(1, COL_MIN, "0.5 µm")
    dlg.band_table.set_wavelength(1, COL_MAX, "0.58 µm")
    dlg.band_table.item(0, COL_INCLUDE).setCheckState(Qt.Unchecked)
    expected = [r.to_dict() for r in dlg.band_table.rows()]
    layer_id = layer.id()
    project_file = tmp_path / "project.qgz"
    assert QgsProject.instance().write(str(project_file))

    QgsProject.instance().clear()
    assert settings.load_band_table(layer_id) is None
    assert QgsProject.instance().read(str(project_file))
    reloaded = QgsProject.instance().mapLayer(layer_id)
    assert reloaded is not None
    assert settings.load_band_table(layer_id) == expected
    dlg2 = SmartiesDialog(qgis_iface)
    qtbot.addWidget(dlg2)
    dlg2.layer_combo.setLayer(reloaded)
    assert [r.to_dict() for r in dlg2.band_table.rows()] == expected
    assert dlg2.band_table.rows()[1].min_nm == pytest.approx(500)
    assert dlg2.band_table.rows()[0].include is False


def test_last_settings_are_restored(qgis_iface, qgis_new_project, qtbot, tmp_path):
    dlg = SmartiesDialog(qgis_iface)
    qtbot.addWidget(dlg)
    dlg.layer_combo.setLayer(_add_raster(s2_like(tmp_path / "scene.tif")))
    dlg.output_file.setFilePath(str(tmp_path / "out.tif"))
    dlg.set_product("clusters")
    dlg.k_spin.setValue(11)
    dlg.window_spin.setValue(128)
    jobs = []
    dlg.runRequested.connect(lambda job, name: jobs.append((job, name)))
    dlg.request_run()
    assert len(jobs) == 1 and jobs[0][0].window == 128
    assert jobs[0][1] in dlg.status_label.text()  # says the run started and where progress shows
    dlg2 = SmartiesDialog(qgis_iface)
    qtbot.addWidget(dlg2)
    assert dlg2.product() == "clusters" and dlg2.k_spin.value() == 11 and dlg2.window_spin.value() == 128


def test_point_tool_collects_reference_points(dialog, tmp_path, qgis_iface):
    from qgis.core import QgsPointXY

    dialog.layer_combo.setLayer(_add_raster(s2_like(tmp_path / "scene.tif")))
    dialog.set_product("similarity")
    dialog.pick_button.setChecked(True)
    tool = dialog.point_tool
    assert qgis_iface.mapCanvas().mapTool() is tool
    tool.add_point(QgsPointXY(500100, 4999800))
    tool.add_point(QgsPointXY(500200, 4999700))
    assert dialog._reference_points == [(500100, 4999800), (500200, 4999700)]
    assert "2 point(s)" in dialog.points_label.text()
    dialog.pick_button.setChecked(False)
    assert qgis_iface.mapCanvas().mapTool() is not tool


def test_preset_with_other_band_count_then_typed_names(dialog, tmp_path):
    """6 unnamed Landsat-8 SR bands: the 10-band preset cannot apply, typing B2..B7 resolves them."""
    import numpy as np

    from eo_plugin.widgets.band_table import COL_NAME
    from plugin_helpers import make_geotiff

    data = (np.random.default_rng(0).random((6, 32, 32)) * 3000).astype("int16")
    dialog.layer_combo.setLayer(_add_raster(make_geotiff(tmp_path / "scene.tif", data), "l8"))
    dialog.output_file.setFilePath(str(tmp_path / "out.tif"))
    assert not any(r.has_range() for r in dialog.band_table.rows())
    assert "No band is identified" in dialog.validation_label.text() and not dialog.run_button.isEnabled()

    dialog.sensor_combo.setCurrentIndex(dialog.sensor_combo.findData("landsat8"))
    dialog.sensor_combo.activated.emit(dialog.sensor_combo.currentIndex())
    assert "10 bands" in dialog.validation_label.text()  # why the preset was not applied
    assert len(dialog.band_table.rows()) == 6  # the table is kept, not emptied

    for i, name in enumerate(["B2", "B3", "B4", "B5", "B6", "B7"]):
        dialog.band_table.item(i, COL_NAME).setText(name)
    rows = dialog.band_table.rows()
    assert rows[0].sensor == "landsat8" and rows[0].min_nm == 452 and rows[0].max_nm == 512
    assert dialog.band_table.band_specs() == [f"landsat8:B{i}" for i in range(2, 8)]
    assert {d.kind for d in dialog.band_table.decisions()} <= {"trained", "interpolated", "nearest"}
    assert dialog.run_button.isEnabled(), dialog.validation_label.text()


def test_closing_the_dialog_gives_the_canvas_its_tool_back(dialog, qgis_iface, tmp_path):
    dialog.show()
    dialog.set_product("similarity")
    dialog.pick_button.setChecked(True)
    assert qgis_iface.mapCanvas().mapTool() is dialog.point_tool
    dialog.buttons.button(dialog.buttons.Close).click()
    assert not dialog.isVisible()
    assert qgis_iface.mapCanvas().mapTool() is not dialog.point_tool
    assert not dialog.pick_button.isChecked()


def test_same_band_twice_is_reported_before_running(dialog, tmp_path):
    from eo_plugin.widgets.band_table import COL_NAME

    dialog.layer_combo.setLayer(_add_raster(s2_like(tmp_path / "scene.tif")))
    dialog.output_file.setFilePath(str(tmp_path / "out.tif"))
    assert dialog.validate()
    dialog.band_table.item(3, COL_NAME).setText("sentinel2_l2a:B04")  # band 4 typed as B04 again
    assert not dialog.run_button.isEnabled()
    assert "duplicates" in dialog.validation_label.text()


def test_identified_bands_without_a_layer_are_unticked(dialog, tmp_path):
    """Sentinel-2 L1C: B10 (cirrus) has no projection layer; it is unticked with a note, Run stays possible."""
    import numpy as np

    from plugin_helpers import make_geotiff

    names = ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B10", "B11", "B12"]
    data = (np.random.default_rng(0).random((13, 32, 32)) * 3000).astype("uint16")
    dialog.layer_combo.setLayer(_add_raster(make_geotiff(tmp_path / "l1c.tif", data, descriptions=names)))
    dialog.output_file.setFilePath(str(tmp_path / "out.tif"))
    rows = dialog.band_table.rows()
    assert [r.include for r in rows] == [n != "B10" for n in names]
    assert dialog.band_table.band_specs()[10] == "skip"
    assert "11 (B10)" in dialog.validation_label.text()
    assert dialog.run_button.isEnabled()
    # Ticking it again is the user's choice: then Run is blocked with the engine's reason.
    dialog.band_table.item(10, COL_INCLUDE).setCheckState(Qt.Checked)
    assert not dialog.run_button.isEnabled()
    assert "Band 11 (B10)" in dialog.validation_label.text()


def test_hdbscan_random_forest_and_the_device_line(dialog, tmp_path):
    layer = _add_raster(s2_like(tmp_path / "a.tif"), "a")
    dialog.layer_combo.setLayer(layer)
    dialog.output_file.setFilePath(str(tmp_path / "out.tif"))
    dialog.set_product("clusters")
    dialog.cluster_method_combo.setCurrentIndex(dialog.cluster_method_combo.findData("hdbscan"))
    assert not dialog.k_spin.isEnabled() and dialog.min_cluster_size_spin.isEnabled()  # no k to choose
    dialog.min_cluster_size_spin.setValue(30)
    job = dialog.build_job()
    assert job.cluster_method == "hdbscan" and job.min_cluster_size == 30
    job.validate()
    dialog.cluster_method_combo.setCurrentIndex(dialog.cluster_method_combo.findData("kmeans"))
    assert dialog.k_spin.isEnabled() and dialog.build_job().cluster_method == "kmeans"

    labels = QgsVectorLayer(str(make_points(tmp_path / "labels.gpkg", [(500100, 4999900, "crop")])), "labels", "ogr")
    QgsProject.instance().addMapLayer(labels)
    dialog.set_product("classification")
    dialog.labels_combo.setLayer(labels)
    dialog.field_combo.setField("class")
    dialog.classifier_combo.setCurrentIndex(dialog.classifier_combo.findData("random_forest"))
    assert dialog.build_job().classifier == "random_forest"
    assert dialog.build_job().classify_features == "embeddings"  # the default
    dialog.features_combo.setCurrentIndex(dialog.features_combo.findData("bands+embeddings"))
    assert dialog.build_job().classify_features == "bands+embeddings"

    # Advanced: which device a run would use, following the Device choice
    dialog.device_combo.setCurrentIndex(dialog.device_combo.findData("cpu"))
    assert dialog.device_line_label.text().startswith("CPU, ") and "thread" in dialog.device_line_label.text()
    import torch

    if not torch.cuda.is_available():
        dialog.device_combo.setCurrentIndex(dialog.device_combo.findData("cuda"))
        assert "cannot be used" in dialog.device_line_label.text()
