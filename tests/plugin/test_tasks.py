"""Running a job as a QgsTask: layers added styled from saved files; cancel and errors handled."""
from __future__ import annotations

import os
import threading
import time

import numpy as np
import pytest
from qgis.core import QgsMultiBandColorRenderer, QgsPalettedRasterRenderer, QgsProject

from engine import jobs as engine_jobs
from engine.errors import JobCancelled, RasterError
from engine.jobs import JobResult, JobSpec, RasterInput
from eo_plugin.tasks import SmartiesTask, start
from plugin_helpers import make_geotiff, s2_like

pytestmark = pytest.mark.qgis


def _job(tmp_path, product="clusters", model="default"):
    src = s2_like(tmp_path / "scene.tif", size=64)
    return JobSpec(product=product, inputs=[RasterInput(paths=[str(src)], bands=None)],
                   output=str(tmp_path / f"{product}.tif"), model=model, window=64, overlap=0.0, batch_size=4,
                   device="cpu", k=3)


def _run_task(qtbot, task, timeout=60_000):
    done = []
    task.on_done = lambda t: done.append(t)
    start(task)
    qtbot.waitUntil(lambda: bool(done), timeout=timeout)
    return task


def _fake_run_writing(product_data):
    """A stand-in for engine.jobs.run that reports progress and writes a small GeoTIFF atomically."""

    def fake_run(job, progress=None, cancel=None):
        assert threading.current_thread() is not threading.main_thread()  # off the GUI thread
        for i in range(5):
            if cancel():
                raise JobCancelled("cancelled")
            progress(i / 5, "working")
        tmp = job.output + ".part.tif"
        make_geotiff(tmp, product_data)
        os.replace(tmp, job.output)
        return JobResult({job.product: job.output}, {"fake": True})

    return fake_run


