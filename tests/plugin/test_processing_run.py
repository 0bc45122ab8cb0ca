"""Processing algorithms end to end with the real engine and a tiny model: georeferencing and values."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("qgis.core")
pytest.importorskip("torch")
pytest.importorskip("engine.products.dispatch", reason="engine products not there yet")
from qgis.core import QgsApplication, QgsProcessingAlgRunnerTask, QgsProcessingContext, QgsProcessingFeedback  # noqa: E402

try:
    from .processing_helpers import (ORIGIN, PIXEL, assert_token_grid, half_labels, raster_info, valid_values,
                                     write_points, write_s2_like)
    from .processing_helpers import tiny_model as make_tiny_model
except ImportError:
    from processing_helpers import (ORIGIN, PIXEL, assert_token_grid, half_labels, raster_info, valid_values,
                                    write_points, write_s2_like)
    from processing_helpers import tiny_model as make_tiny_model


pytestmark = pytest.mark.qgis


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> str:
    """The bundled default model when it is there, else a tiny random encoder saved for this session."""
    try:
        return make_tiny_model(tmp_path_factory.mktemp("model"))
    except ImportError as err:
        pytest.skip(f"engine.model not there yet: {err}")


@pytest.fixture()
def provider(qgis_processing):
    from eo_plugin.processing.provider import register_provider, unregister_provider

    yield register_provider()
    unregister_provider()


@pytest.fixture()
def s2(tmp_path) -> Path:
    return write_s2_like(tmp_path / "s2.tif")


def run(alg: str, params: dict) -> dict:
    import processing

    return processing.run(f"smarties:{alg}", params, feedback=QgsProcessingFeedback())


def base(tiny_model: str, source, out, **extra) -> dict:
    # these tests look at the token grid itself (maps default to the input grid; see test_map_defaults)
    return {"INPUT": str(source), "MODEL": tiny_model, "WINDOW": 64, "OVERLAP": 0.25, "BATCH_SIZE": 4,
            "DEVICE": "cpu", "OUTPUT": str(out), "AT_INPUT_RESOLUTION": False, **extra}


class _Log(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.lines = []

    def pushInfo(self, info):  # noqa: N802 (Qt override)
        self.lines.append(info)
        super().pushInfo(info)


def test_log_has_the_estimate_then_the_device_once(provider, tiny_model, s2, tmp_path):
    """The Processing log: the estimate with its time, then where the run happens, without a second time."""
    import processing

    log = _Log()
    processing.run("smarties:embeddings", base(tiny_model, s2, tmp_path / "emb.tif"), feedback=log)
    estimate = [line for line in log.lines if line.startswith("Estimate: ")]
    device = [line for line in log.lines if line.startswith("Runs on: ")]
    assert len(estimate) == 1 and " window(s) of " in estimate[0] and " on cpu (" in estimate[0], log.lines
    assert len(device) == 1 and device[0].startswith("Runs on: CPU, ") and "minute" not in device[0], log.lines
    assert log.lines.index(device[0]) == log.lines.index(estimate[0]) + 1, log.lines


def test_embeddings_and_pca(provider, tiny_model, s2, tmp_path):
    emb = run("embeddings", base(tiny_model, s2, tmp_path / "emb.tif"))["OUTPUT"]
    info = assert_token_grid(emb, s2)
    assert info["bands"] >= 16 and np.isfinite(info["values"]).all()
    assert info["values"].std() > 0
    pca = run("pca", base(tiny_model, s2, tmp_path / "pca.tif"))["OUTPUT"]
    info = assert_token_grid(pca, s2)
    values = valid_values(info)
    assert info["bands"] == 3 and np.isfinite(values).all() and values.std() > 0


def test_clusters_find_the_two_halves(provider, tiny_model, s2, tmp_path):
    out = run("clusters", base(tiny_model, s2, tmp_path / "k.tif", K=2))["OUTPUT"]
    info = assert_token_grid(out, s2)
    labels = info["values"][0] if info["values"].ndim == 3 else info["values"]
    assert set(np.unique(valid_values(info)).tolist()) <= {0.0, 1.0}
    # left half (vegetation) and right half (water) of write_s2_like's raster
    left, right = labels[:, :2], labels[:, 2:]
    assert len(np.unique(left)) == 1 and len(np.unique(right)) == 1 and left[0, 0] != right[0, 0]


def test_similarity_to_a_point_is_highest_at_the_point(provider, tiny_model, s2, tmp_path):
    x, y = ORIGIN[0] + 8 * PIXEL, ORIGIN[1] - 8 * PIXEL  # centre of token (0, 0), left half
    out = run("similarity", base(tiny_model, s2, tmp_path / "sim.tif", REFERENCE_POINT=f"{x},{y} [EPSG:32633]"))
    info = assert_token_grid(out["OUTPUT"], s2)
    sim = info["values"]
    assert np.isfinite(sim).all() and sim.min() >= -1.0001 and sim.max() <= 1.0001
    assert sim[0, 0] > 0.99 and sim[:, :2].mean() > sim[:, 2:].mean()
    from osgeo import gdal

    assert gdal.Open(out["OUTPUT"]).GetMetadataItem("SMARTIES_SIMILARITY_MODE") == "mean"  # the default
    best = run("similarity", base(tiny_model, s2, tmp_path / "max.tif", REFERENCE_POINT=f"{x},{y} [EPSG:32633]",
                                  MODE="max"))["OUTPUT"]
    assert gdal.Open(best).GetMetadataItem("SMARTIES_SIMILARITY_MODE") == "max"


def test_change_of_a_raster_with_itself_is_zero(provider, tiny_model, s2, tmp_path):
    other = write_s2_like(tmp_path / "other.tif", seed=5)
    # mirror the two halves: every token changes land cover
    from osgeo import gdal

    ds = gdal.Open(str(other), gdal.GA_Update)
    ds.WriteRaster(0, 0, 64, 64, ds.ReadAsArray()[:, :, ::-1].tobytes())
    ds = None
    same = raster_info(run("change", base(tiny_model, s2, tmp_path / "c0.tif", INPUT_AFTER=str(s2)))["OUTPUT"])
    moved = assert_token_grid(run("change", base(tiny_model, s2, tmp_path / "c1.tif",
                                                 INPUT_AFTER=str(other)))["OUTPUT"], s2)
    assert np.abs(valid_values(same)).max() < 1e-3
    assert np.isfinite(moved["values"]).all() and valid_values(moved).min() > np.abs(valid_values(same)).max()


def test_classify(provider, tiny_model, s2, tmp_path):
    pytest.importorskip("engine.products.classify", reason="classification engine not there yet")
    labels = write_points(tmp_path / "labels.gpkg", half_labels())
    result = run("classify", base(tiny_model, s2, tmp_path / "classes.tif", LABELS=str(labels), LABEL_FIELD="class",
                                  OUTPUT_CONFIDENCE=str(tmp_path / "conf.tif"),
                                  OUTPUT_REPORT=str(tmp_path / "report.html")))
    classes = assert_token_grid(result["OUTPUT"], s2)
    # class indices 0..C-1; the label values are the class names in the metadata
    import json

    from osgeo import gdal

    assert json.loads(gdal.Info(result["OUTPUT"], format="json")["metadata"][""]["SMARTIES_CLASSES"]) == ["1", "2"]
    codes = classes["values"]
    assert set(np.unique(codes).tolist()) == {0.0, 1.0}
    assert (codes[:, :2] == 0).all() and (codes[:, 2:] == 1).all()  # left/right halves
    assert Path(result["OUTPUT_HEAD"]).is_file()
    conf = assert_token_grid(result["OUTPUT_CONFIDENCE"], s2)
    values = valid_values(conf)
    assert np.isfinite(values).all() and values.min() >= 0 and values.max() <= 1
    assert Path(result["OUTPUT_REPORT"]).read_text().count("<table") >= 1


def test_batch_over_two_inputs(provider, tiny_model, tmp_path):
    # What the batch dialog does: the same algorithm, one parameter set per row.
    rows = []
    for i in range(2):
        src = write_s2_like(tmp_path / f"in{i}.tif", seed=i, origin=(ORIGIN[0] + 1000 * i, ORIGIN[1]))
        rows.append(base(tiny_model, src, tmp_path / f"out{i}.tif", K=3))
    outs = [run("clusters", row)["OUTPUT"] for row in rows]
    for row, out in zip(rows, outs):
        assert_token_grid(out, row["INPUT"])
    assert raster_info(outs[0])["geotransform"] != raster_info(outs[1])["geotransform"]


def test_runs_in_a_background_task(provider, tiny_model, s2, tmp_path, qgis_app):
    """The GUI runs algorithms in a QgsTask thread: no FlagNoThreading, so this must work."""
    alg = QgsApplication.processingRegistry().createAlgorithmById("smarties:pca")
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    task = QgsProcessingAlgRunnerTask(alg, base(tiny_model, s2, tmp_path / "task.tif"), context, feedback)
    done = {}
    task.executed.connect(lambda ok, results: done.update(ok=ok, results=results))
    QgsApplication.taskManager().addTask(task)
    import time

    for _ in range(1200):  # waits for the task, not a timing assertion
        qgis_app.processEvents()
        if done:
            break
        time.sleep(0.05)
    assert done.get("ok"), done
    assert_token_grid(done["results"]["OUTPUT"], s2)


# ---- real rasters from ../shared/realdata ------------------------------------------------------


def test_real_sentinel2_l2a_pca(provider, tiny_model, realdata_dir, tmp_path):
    src = sorted((realdata_dir / "s2_l2a_bigearthnet").glob("*_stack12_10m.tif"))[0]
    out = run("pca", base(tiny_model, src, tmp_path / "pca.tif"))["OUTPUT"]
    info = assert_token_grid(out, src)
    assert info["bands"] == 3 and np.isfinite(valid_values(info)).all()


def test_real_landsat8_clusters_with_band_list(provider, tiny_model, realdata_dir, tmp_path):
    # No band descriptions in this file: the band list carries the wavelengths; nodata -9999.
    src = realdata_dir / "l8_sr_brazil" / "LC08_232066_20190727.tif"
    out = run("clusters", base(tiny_model, src, tmp_path / "k.tif", SENSOR="landsat8",
                               BANDS="B2,B3,B4,B5,B6,B7", K=4))["OUTPUT"]
    info = assert_token_grid(out, src)
    values = valid_values(info)
    assert values.size and set(np.unique(values).tolist()) <= {0.0, 1.0, 2.0, 3.0}


def test_real_naip_change_in_an_extent(provider, tiny_model, realdata_dir, tmp_path):
    before = realdata_dir / "naip_rgbn_change" / "m_4709963_se_14_1_20100629.tif"
    after = realdata_dir / "naip_rgbn_change" / "m_4709963_se_14_1_20150926.tif"
    src = raster_info(before)
    gt = src["geotransform"]
    # 160 x 160 px in the upper-left corner, aligned to the pixel grid
    xmin, ymax = gt[0] + 64 * gt[1], gt[3] + 64 * gt[5]
    xmax, ymin = xmin + 160 * gt[1], ymax + 160 * gt[5]
    out = run("change", base(tiny_model, before, tmp_path / "change.tif", INPUT_AFTER=str(after), SENSOR="naip",
                             EXTENT=f"{xmin},{xmax},{ymin},{ymax} [EPSG:26914]"))["OUTPUT"]
    info = raster_info(out)
    ogt = info["geotransform"]
    assert info["epsg"] == src["epsg"] == "26914"
    assert math.isclose(ogt[1], 16 * gt[1]) and math.isclose(ogt[5], 16 * gt[5])
    assert xmin - 16 * gt[1] <= ogt[0] <= xmin + 1e-6 and ymax + 1e-6 >= ogt[3] >= ymax - 16 * abs(gt[5])
    assert info["size"][0] * 16 >= 160 - 16 and info["size"][0] * 16 <= 160 + 32
    values = valid_values(info)
    assert np.isfinite(values).all() and values.min() >= -1e-4 and values.max() <= 2.0001 and values.max() > 0


def test_loaded_results_are_styled(provider, tiny_model, s2, tmp_path):
    """In QGIS, results loaded into the project get the product's style (post-processor)."""
    import processing
    from qgis.core import QgsProject

    pytest.importorskip("eo_plugin.layers")
    project = QgsProject.instance()
    before = set(project.mapLayers())
    processing.runAndLoadResults("smarties:clusters", base(tiny_model, s2, tmp_path / "k.tif", K=2),
                                 feedback=QgsProcessingFeedback())
    processing.runAndLoadResults("smarties:similarity", base(tiny_model, s2, tmp_path / "s.tif",
                                                             REFERENCE_POINT=f"{ORIGIN[0] + 80},{ORIGIN[1] - 80} [EPSG:32633]"),
                                 feedback=QgsProcessingFeedback())
    added = [project.mapLayer(i) for i in set(project.mapLayers()) - before]
    try:
        kinds = {Path(layer.source()).name: layer.renderer().type() for layer in added}
        assert kinds == {"k.tif": "paletted", "s.tif": "singlebandpseudocolor"}
    finally:
        project.removeMapLayers([layer.id() for layer in added])


