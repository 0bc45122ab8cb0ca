"""Processing provider: registration, parameters -> JobSpec, errors; the engine run is faked here."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from osgeo import gdal, ogr

pytest.importorskip("qgis.core")
from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsRasterLayer,
)

try:
    from .processing_helpers import EPSG, ORIGIN, PIXEL, half_labels, write_points, write_s2_like
except ImportError:
    from processing_helpers import EPSG, ORIGIN, PIXEL, half_labels, write_points, write_s2_like

ROOT = Path(__file__).resolve().parents[2]
ALGORITHMS = ("embeddings", "pca", "clusters", "similarity", "change", "classify", "seasonal", "inspect_bands")

pytestmark = pytest.mark.qgis


@pytest.fixture()
def provider(qgis_processing):
    from eo_plugin.processing.provider import register_provider, unregister_provider

    provider = register_provider()
    yield provider
    unregister_provider()


@pytest.fixture()
def s2(tmp_path) -> Path:
    return write_s2_like(tmp_path / "s2.tif")


class FakeEngine:
    """Stands in for engine.jobs.run: records the JobSpec and writes a token-grid GeoTIFF."""

    def __init__(self, extra_outputs: bool = False):
        self.jobs = []
        self.extra_outputs = extra_outputs

    def write(self, path: str, like: str, bands: int = 1) -> None:
        src = gdal.Open(like)
        gt = list(src.GetGeoTransform())
        gt[1] *= 16
        gt[5] *= 16
        ds = gdal.GetDriverByName("GTiff").Create(path, src.RasterXSize // 16, src.RasterYSize // 16, bands,
                                                  gdal.GDT_Float32)
        ds.SetGeoTransform(gt)
        ds.SetProjection(src.GetProjection())
        ds.GetRasterBand(1).Fill(0.5)
        ds = None

    def __call__(self, job, progress=None, cancel=None):
        from engine.jobs import JobResult

        job.validate()
        self.jobs.append(job)
        progress(0.5, "half way")
        self.write(job.output, job.inputs[0].paths[0])
        outputs = {job.product: job.output}
        if job.product == "classify":
            outputs = {"classes": job.output, "confidence": job.output[:-4] + "_confidence.tif"}
            self.write(outputs["confidence"], job.inputs[0].paths[0])
        return JobResult(outputs=outputs, report={"accuracy": 0.75, "classes": [{"code": 1, "samples": 9}]})


@pytest.fixture()
def fake_engine(monkeypatch):
    import engine.jobs

    fake = FakeEngine()
    monkeypatch.setattr(engine.jobs, "run", fake)
    # ...and its pre-run estimate (which would read the fake model file)
    from engine.preflight import Estimate

    fake_estimate = Estimate(windows=1, input_sizes=[[64, 64]], token_grids=[[4, 4]], embed_dim=8, bands=[4],
                             seconds=0.5, seconds_source="model", peak_memory_bytes=1 << 20,
                             available_memory_bytes=1 << 30, output_bytes=1 << 10, free_disk_bytes=1 << 30,
                             device="cpu")
    monkeypatch.setattr("engine.preflight.preflight", lambda job, measure=True: fake_estimate)
    # The dependency check must not depend on this machine having torch for these tests.
    monkeypatch.setattr("eo_plugin.processing.base.missing_dependencies_message", lambda backend="torch": "")
    return fake


def run(alg: str, params: dict, feedback=None) -> dict:
    import processing

    return processing.run(f"smarties:{alg}", params, feedback=feedback or QgsProcessingFeedback())


def test_provider_lists_every_algorithm_with_help(provider):
    ids = sorted(a.name() for a in provider.algorithms())
    assert ids == sorted(ALGORITHMS)
    assert provider.id() == "smarties" and not provider.icon().isNull()
    for alg in provider.algorithms():
        text = alg.shortHelpString()
        assert "634-696nm" in text and "skip" in text, alg.name()
        assert alg.displayName() and not (alg.flags() & alg.FlagNoThreading), alg.name()
        if alg.name() != "inspect_bands":
            assert "Model" in text and "16" in text


def test_register_is_idempotent(qgis_processing):
    from eo_plugin.processing.provider import register_provider, unregister_provider

    registry = QgsApplication.processingRegistry()
    first = register_provider()
    assert register_provider() is first
    assert len([p for p in registry.providers() if p.id() == "smarties"]) == 1
    unregister_provider()
    unregister_provider()
    assert registry.providerById("smarties") is None


def test_provider_import_does_not_import_torch():
    code = ("import sys; sys.path.insert(0, %r); import eo_plugin.processing.provider as p; "
            "p.algorithm_classes(); assert 'torch' not in sys.modules, 'torch imported'; "
            "assert 'onnxruntime' not in sys.modules" % str(ROOT))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_missing_torch_says_what_to_install(provider, s2, tmp_path, monkeypatch):
    import eo_plugin.deps as deps

    real = deps.is_installed
    monkeypatch.setattr(deps, "is_installed", lambda module: module != "torch" and real(module))
    with pytest.raises(QgsProcessingException, match=r"(?s)torch.*pip install"):
        run("pca", {"INPUT": str(s2), "OUTPUT": str(tmp_path / "pca.tif")})
    assert not (tmp_path / "pca.tif").exists()


def test_parameters_become_the_jobspec(provider, fake_engine, s2, tmp_path):
    model = tmp_path / "my_model.safetensors"
    model.write_bytes(b"x")
    out = tmp_path / "sub" / "clusters.tif"
    # Extent given in WGS84: it must arrive in the raster's CRS (UTM 33N).
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject, QgsRectangle

    utm = QgsRectangle(ORIGIN[0], ORIGIN[1] - 32 * PIXEL, ORIGIN[0] + 32 * PIXEL, ORIGIN[1])
    to_wgs = QgsCoordinateTransform(QgsCoordinateReferenceSystem(f"EPSG:{EPSG}"),
                                    QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    wgs = to_wgs.transformBoundingBox(utm)
    extent = f"{wgs.xMinimum()},{wgs.xMaximum()},{wgs.yMinimum()},{wgs.yMaximum()} [EPSG:4326]"
    result = run("clusters", {
        "INPUT": str(s2), "SENSOR": "sentinel2_l2a", "BANDS": "B01, B02,B03,B04,B05,B06,B07,B08,B8A,B09,skip,634-696nm",
        "K": 3, "MODEL": str(model), "WINDOW": 64, "OVERLAP": 0.5, "BATCH_SIZE": 2, "DEVICE": "cpu",
        "BACKEND": "onnxruntime", "EXTENT": extent, "OUTPUT": str(out)})
    job = fake_engine.jobs[-1]
    assert result["OUTPUT"] == str(out) and out.exists()
    assert job.product == "clusters" and job.k == 3 and job.output == str(out)
    assert job.inputs[0].paths == [str(s2)] and job.inputs[0].sensor == "sentinel2_l2a"
    assert job.inputs[0].bands[-2:] == ["skip", "634-696nm"] and len(job.inputs[0].bands) == 12
    assert job.model == str(model) and job.window == 64 and job.overlap == 0.5 and job.batch_size == 2
    assert job.device == "cpu" and job.backend == "onnxruntime"
    assert job.extent_crs == f"EPSG:{EPSG}"
    # the bounding box of the transformed box contains the UTM box and is close to it
    assert job.extent[0] <= utm.xMinimum() + 1e-6 and job.extent[2] >= utm.xMaximum() - 1e-6
    assert abs(job.extent[0] - utm.xMinimum()) < 30 and abs(job.extent[3] - utm.yMaximum()) < 30


def test_extra_band_files_are_stacked(provider, fake_engine, s2, tmp_path):
    extra = write_s2_like(tmp_path / "extra.tif", seed=2)
    run("embeddings", {"INPUT": str(s2), "INPUT_EXTRA": [str(extra)], "OUTPUT": str(tmp_path / "e.tif")})
    assert fake_engine.jobs[-1].inputs[0].paths == [str(s2), str(extra)]


def test_defaults_identify_from_file(provider, fake_engine, s2, tmp_path):
    result = run("embeddings", {"INPUT": str(s2), "OUTPUT": "TEMPORARY_OUTPUT"})
    assert result["OUTPUT"].endswith(".tif") and Path(result["OUTPUT"]).is_file()
    job = fake_engine.jobs[-1]
    assert job.inputs[0].bands is None and job.inputs[0].sensor is None
    assert job.model == "default" and job.window == 224 and job.extent is None and job.device == "auto"


def test_similarity_point_is_transformed(provider, fake_engine, s2, tmp_path):
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

    to_wgs = QgsCoordinateTransform(QgsCoordinateReferenceSystem(f"EPSG:{EPSG}"),
                                    QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    x, y = ORIGIN[0] + 100, ORIGIN[1] - 200
    p = to_wgs.transform(QgsPointXY(x, y))
    run("similarity", {"INPUT": str(s2), "REFERENCE_POINT": f"{p.x()},{p.y()} [EPSG:4326]",
                       "OUTPUT": str(tmp_path / "s.tif")})
    job = fake_engine.jobs[-1]
    (px, py), = job.reference_points
    assert abs(px - x) < 0.01 and abs(py - y) < 0.01 and job.reference_crs == f"EPSG:{EPSG}"


def test_similarity_needs_a_reference(provider, fake_engine, s2, tmp_path):
    with pytest.raises(QgsProcessingException, match="reference"):
        run("similarity", {"INPUT": str(s2), "OUTPUT": str(tmp_path / "s.tif")})
    assert not fake_engine.jobs


def test_classify_exports_labels_and_moves_outputs(provider, fake_engine, s2, tmp_path):
    # Labels in WGS84 (other CRS than the raster) and with extra fields: the engine must get one
    # GeoPackage in the raster CRS with just the class field.
    from osgeo import osr

    utm, wgs = osr.SpatialReference(), osr.SpatialReference()
    utm.ImportFromEPSG(EPSG)
    wgs.ImportFromEPSG(4326)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_wgs = osr.CoordinateTransformation(utm, wgs)
    points = [(*to_wgs.TransformPoint(x, y)[:2], c) for x, y, c in half_labels()]
    labels = write_points(tmp_path / "labels.gpkg", points, epsg=4326)
    conf = tmp_path / "out" / "confidence.tif"
    report = tmp_path / "out" / "report.html"
    result = run("classify", {"INPUT": str(s2), "LABELS": str(labels), "LABEL_FIELD": "class",
                              "CLASSIFIER": "knn", "OUTPUT": str(tmp_path / "out" / "classes.tif"),
                              "OUTPUT_CONFIDENCE": str(conf), "OUTPUT_REPORT": str(report)})
    job = fake_engine.jobs[-1]
    assert job.classifier == "knn" and job.label_field == "class"
    ds = ogr.Open(job.labels_vector)
    layer = ds.GetLayer(0)
    assert layer.GetFeatureCount() == len(half_labels())
    assert [layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())] == ["class"]
    assert layer.GetSpatialRef().GetAuthorityCode(None) == str(EPSG)
    got = sorted((round(f.GetGeometryRef().GetX(), 3), round(f.GetGeometryRef().GetY(), 3), f.GetField("class"))
                 for f in layer)
    assert got == sorted((round(x, 3), round(y, 3), c) for x, y, c in half_labels())
    assert result["OUTPUT_CONFIDENCE"] == str(conf) and conf.exists()
    assert not Path(job.output[:-4] + "_confidence.tif").exists()  # moved, not copied
    text = report.read_text()
    assert "0.75" in text and "knn" in text


def test_classify_unknown_field_is_named(provider, fake_engine, s2, tmp_path):
    labels = write_points(tmp_path / "labels.gpkg", half_labels())
    with pytest.raises(QgsProcessingException):
        run("classify", {"INPUT": str(s2), "LABELS": str(labels), "LABEL_FIELD": "landcover",
                         "OUTPUT": str(tmp_path / "c.tif")})
    assert not fake_engine.jobs


def test_classify_features_parameter_reaches_the_jobspec(provider, fake_engine, s2, tmp_path):
    from engine.products.features import FEATURE_MODES

    labels = write_points(tmp_path / "labels.gpkg", half_labels())
    base = {"INPUT": str(s2), "LABELS": str(labels), "LABEL_FIELD": "class"}
    run("classify", {**base, "OUTPUT": str(tmp_path / "a.tif")})
    assert fake_engine.jobs[-1].classify_features == "embeddings"  # the default
    run("classify", {**base, "FEATURES": "bands+embeddings", "OUTPUT": str(tmp_path / "b.tif")})
    assert fake_engine.jobs[-1].classify_features == "bands+embeddings"
    alg = QgsApplication.processingRegistry().algorithmById("smarties:classify")
    assert alg.parameterDefinition("FEATURES").options() == list(FEATURE_MODES)


def test_change_passes_two_rasters(provider, fake_engine, s2, tmp_path):
    after = write_s2_like(tmp_path / "after.tif", seed=3)
    run("change", {"INPUT": str(s2), "INPUT_AFTER": str(after), "BANDS": "sentinel2:B04,B03",
                   "OUTPUT": str(tmp_path / "c.tif")})
    job = fake_engine.jobs[-1]
    assert [i.paths for i in job.inputs] == [[str(s2)], [str(after)]]
    assert job.inputs[1].bands == job.inputs[0].bands == ["sentinel2:B04", "B03"]


def test_not_a_geotiff_output_is_refused(provider, fake_engine, s2, tmp_path):
    with pytest.raises(QgsProcessingException, match="GeoTIFF"):
        run("pca", {"INPUT": str(s2), "OUTPUT": str(tmp_path / "pca.vrt")})


def test_non_file_raster_is_refused(provider, fake_engine, tmp_path):
    from eo_plugin.processing.params import raster_path

    layer = QgsRasterLayer("type=xyz&url=http://localhost/{z}/{x}/{y}.png", "tiles", "wms")
    with pytest.raises(QgsProcessingException, match="GeoTIFF"):
        raster_path(layer)


def test_engine_errors_become_processing_errors(provider, s2, tmp_path, monkeypatch):
    import engine.jobs
    from engine.errors import BandError, JobCancelled

    monkeypatch.setattr("eo_plugin.processing.base.missing_dependencies_message", lambda backend="torch": "")

    def fail(job, progress=None, cancel=None):
        raise BandError("Band 3 'B10' has no projection layer: mark it 'skip' with --bands.")

    monkeypatch.setattr(engine.jobs, "run", fail)
    # the engine's command-line advice is reworded with the Processing parameter name
    with pytest.raises(QgsProcessingException, match=r"B10.*the Bands parameter \(BANDS\)"):
        run("pca", {"INPUT": str(s2), "OUTPUT": str(tmp_path / "p.tif")})

    def cancelled(job, progress=None, cancel=None):
        assert cancel() is True
        raise JobCancelled("Cancelled by the user.")

    monkeypatch.setattr(engine.jobs, "run", cancelled)
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    with pytest.raises(QgsProcessingException, match="Cancel"):
        run("pca", {"INPUT": str(s2), "OUTPUT": str(tmp_path / "p.tif")}, feedback)


def test_progress_reaches_feedback(provider, fake_engine, s2, tmp_path):
    seen = []
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(seen.append)
    run("pca", {"INPUT": str(s2), "OUTPUT": str(tmp_path / "p.tif")}, feedback)
    assert 50.0 in seen


def test_inspect_bands_table_and_json(provider, s2, tmp_path):
    pytest.importorskip("engine.bands")
    import json

    html = tmp_path / "bands.html"
    result = run("inspect_bands", {"INPUT": str(s2), "OUTPUT": str(html)})
    decisions = json.loads(result["DECISIONS"])
    assert len(decisions) == 12 and all(d["decision"] == "trained" for d in decisions)
    assert [d["layer_index"] for d in decisions] == [0, 1, 4, 6, 7, 8, 10, 9, 11, 12, 13, 14]
    assert "B8A" in result["TABLE"] and "B8A" in html.read_text()


def test_inspect_bands_with_a_band_list(provider, s2, tmp_path):
    pytest.importorskip("engine.bands")
    import json

    bands = "sentinel2:B04,skip,skip,skip,skip,skip,skip,skip,skip,skip,skip,452-512nm"
    result = run("inspect_bands", {"INPUT": str(s2), "BANDS": bands, "OUTPUT": str(tmp_path / "b.html")})
    decisions = json.loads(result["DECISIONS"])
    assert [d["layer_index"] for d in decisions] == [6, 18]
    with pytest.raises(QgsProcessingException, match="12 band"):
        run("inspect_bands", {"INPUT": str(s2), "BANDS": "B02,B03", "OUTPUT": str(tmp_path / "b.html")})


def test_classify_memory_layer_with_fid_field_and_selection(provider, fake_engine, s2, tmp_path):
    """Memory layers, a class field named 'fid' and 'selected features only' all reach the engine."""
    from qgis.core import (QgsFeature, QgsGeometry, QgsPointXY, QgsProcessingFeatureSourceDefinition, QgsProject,
                           QgsVectorLayer)

    layer = QgsVectorLayer(f"Point?crs=EPSG:{EPSG}&field=fid:integer&field=name:string", "labels", "memory")
    features = []
    for x, y, c in half_labels():
        f = QgsFeature(layer.fields())
        f.setAttributes([c, "x"])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)
    try:
        layer.selectByIds([f.id() for f in layer.getFeatures()][:4])
        source = QgsProcessingFeatureSourceDefinition(layer.id(), True)
        run("classify", {"INPUT": str(s2), "LABELS": source, "LABEL_FIELD": "fid",
                         "OUTPUT": str(tmp_path / "c.tif")})
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    job = fake_engine.jobs[-1]
    ds = ogr.Open(job.labels_vector)
    values = sorted(f.GetField("fid") for f in ds.GetLayer(0))
    assert job.label_field == "fid" and len(values) == 4 and set(values) <= {1, 2}


NO_TORCH_SCRIPT = """
import sys
for name in ("torch", "onnxruntime", "safetensors"):
    sys.modules[name] = None  # as if not installed: importing them raises ImportError