def test_task_adds_styled_layers_from_saved_files(qgis_iface, qgis_new_project, qtbot, tmp_path, monkeypatch):
    data = np.repeat(np.arange(3, dtype="uint8"), 64 * 64 // 3 + 1)[: 64 * 64].reshape(64, 64)
    monkeypatch.setattr(engine_jobs, "run", _fake_run_writing(data))
    job = _job(tmp_path)
    task = _run_task(qtbot, SmartiesTask(job, "Clusters run", iface=qgis_iface))
    assert task.error == "" and not task.was_cancelled
    assert len(task.layers) == 1
    layer = task.layers[0]
    assert layer.source() == job.output and os.path.isfile(job.output)
    assert isinstance(layer.renderer(), QgsPalettedRasterRenderer)
    group = QgsProject.instance().layerTreeRoot().findGroup("Clusters run")
    assert group is not None and group.findLayers()[0].layer() is layer


def test_cancel_leaves_no_layer_and_no_file(qgis_iface, qgis_new_project, qtbot, tmp_path, monkeypatch):
    started = threading.Event()

    def slow_run(job, progress=None, cancel=None):
        started.set()
        partial = job.output + ".tmp.tif"
        with open(partial, "wb") as fh:
            fh.write(b"partial")
        try:
            for _ in range(2000):  # up to ~20 s, but stops as soon as the task is cancelled
                if cancel():
                    raise JobCancelled("Cancelled by the user; nothing was written.")
                time.sleep(0.01)
        finally:
            os.remove(partial)  # what the engine does: temp files never outlive the run
        raise AssertionError("cancel was never seen")

    monkeypatch.setattr(engine_jobs, "run", slow_run)
    job = _job(tmp_path)
    task = SmartiesTask(job, "Cancelled run", iface=qgis_iface)
    done = []
    task.on_done = lambda t: done.append(t)
    start(task)
    qtbot.waitUntil(started.is_set, timeout=20_000)
    task.cancel()
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert task.was_cancelled and task.layers == []
    assert not os.path.exists(job.output)
    assert [p for p in os.listdir(tmp_path) if p.startswith("clusters")] == []
    assert QgsProject.instance().layerTreeRoot().findGroup("Cancelled run") is None


def test_engine_error_goes_to_message_bar(qgis_iface, qgis_new_project, qtbot, tmp_path, monkeypatch):
    from qgis.core import Qgis

    def failing_run(job, progress=None, cancel=None):
        raise RasterError("Cannot read /data/x.tif band 3: file truncated; re-download it.")

    monkeypatch.setattr(engine_jobs, "run", failing_run)
    qgis_iface.messageBar().clear_messages()
    task = _run_task(qtbot, SmartiesTask(_job(tmp_path), "Broken run", iface=qgis_iface))
    assert task.layers == [] and "file truncated" in task.error
    critical = qgis_iface.messageBar().get_messages(Qgis.Critical)
    assert any("file truncated" in m for m in critical)


def test_plugin_start_job_runs_task(qgis_iface, qgis_new_project, qtbot, tmp_path, monkeypatch):
    from eo_plugin.plugin import SmartiesPlugin

    data = np.random.default_rng(0).normal(size=(3, 16, 16)).astype("float32")
    monkeypatch.setattr(engine_jobs, "run", _fake_run_writing(data))
    plugin = SmartiesPlugin(qgis_iface)
    task = plugin.start_job(_job(tmp_path, product="pca"), "PCA run")
    assert task in plugin.tasks
    qtbot.waitUntil(lambda: task not in plugin.tasks, timeout=60_000)
    group = QgsProject.instance().layerTreeRoot().findGroup("PCA run")
    assert group is not None
    layer = group.findLayers()[0].layer()
    assert isinstance(layer.renderer(), QgsMultiBandColorRenderer)


@pytest.mark.slow
def test_real_engine_run_with_tiny_model(qgis_iface, qgis_new_project, qtbot, tmp_path, reference_dir):
    """The real engine (engine.products.dispatch) with the small reference checkpoint."""
    weights = reference_dir / "smarties_tiny" / "weights.safetensors"
    if not weights.is_file():
        pytest.skip("tiny reference checkpoint missing")
    pytest.importorskip("torch")
    job = _job(tmp_path, product="pca", model=str(weights))
    task = _run_task(qtbot, SmartiesTask(job, "Real PCA", iface=qgis_iface), timeout=120_000)
    assert task.error == "", task.detail
    assert [lyr.source() for lyr in task.layers] == [job.output]
    layer = task.layers[0]
    assert layer.bandCount() == 3 and isinstance(layer.renderer(), QgsMultiBandColorRenderer)
    assert [p for p in os.listdir(tmp_path) if ".tmp" in p or p.endswith(".part")] == []


@pytest.mark.slow
def test_real_engine_cancel_mid_run_leaves_nothing(qgis_iface, qgis_new_project, qtbot, tmp_path, reference_dir):
    """Cancel as soon as the real engine reports progress: no layer, no output, no temp file."""
    weights = reference_dir / "smarties_tiny" / "weights.safetensors"
    if not weights.is_file():
        pytest.skip("tiny reference checkpoint missing")
    pytest.importorskip("torch")

    class CancelOnProgress(SmartiesTask):
        def _progress(self, fraction, message=""):
            super()._progress(fraction, message)
            if fraction > 0:
                self.cancel()

    job = _job(tmp_path, product="clusters", model=str(weights))
    before = set(os.listdir(tmp_path))
    task = _run_task(qtbot, CancelOnProgress(job, "Real cancel", iface=qgis_iface), timeout=120_000)
    assert task.was_cancelled, task.error
    assert task.layers == []
    assert set(os.listdir(tmp_path)) == before


@pytest.mark.slow
def test_dialog_to_layers_classification_end_to_end(qgis_iface, qgis_new_project, qtbot, tmp_path, reference_dir):
    """Dialog -> JobSpec -> task -> real engine -> class and confidence layers, styled with class names."""
    from qgis.core import QgsRasterLayer, QgsSingleBandPseudoColorRenderer, QgsVectorLayer

    from eo_plugin.dialogs.main_dialog import SmartiesDialog
    from eo_plugin.plugin import SmartiesPlugin
    from plugin_helpers import make_points

    weights = reference_dir / "smarties_tiny" / "weights.safetensors"
    if not weights.is_file():
        pytest.skip("tiny reference checkpoint missing")
    pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    data = (rng.random((4, 128, 128)) * 300 + 500).astype("uint16")
    data[:, :, 64:] += 2000  # right half bright
    src = make_geotiff(tmp_path / "scene.tif", data, descriptions=("B02", "B03", "B04", "B08"))
    pts = [(500000 + 10 * x + 5, 5000000 - 10 * y - 5, "dark" if x < 64 else "bright")
           for x, y in rng.integers(0, 128, (60, 2))]
    labels = QgsVectorLayer(str(make_points(tmp_path / "labels.gpkg", pts)), "labels", "ogr")
    raster = QgsRasterLayer(str(src), "scene", "gdal")
    QgsProject.instance().addMapLayers([raster, labels])

    dlg = SmartiesDialog(qgis_iface)
    qtbot.addWidget(dlg)
    dlg.layer_combo.setLayer(raster)
    dlg.set_product("classification")
    dlg.labels_combo.setLayer(labels)
    dlg.field_combo.setField("class")
    dlg.model_combo.setCurrentIndex(dlg.model_combo.findData("__file__"))
    dlg.model_file.setFilePath(str(weights))
    dlg.window_spin.setValue(64)
    dlg.overlap_spin.setValue(0.0)
    dlg.device_combo.setCurrentIndex(dlg.device_combo.findData("cpu"))
    dlg.output_file.setFilePath(str(tmp_path / "landcover.tif"))
    assert dlg.validate(), dlg.validation_label.text()

    plugin = SmartiesPlugin(qgis_iface)
    tasks = []
    dlg.runRequested.connect(lambda job, name: tasks.append(plugin.start_job(job, name)))
    dlg.run_button.click()
    assert len(tasks) == 1
    task = tasks[0]
    qtbot.waitUntil(lambda: task not in plugin.tasks, timeout=120_000)
    assert task.error == "", task.detail
    sources = {os.path.basename(lyr.source()): lyr for lyr in task.layers}
    assert set(sources) == {"landcover.tif", "landcover_confidence.tif"}
    classes = sources["landcover.tif"].renderer()
    assert isinstance(classes, QgsPalettedRasterRenderer)
    assert sorted(c.label for c in classes.classes()) == ["bright", "dark"]
    assert isinstance(sources["landcover_confidence.tif"].renderer(), QgsSingleBandPseudoColorRenderer)