def test_real_landsat8_classify_from_shapefile(provider, tiny_model, realdata_dir, tmp_path):
    pytest.importorskip("engine.products.classify", reason="classification engine not there yet")
    folder = realdata_dir / "l8_sr_brazil"
    src = folder / "LC08_232066_20190727.tif"
    result = run("classify", base(tiny_model, src, tmp_path / "classes.tif", SENSOR="landsat8",
                                  BANDS="B2,B3,B4,B5,B6,B7", LABELS=str(folder / "endmembers.shp"),
                                  LABEL_FIELD="class", CLASSIFIER="logistic",
                                  OUTPUT_CONFIDENCE=str(tmp_path / "confidence.tif"),
                                  OUTPUT_REPORT=str(tmp_path / "report.html")))
    classes = assert_token_grid(result["OUTPUT"], src)
    codes = valid_values(classes)
    assert codes.size and set(np.unique(codes).tolist()) <= {0.0, 1.0, 2.0, 3.0}
    conf = valid_values(assert_token_grid(result["OUTPUT_CONFIDENCE"], src))
    assert conf.size and np.isfinite(conf).all() and conf.min() >= 0 and conf.max() <= 1
    assert "logistic" in Path(result["OUTPUT_REPORT"]).read_text().lower()


def test_cancel_leaves_no_output(provider, tiny_model, s2, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    feedback = QgsProcessingFeedback()
    # cancel as soon as the model starts reporting progress, like the dialog's Cancel button
    feedback.progressChanged.connect(lambda value: feedback.cancel() if value > 0 else None)
    out = tmp_path / "out" / "emb.tif"
    with pytest.raises(QgsProcessingException, match="(?i)cancel"):
        processing.run("smarties:embeddings", base(tiny_model, s2, out, WINDOW=32), feedback=feedback)
    leftovers = [p.name for p in out.parent.iterdir()] if out.parent.exists() else []
    assert leftovers == []


def test_in_a_model(provider, tiny_model, s2, tmp_path):
    """A graphical model with a SMARTIES step (band list and model as static values) runs."""
    import processing
    from qgis.core import (QgsProcessingModelAlgorithm, QgsProcessingModelChildAlgorithm,
                           QgsProcessingModelChildParameterSource, QgsProcessingModelOutput,
                           QgsProcessingModelParameter, QgsProcessingParameterRasterLayer)

    model = QgsProcessingModelAlgorithm("smarties_test_model", "tests")
    model.addModelParameter(QgsProcessingParameterRasterLayer("scene", "Scene"), QgsProcessingModelParameter("scene"))
    child = QgsProcessingModelChildAlgorithm("smarties:clusters")
    child.setChildId("clusters")
    static = QgsProcessingModelChildParameterSource.fromStaticValue
    child.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource.fromModelParameter("scene")])
    for name, value in {"SENSOR": "sentinel2_l2a", "BANDS": "B01,B02,B03,B04,B05,B06,B07,B08,B8A,B09,B11,B12",
                        "MODEL": tiny_model, "WINDOW": 64, "K": 2, "DEVICE": "cpu", "AT_INPUT_RESOLUTION": False}.items():
        child.addParameterSources(name, [static(value)])
    output = QgsProcessingModelOutput("clusters_out")
    output.setChildId("clusters")
    output.setChildOutputName("OUTPUT")
    child.setModelOutputs({"clusters_out": output})
    model.addChildAlgorithm(child)
    out = tmp_path / "model_clusters.tif"
    result = processing.run(model, {"scene": str(s2), "clusters:clusters_out": str(out)},
                            feedback=QgsProcessingFeedback())
    assert Path(result["clusters:clusters_out"]) == out
    info = assert_token_grid(out, s2)
    assert set(np.unique(valid_values(info)).tolist()) == {0.0, 1.0}


