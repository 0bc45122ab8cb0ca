"""Dialog: reference band mapping in the band table, model scale shown, a second sensor fused."""
from __future__ import annotations

import pytest
from qgis.core import QgsProject, QgsRasterLayer

from eo_plugin.dialogs.main_dialog import SmartiesDialog

pytestmark = pytest.mark.qgis


def _add_raster(path, name):
    layer = QgsRasterLayer(str(path), name, "gdal")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture
def dialog(qgis_iface, qgis_new_project, qtbot):
    from qgis.core import QgsSettings

    QgsSettings().remove("smarties/last")
    dlg = SmartiesDialog(qgis_iface)
    qtbot.addWidget(dlg)
    yield dlg
    dlg.release_map_tools()
    QgsSettings().remove("smarties/last")


def test_naip_bands_use_the_reference_layers(dialog, realdata_dir):
    path = sorted((realdata_dir / "naip_rgbn_change").glob("*.tif"))[0]
    dialog.layer_combo.setLayer(_add_raster(path, "naip"))
    dialog.sensor_combo.setCurrentIndex(dialog.sensor_combo.findData("naip"))
    dialog._on_sensor_chosen()
    assert dialog.interp_combo.currentData() == "reference"
    decisions = dialog.band_table.decisions()
    assert [d.kind for d in decisions] == ["nearest"] * 4
    texts = [dialog.band_table.decision_text(i) for i in range(4)]
    assert texts[0].startswith("nearest: red 1") and "reference mapping" in texts[0]
    assert texts[3].startswith("nearest: NIR 1")


def test_scale_text_follows_the_model(dialog):
    box = dialog.fidelity_box
    box.set_model("default")
    assert box.scale_label.text() == "model scale: native (x1)"
    box.set_model("smarties-v1-vitb", "sentinel2_l2a")
    assert box.scale_label.text() == "model scale: x1.87, about 3.5x the compute"
    box.scale_combo.setCurrentIndex(box.scale_combo.findData("native"))
    assert box.scale_label.text() == "model scale: native (x1)"
    assert "SENTINEL2-L2A" in box.statistics_label.text() and "pretraining_sensors.yaml" in box.statistics_label.text()
    box.set_model("smarties-v1-vitb", "naip")
    assert box.statistics_label.text() == "statistics computed from this raster (the model card has none for naip)"


def test_sentinel2_sentinel1_pair_gives_fused_embeddings(dialog, realdata_dir, reference_dir, tmp_path):
    from osgeo import gdal

    from engine.jobs import run

    s2 = sorted((realdata_dir / "s2_l2a_bigearthnet").glob("*87_48_stack12_10m.tif"))
    s1 = sorted((realdata_dir / "s1_grd_bigearthnet").glob("*87_48_VV_VH_dB.tif"))
    if not (s2 and s1):
        pytest.skip("BigEarthNet pair not in ../shared/realdata")
    dialog.layer_combo.setLayer(_add_raster(s2[0], "s2"))
    dialog.fidelity_box.second_sensor_combo.setLayer(_add_raster(s1[0], "s1"))
    dialog.set_product("embeddings")
    dialog.output_file.setFilePath(str(tmp_path / "fused.tif"))
    job = dialog.build_job()
    assert len(job.inputs) == 2 and job.fusion == "concat" and job.inputs[1].paths == [str(s1[0])]
    job.model = str(reference_dir / "smarties_tiny" / "weights.safetensors")
    job.window, job.device = 128, "cpu"
    result = run(job)
    ds = gdal.Open(result.outputs["embeddings"])
    assert ds.RasterCount == 384 and ds.GetMetadataItem("SMARTIES_FUSION") == "concat"