sys.path[:0] = [{root!r}, "/usr/share/qgis/python/plugins"]
from qgis.core import QgsApplication
app = QgsApplication([], False)
app.initQgis()
from processing.core.Processing import Processing
Processing.initialize()
import processing
from eo_plugin.processing.provider import register_provider
register_provider()
result = processing.run("smarties:inspect_bands", {{"INPUT": {src!r}, "OUTPUT": {html!r}}})
assert "B8A" in result["TABLE"], result["TABLE"]
try:
    processing.run("smarties:pca", {{"INPUT": {src!r}, "OUTPUT": {out!r}}})
except Exception as err:
    print("ERROR:", err)
"""


def test_without_torch_provider_loads_and_explains(s2, tmp_path):
    """No torch/onnxruntime/safetensors at all: inspect_bands works, model algorithms say what to install."""
    pytest.importorskip("engine.bands")
    code = NO_TORCH_SCRIPT.format(root=str(ROOT), src=str(s2), html=str(tmp_path / "b.html"),
                                  out=str(tmp_path / "pca.tif"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ERROR:" in done.stdout and "torch" in done.stdout and "pip install" in done.stdout
    assert not (tmp_path / "pca.tif").exists()


def test_pca_composite_and_cluster_method_reach_the_jobspec(provider, fake_engine, s2, tmp_path):
    run("pca", {"INPUT": str(s2), "COMPOSITE": "umap", "OUTPUT": str(tmp_path / "u.tif")})
    assert fake_engine.jobs[-1].composite_method == "umap"
    run("pca", {"INPUT": str(s2), "OUTPUT": str(tmp_path / "p.tif")})
    assert fake_engine.jobs[-1].composite_method == "pca"
    run("clusters", {"INPUT": str(s2), "METHOD": "hdbscan", "MIN_CLUSTER_SIZE": 12, "OUTPUT": str(tmp_path / "h.tif")})
    job = fake_engine.jobs[-1]
    assert job.cluster_method == "hdbscan" and job.min_cluster_size == 12