def test_similarity_to_a_layer_at_input_resolution(provider, tiny_model, s2, tmp_path):
    left = [(x, y, c) for x, y, c in half_labels() if c == 1]
    ref = write_points(tmp_path / "ref.gpkg", left)
    out = run("similarity", base(tiny_model, s2, tmp_path / "sim.tif", REFERENCE_LAYER=str(ref),
                                 AT_INPUT_RESOLUTION=True))["OUTPUT"]
    info, src = raster_info(out), raster_info(s2)
    assert info["geotransform"] == src["geotransform"] and info["size"] == src["size"] and info["epsg"] == src["epsg"]
    sim = info["values"]
    assert np.isfinite(sim).all() and sim[:, :32].mean() > sim[:, 32:].mean()


def test_map_defaults_on_the_input_grid(provider, tiny_model, s2, tmp_path):
    """Without AT_INPUT_RESOLUTION, a map comes on the input's grid and embeddings on the token grid."""
    params = {"INPUT": str(s2), "MODEL": tiny_model, "WINDOW": 64, "DEVICE": "cpu", "K": 2}
    out = run("clusters", dict(params, OUTPUT=str(tmp_path / "k.tif")))["OUTPUT"]
    info, src = raster_info(out), raster_info(s2)
    assert info["size"] == src["size"] and info["geotransform"] == src["geotransform"]
    emb = run("embeddings", dict(params, OUTPUT=str(tmp_path / "e.tif")))["OUTPUT"]
    assert_token_grid(emb, s2)


def test_hdbscan_clusters_and_random_forest_classes(provider, tiny_model, s2, tmp_path):
    import json

    from osgeo import gdal

    import processing

    log = _Log()
    params = base(tiny_model, s2, tmp_path / "h.tif", METHOD="hdbscan", MIN_CLUSTER_SIZE=4)
    out = processing.run("smarties:clusters", params, feedback=log)["OUTPUT"]
    # the run's first message, in the Processing log: the device (after the pre-run estimate)
    device = [i for i, line in enumerate(log.lines) if line.startswith("Runs on: CPU, ") and "thread" in line]
    assert device and all(i > device[0] for i, line in enumerate(log.lines) if line.startswith("window ")), log.lines
    labels = assert_token_grid(out, s2)["values"]
    labels = labels[0] if labels.ndim == 3 else labels
    assert gdal.Info(out, format="json")["metadata"][""]["SMARTIES_CLUSTER_METHOD"] == "hdbscan"
    left, right = labels[:, :2], labels[:, 2:]  # no K given: the two materials still come apart
    assert len(np.unique(left)) == 1 and len(np.unique(right)) == 1 and left[0, 0] != right[0, 0]
    points = write_points(tmp_path / "labels.gpkg", half_labels())
    result = run("classify", base(tiny_model, s2, tmp_path / "rf.tif", LABELS=str(points), LABEL_FIELD="class",
                                  CLASSIFIER="random_forest", OUTPUT_CONFIDENCE=str(tmp_path / "conf.tif"),
                                  OUTPUT_REPORT=str(tmp_path / "report.html")))
    codes = assert_token_grid(result["OUTPUT"], s2)["values"]
    assert (codes[:, :2] == 0).all() and (codes[:, 2:] == 1).all()
    head = json.loads(Path(result["OUTPUT_HEAD"]).read_text())
    assert head["classifier"]["kind"] == "random_forest"
    assert "random_forest" in Path(result["OUTPUT_REPORT"]).read_text()
