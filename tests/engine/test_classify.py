"""Classification from labelled vectors on (synthetic) embedding rasters: accuracy, outputs, heads, errors."""
from __future__ import annotations

import json
import os
from types import SimpleNamespace

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

from engine.classifiers import fit_classifier
from engine.validation import cross_validate, stratified_group_folds
from engine.errors import JobCancelled, JobError
from engine.jobs import JobSpec, RasterInput
from engine.products import classify
from engine.products.classify import (Head, apply_head, run_classify, samples_from_embeddings, train_head,
                                      write_class_rasters, token_scores)
from engine.vector import VectorError

gdal.UseExceptions()
ogr.UseExceptions()

NAMES = ["crop", "forest", "urban", "water"]
TOKEN_GT = (300000.0, 160.0, 0.0, 5000000.0, 0.0, -160.0)  # 16 x 10 m pixels
BANDS = [{"name": n, "min_nm": lo, "max_nm": hi, "mix": [[i, 1.0]]}
         for i, (n, lo, hi) in enumerate([("B02", 458, 523), ("B03", 543, 578), ("B04", 650, 680)])]


def _srs():
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32632)
    return srs


def true_classes(h=30, w=40):
    """Class map with four blocky regions plus a lake: classes depend on position only."""
    r, c = np.mgrid[0:h, 0:w]
    cls = np.where(c < w // 2, np.where(r < h // 2, 0, 1), np.where(r < h // 2, 2, 1))
    cls[(r - 20) ** 2 + (c - 30) ** 2 < 30] = 3
    return cls


def write_embeddings(path, cls, dim=16, noise=0.6, seed=0, gt=TOKEN_GT, nodata_box=True, centres_seed=42):
    """Token-grid embeddings GeoTIFF: class centre + Gaussian noise, NaN = nodata in one corner."""
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(centres_seed).normal(size=(len(NAMES), dim))
    emb = centres[cls] + noise * rng.normal(size=cls.shape + (dim,))
    emb = np.moveaxis(emb, -1, 0).astype(np.float32)
    if nodata_box:
        emb[:, :3, :3] = np.nan
    ds = gdal.GetDriverByName("GTiff").Create(str(path), cls.shape[1], cls.shape[0], dim, gdal.GDT_Float32)
    ds.SetGeoTransform(gt)
    ds.SetProjection(_srs().ExportToWkt())
    for i in range(dim):
        ds.GetRasterBand(i + 1).WriteArray(emb[i])
        ds.GetRasterBand(i + 1).SetNoDataValue(float("nan"))
    ds.SetMetadataItem("SMARTIES_MODEL", "fake-model")
    ds = None
    return str(path)


def fake_info(path, bands=BANDS, label="scene"):
    ds = gdal.Open(str(path))
    w, h, gt = ds.RasterXSize, ds.RasterYSize, ds.GetGeoTransform()
    in_gt = (gt[0], gt[1] / 16, 0.0, gt[3], 0.0, gt[5] / 16)
    return SimpleNamespace(path=str(path), width=w, height=h, geotransform=gt, crs_wkt=ds.GetProjection(),
                           embed_dim=ds.RasterCount, input_width=w * 16, input_height=h * 16,
                           input_geotransform=in_gt, band_table=list(bands), input_label=label)


def write_labels(path, cls, per_class=12, seed=1, gt=TOKEN_GT, polygons=True, names=NAMES, colour=False):
    """Points at random valid tokens of each class (+ one small polygon per class)."""
    rng = np.random.default_rng(seed)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer("labels", srs=_srs(), geom_type=ogr.wkbUnknown)
    lyr.CreateField(ogr.FieldDefn("landcover", ogr.OFTString))
    if colour:
        lyr.CreateField(ogr.FieldDefn("colour", ogr.OFTString))
    valid = np.ones(cls.shape, bool)
    valid[:3, :3] = False

    def add(wkt, c):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        f.SetField("landcover", names[c])
        if colour:
            f.SetField("colour", ["#ffff00", "#006400", "#ff0000", "#0000ff"][c])
        lyr.CreateFeature(f)

    for c in range(len(names)):
        rr, cc = np.nonzero((cls == c) & valid)
        pick = rng.choice(len(rr), min(per_class, len(rr)), replace=False)
        for i in pick:
            x = gt[0] + (cc[i] + rng.uniform(0.1, 0.9)) * gt[1]
            y = gt[3] + (rr[i] + rng.uniform(0.1, 0.9)) * gt[5]
            add(f"POINT ({x} {y})", c)
        if polygons:  # a 2 x 2 token square fully inside the class
            for r0, c0 in zip(rr, cc):
                if ((cls[r0:r0 + 2, c0:c0 + 2] == c) & valid[r0:r0 + 2, c0:c0 + 2]).sum() == 4:
                    xa, ya = gt[0] + c0 * gt[1] + 1, gt[3] + r0 * gt[5] - 1
                    xb, yb = xa + 2 * gt[1] - 2, ya + 2 * gt[5] + 2
                    add(f"POLYGON (({xa} {ya}, {xb} {ya}, {xb} {yb}, {xa} {yb}, {xa} {ya}))", c)
                    break
    ds = None
    return str(path)


@pytest.fixture()
def scene(tmp_path):
    cls = true_classes()
    emb = write_embeddings(tmp_path / "emb.tif", cls)
    labels = write_labels(tmp_path / "labels.gpkg", cls, colour=True)
    return SimpleNamespace(cls=cls, emb=emb, labels=labels, tmp=tmp_path)


def patch_embeddings(monkeypatch, emb_for_input):
    """Replace the encoder run by a copy of prepared embeddings (the unit under test is classify)."""
    calls = []

    def fake(job, path, progress, cancel, progress_range):
        src = emb_for_input(job)
        gdal.GetDriverByName("GTiff").CreateCopy(path, gdal.Open(src))
        calls.append(path)
        info = fake_info(path, label=job.inputs[0].paths[0])
        return info

    monkeypatch.setattr(classify, "_compute_embeddings", fake)
    monkeypatch.setattr(classify, "_input_band_table", lambda job: (job.inputs[0].paths[0], list(BANDS)))
    return calls


def job_for(tmp, **kw):
    base = dict(product="classify", inputs=[RasterInput(["scene.tif"])], output=str(tmp / "out" / "landcover.tif"),
                labels_vector=None, label_field="landcover", at_input_resolution=False)
    base.update(kw)
    os.makedirs(tmp / "out", exist_ok=True)
    return JobSpec(**base)


# -- samples and classifiers ----------------------------------------------------------------

def test_samples_under_labels(scene):
    s = samples_from_embeddings(scene.emb, scene.labels, "landcover")
    assert s.class_names == sorted(NAMES)
    counts = s.counts()
    # 12 points + one 2x2 polygon (4 tokens) per class, minus points sharing a token
    assert all(12 <= n <= 16 for n in counts.values()), counts
    assert s.x.shape == (len(s.y), 16) and np.isfinite(s.x).all()
    assert (scene.cls[s.rows, s.cols] == s.y).all()  # every sample sits on its own class
    # the 4 tokens of a polygon share a group; points are their own groups
    assert len(np.unique(s.groups)) < len(s.y)


@pytest.mark.parametrize("kind", ["logistic", "knn", "mlp", "random_forest"])
def test_easy_scene_cv_accuracy(scene, kind):
    s = samples_from_embeddings(scene.emb, scene.labels, "landcover")
    head = train_head(s.x, s.y, s.class_names, kind=kind, groups=s.groups, seed=0)
    assert head.metrics["n_folds"] >= 3
    assert head.metrics["overall_accuracy"] >= 0.9, head.metrics
    assert head.metrics["n_tested"] == len(s.y)


def test_shuffled_labels_give_chance_accuracy(scene):
    """An honest CV cannot find structure that is not there (guards against leakage)."""
    s = samples_from_embeddings(scene.emb, scene.labels, "landcover")
    y = np.random.default_rng(3).permutation(s.y)
    cv = cross_validate(s.x, y, s.class_names, "logistic", folds=5, seed=0)
    assert cv["overall_accuracy"] < 0.55


def test_hard_scene_accuracy_is_bounded(tmp_path):
    cls = true_classes()
    emb = write_embeddings(tmp_path / "e.tif", cls, noise=3.0)
    labels = write_labels(tmp_path / "l.gpkg", cls, per_class=25, polygons=False)
    s = samples_from_embeddings(emb, labels, "landcover")
    cv = cross_validate(s.x, s.y, s.class_names, "logistic", groups=s.groups, seed=0)
    assert 0.35 < cv["overall_accuracy"] < 0.95  # clearly above chance (0.25), clearly not perfect


def test_classifiers_are_deterministic(scene):
    s = samples_from_embeddings(scene.emb, scene.labels, "landcover")
    for kind in ("logistic", "mlp", "knn", "random_forest"):
        a = fit_classifier(s.x, s.y, 4, kind, seed=5).predict_proba(s.x[:20])
        b = fit_classifier(s.x, s.y, 4, kind, seed=5).predict_proba(s.x[:20])
        np.testing.assert_array_equal(a, b)


def test_knn_votes_are_class_balanced():
    # 3 samples of class 0 near the query, 12 of class 1 a bit further: with k=15 the rare class wins
    x = np.array([[1.0, 0.05 * i] for i in range(3)] + [[0.6, 0.8 + 0.01 * i] for i in range(12)])
    y = np.array([0] * 3 + [1] * 12)
    q = np.array([[1.0, 0.1]])
    assert fit_classifier(x, y, 2, "knn", k=15).predict(q)[0] == 0
    assert fit_classifier(x, y, 2, "knn", k=15, balanced=False).predict(q)[0] == 1


def test_knn_default_k():
    clf = fit_classifier(np.eye(6), np.array([0, 0, 0, 1, 1, 1]), 2, "knn")
    assert clf.k == 6
    assert fit_classifier(np.random.default_rng(0).normal(size=(50, 3)), np.arange(50) % 2, 2, "knn").k == 20


def test_folds_keep_groups_and_skip_single_sample_classes():
    y = np.array([0] * 10 + [1] * 6 + [2] + [3] * 4)
    groups = np.array([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 12, 12])
    folds, untestable, split = stratified_group_folds(y, groups, 4, k=5, seed=0)
    assert untestable == [2] and split == [3]
    assert len(folds) == 5
    tested = np.concatenate(folds)
    assert 16 not in tested and len(tested) == 20 and len(np.unique(tested)) == 20
    for f in folds:
        for g in np.unique(groups[f]):
            if g != 12:
                assert set(np.flatnonzero(groups == g)) <= set(f)  # whole group in one fold
        assert {0, 1} <= set(y[f])  # every fold tests both classes with >= 5 groups
    # the single-polygon class is split sample by sample over 4 folds
    assert sum(3 in set(y[f]) for f in folds) == 4


def test_single_sample_class_warns_and_is_still_fitted(scene):
    s = samples_from_embeddings(scene.emb, scene.labels, "landcover")
    keep = np.concatenate([np.flatnonzero(s.y != 3), np.flatnonzero(s.y == 3)[:1]])
    head = train_head(s.x[keep], s.y[keep], s.class_names, groups=s.groups[keep])
    assert any("single labelled token" in w for w in head.metrics["warnings"])
    assert head.metrics["per_class"]["water"]["support"] == 0
    assert head.metrics["overall_accuracy"] >= 0.9
    # the final fit knows the class: its own sample is predicted as water
    assert head.classifier.predict(s.x[keep][-1:])[0] == 3


def test_fewer_than_two_classes(scene):
    s = samples_from_embeddings(scene.emb, scene.labels, "landcover")
    with pytest.raises(JobError, match="at least two classes"):
        train_head(s.x[s.y == 1], s.y[s.y == 1], s.class_names)


def test_logistic_logits_are_linear_in_the_embedding(scene):
    """Interpolating logits equals classifying interpolated embeddings (why the input grid is exact)."""
    s = samples_from_embeddings(scene.emb, scene.labels, "landcover")
    clf = fit_classifier(s.x, s.y, 4, "logistic")
    a, b = s.x[:10].astype(np.float64), s.x[10:20].astype(np.float64)
    np.testing.assert_allclose(clf.scores(0.3 * a + 0.7 * b), 0.3 * clf.scores(a) + 0.7 * clf.scores(b), atol=1e-9)


# -- the product -----------------------------------------------------------------------------

def test_run_classify_end_to_end_on_synthetic_embeddings(scene, monkeypatch):
    calls = patch_embeddings(monkeypatch, lambda job: scene.emb)
    job = job_for(scene.tmp, labels_vector=scene.labels)
    seen = []
    res = run_classify(job, lambda f, m: seen.append(f), lambda: False)
    out = res.outputs
    assert set(out) == {"classes", "confidence", "head", "report"}
    assert all(os.path.exists(p) for p in out.values())
    assert not os.path.exists(calls[0])  # temporary embeddings removed
    # (the .aux.xml sidecar holds the category names GeoTIFF cannot store itself)
    assert sorted(f for f in os.listdir(scene.tmp / "out") if not f.endswith(".aux.xml")) == sorted(
        ["landcover.tif", "landcover_confidence.tif", "landcover.head.json", "landcover.head.npz",
         "landcover_report.html"])
    ds = gdal.Open(out["classes"])
    band = ds.GetRasterBand(1)
    cls = band.ReadAsArray()
    assert band.DataType == gdal.GDT_Byte and band.GetNoDataValue() == 255
    assert band.GetCategoryNames() == sorted(NAMES)
    assert band.GetColorTable().GetColorEntry(3)[:3] == (0, 0, 255)  # water colour from the label file
    assert (cls[:3, :3] == 255).all()
    valid = cls != 255
    truth = np.array([sorted(NAMES).index(NAMES[c]) for c in scene.cls.ravel()]).reshape(scene.cls.shape)
    assert (cls[valid] == truth[valid]).mean() >= 0.95
    conf = gdal.Open(out["confidence"]).ReadAsArray()
    assert (conf[:3, :3] == -1).all() and (conf[valid] >= 0.25).all() and (conf[valid] <= 1.0 + 1e-6).all()
    rep = res.report
    assert rep["cross_validation"]["overall_accuracy"] >= 0.9
    assert rep["samples"]["water"] >= 12
    assert "Overall accuracy" in rep["text"] and "Confusion matrix" in rep["text"]
    html = open(out["report"], encoding="utf-8").read()
    assert "<table>" in html and "water" in html
    meta = json.load(open(out["head"]))
    assert meta["model_id"] == "fake-model" and meta["classes"] == sorted(NAMES)
    assert meta["bands"] == BANDS and meta["metrics"]["overall_accuracy"] >= 0.9
    assert seen and max(seen) == 1.0


def test_at_input_resolution(scene, monkeypatch):
    patch_embeddings(monkeypatch, lambda job: scene.emb)
    job = job_for(scene.tmp, labels_vector=scene.labels, at_input_resolution=True)
    res = run_classify(job, lambda f, m: None, lambda: False)
    ds = gdal.Open(res.outputs["classes"])
    assert (ds.RasterXSize, ds.RasterYSize) == (40 * 16, 30 * 16)
    assert ds.GetGeoTransform()[1] == pytest.approx(10.0)
    fine = ds.ReadAsArray()
    token = fine[8::16, 8::16]  # pixels at token centres take the token's class
    truth = np.array([sorted(NAMES).index(NAMES[c]) for c in scene.cls.ravel()]).reshape(scene.cls.shape)
    valid = token != 255
    assert (token[valid] == truth[valid]).mean() >= 0.95
    assert (fine[:48, :48] == 255).all()


def test_saved_head_reproduces_classes_on_a_crop(scene, monkeypatch):
    patch_embeddings(monkeypatch, lambda job: scene.emb)
    first = run_classify(job_for(scene.tmp, labels_vector=scene.labels, classifier="mlp"), None or (lambda f, m: None),
                         lambda: False)
    # the crop: tokens rows 5..24, cols 10..39 of the same embeddings
    crop = str(scene.tmp / "crop.tif")
    gdal.Translate(crop, scene.emb, srcWin=[10, 5, 30, 20])
    patch_embeddings(monkeypatch, lambda job: crop)
    job2 = job_for(scene.tmp, output=str(scene.tmp / "out2" / "crop_classes.tif"), label_field=None)
    os.makedirs(scene.tmp / "out2")
    second = apply_head(first.outputs["head"], job2, None, None)
    a = gdal.Open(first.outputs["classes"]).ReadAsArray()[5:25, 10:40]
    b = gdal.Open(second.outputs["classes"]).ReadAsArray()
    np.testing.assert_array_equal(a, b)
    assert second.report["applied_head"] == first.outputs["head"]
    # the same through run_classify with job.head_path
    job3 = job_for(scene.tmp, output=str(scene.tmp / "out2" / "again.tif"), head_path=first.outputs["head"],
                   label_field=None)
    third = run_classify(job3, lambda f, m: None, lambda: False)
    np.testing.assert_array_equal(gdal.Open(third.outputs["classes"]).ReadAsArray(), b)


def test_apply_head_refuses_other_model_or_bands(scene, monkeypatch, tmp_path):
    s = samples_from_embeddings(scene.emb, scene.labels, "landcover")
    head = train_head(s.x, s.y, s.class_names, model_id="fake-model", bands=BANDS)
    path = head.save(str(tmp_path / "h.head.json"))
    loaded = Head.load(path)
    np.testing.assert_allclose(loaded.classifier.scores(s.x[:5]), head.classifier.scores(s.x[:5]))
    with pytest.raises(JobError, match="model 'fake-model'.*uses model 'other'"):
        loaded.check_compatible("other", 16, BANDS)
    with pytest.raises(JobError, match="3 bands.*gives 2"):
        loaded.check_compatible("fake-model", 16, BANDS[:2])
    swir = dict(BANDS[2], name="B11", min_nm=1565, max_nm=1655, mix=[[10, 1.0]])
    with pytest.raises(JobError, match="B11"):
        loaded.check_compatible("fake-model", 16, BANDS[:2] + [swir])
    with pytest.raises(JobError, match="16-dimensional"):
        loaded.check_compatible("fake-model", 32, BANDS)
    # same layers from another sensor, in another order: accepted
    other = [dict(b, name="L8-" + b["name"], min_nm=b["min_nm"] + 2) for b in reversed(BANDS)]
    loaded.check_compatible("fake-model", 16, other)
    # and end to end: embeddings from a different model id are refused, nothing is written
    other_emb = str(tmp_path / "other.tif")
    gdal.Translate(other_emb, scene.emb)
    gdal.Open(other_emb, gdal.GA_Update).SetMetadataItem("SMARTIES_MODEL", "another-model")
    patch_embeddings(monkeypatch, lambda job: other_emb)
    job = job_for(tmp_path, head_path=path, label_field=None)
    with pytest.raises(JobError, match="another-model"):
        run_classify(job, lambda f, m: None, lambda: False)
    assert os.listdir(tmp_path / "out") == []


def test_apply_head_refuses_same_model_name_with_other_weights(scene, monkeypatch, tmp_path):
    s = samples_from_embeddings(scene.emb, scene.labels, "landcover")
    head = train_head(s.x, s.y, s.class_names, model_id="fake-model", bands=BANDS, model_weights="0123456789abcdef")
    loaded = Head.load(head.save(str(tmp_path / "h.head.json")))
    assert loaded.model_weights == "0123456789abcdef"
    loaded.check_compatible("fake-model", 16, BANDS, model_weights="0123456789abcdef")
    loaded.check_compatible("fake-model", 16, BANDS)  # embeddings written before fingerprints: accepted
    with pytest.raises(JobError, match="other weights.*train a new head"):
        loaded.check_compatible("fake-model", 16, BANDS, model_weights="fedcba9876543210")
    # end to end: a retrained model under the same name is refused before anything is written
    emb = str(tmp_path / "retrained.tif")
    gdal.Translate(emb, scene.emb)
    ds = gdal.Open(emb, gdal.GA_Update)
    ds.SetMetadataItem("SMARTIES_MODEL", "fake-model")
    ds.SetMetadataItem("SMARTIES_MODEL_WEIGHTS", "fedcba9876543210")
    ds = None
    patch_embeddings(monkeypatch, lambda job: emb)
    (tmp_path / "out").mkdir(exist_ok=True)
    with pytest.raises(JobError, match="fedcba9876543210"):
        run_classify(job_for(tmp_path, head_path=str(tmp_path / "h.head.json"), label_field=None),
                     lambda f, m: None, lambda: False)
    assert os.listdir(tmp_path / "out") == []


def test_errors_surface_from_labels(scene, monkeypatch, tmp_path):
    patch_embeddings(monkeypatch, lambda job: scene.emb)
    # all labels of one class -> fewer than two classes
    one = write_labels(tmp_path / "one.gpkg", np.zeros((30, 40), int), per_class=5, polygons=False, names=["crop"])
    with pytest.raises(JobError, match="at least two classes"):
        run_classify(job_for(tmp_path, labels_vector=one), lambda f, m: None, lambda: False)
    # labels far outside the raster
    far_gt = (TOKEN_GT[0] + 1e6,) + TOKEN_GT[1:]
    far = write_labels(tmp_path / "far.gpkg", scene.cls, per_class=3, gt=far_gt)
    with pytest.raises(VectorError, match="outside the raster"):
        run_classify(job_for(tmp_path, labels_vector=far), lambda f, m: None, lambda: False)
    # wrong field name
    with pytest.raises(VectorError, match="Field 'klass' not found"):
        run_classify(job_for(tmp_path, labels_vector=scene.labels, label_field="klass"), lambda f, m: None,
                     lambda: False)
    assert os.listdir(tmp_path / "out") == []


def test_empty_class_value_is_an_error(scene, tmp_path):
    ds = ogr.Open(scene.labels, 1)
    lyr = ds.GetLayer(0)
    f = lyr.GetNextFeature()
    f.SetFieldNull("landcover")
    lyr.SetFeature(f)
    ds = None
    with pytest.raises(VectorError, match=r"empty class.*ids 1\b"):
        samples_from_embeddings(scene.emb, scene.labels, "landcover")


def test_keep_embeddings_and_unknown_classifier(scene, monkeypatch):
    patch_embeddings(monkeypatch, lambda job: scene.emb)
    job = job_for(scene.tmp, labels_vector=scene.labels, keep_embeddings=True, classifier="knn")
    res = run_classify(job, lambda f, m: None, lambda: False)
    assert res.outputs["embeddings"].endswith("landcover_embeddings.tif") and os.path.exists(res.outputs["embeddings"])
    assert res.report["classifier"] == "knn" and res.report["cross_validation"]["overall_accuracy"] >= 0.9
    with pytest.raises(JobError, match="Unknown classifier 'svm'"):
        run_classify(job_for(scene.tmp, labels_vector=scene.labels, classifier="svm"), lambda f, m: None,
                     lambda: False)


def test_cancel_leaves_nothing(scene, monkeypatch):
    patch_embeddings(monkeypatch, lambda job: scene.emb)
    job = job_for(scene.tmp, labels_vector=scene.labels)
    state = {"n": 0}

    def cancel():
        state["n"] += 1
        return state["n"] > 3

    with pytest.raises(JobCancelled):
        run_classify(job, lambda f, m: None, cancel)
    assert os.listdir(scene.tmp / "out") == []


def test_uint16_classes_when_many(tmp_path):
    rng = np.random.default_rng(0)
    names = [f"c{i:03d}" for i in range(300)]
    x = rng.normal(size=(600, 4))
    y = np.arange(600) % 300
    head = Head(fit_classifier(x, y, 300, "knn", k=1), names, {})
    scores = rng.normal(size=(300, 2, 3)).astype(np.float32)
    write_class_rasters(head, scores, TOKEN_GT, _srs().ExportToWkt(), str(tmp_path / "c.tif"), str(tmp_path / "f.tif"))
    ds = gdal.Open(str(tmp_path / "c.tif"))
    band = ds.GetRasterBand(1)
    assert band.DataType == gdal.GDT_UInt16 and band.GetNoDataValue() == 65535
    np.testing.assert_array_equal(band.ReadAsArray(), scores.argmax(axis=0))


# -- real data, end to end through engine.jobs.run --------------------------------------------

L8_BANDS = [f"landsat8:B{i}" for i in range(2, 8)]


@pytest.fixture(scope="module")
def l8_run(realdata_dir, reference_dir, tmp_path_factory):
    """Train on the 91 labelled Landsat-8 points with the tiny reference model (random-ish weights)."""
    from engine.jobs import run

    folder = realdata_dir / "l8_sr_brazil"
    model = reference_dir / "smarties_tiny" / "weights.safetensors"
    if not model.exists():
        pytest.skip("tiny reference model not found")
    out = tmp_path_factory.mktemp("l8")
    job = JobSpec(product="classify", at_input_resolution=False,
                  inputs=[RasterInput([str(folder / "LC08_232066_20190727.tif")], L8_BANDS)],
                  output=str(out / "landcover.tif"), model=str(model), labels_vector=str(folder / "endmembers.shp"),
                  label_field="class", window=64, overlap=0.25)
    return job, run(job, lambda f, m: None, lambda: False)


def test_landsat_points_class_map_and_report(l8_run):
    job, res = l8_run
    ds = gdal.Open(res.outputs["classes"])
    band = ds.GetRasterBand(1)
    cls = band.ReadAsArray()
    assert band.GetNoDataValue() == 255  # (GDAL 3.6 GTiff reads the .aux.xml category names only after this)
    assert band.GetCategoryNames() == ["0", "1", "2", "3"]
    assert (ds.RasterXSize, ds.RasterYSize) == (20, 15)  # 318 x 235 px -> 16 px tokens
    counts = np.bincount(cls[cls != 255].ravel(), minlength=4)
    assert (counts > 0).all()  # every class appears on the map
    cv = res.report["cross_validation"]
    assert sum(res.report["samples"].values()) >= 60  # 91 points, some share a 480 m token
    # measured 0.93 with the tiny reference model; the points are spectrally distinct classes
    assert cv["overall_accuracy"] >= 0.75, res.report["text"]
    assert cv["n_tested"] == sum(res.report["samples"].values())
    assert "Confusion matrix" in res.report["text"]
    html = open(res.outputs["report"], encoding="utf-8").read()
    assert "<table>" in html
    meta = json.load(open(res.outputs["head"]))
    assert [b["name"] for b in meta["bands"]] == ["B2", "B3", "B4", "B5", "B6", "B7"]


def test_landsat_head_on_a_crop_reproduces_the_map(l8_run, tmp_path):
    from engine.jobs import run

    job, res = l8_run
    ds = gdal.Open(res.outputs["classes"])
    gt = ds.GetGeoTransform()
    full = ds.ReadAsArray()
    # crop aligned on the token grid: token columns 4..15, rows 3..12
    c0, r0, c1, r1 = 4, 3, 16, 13
    extent = (gt[0] + c0 * gt[1], gt[3] + r1 * gt[5], gt[0] + c1 * gt[1], gt[3] + r0 * gt[5])
    job2 = JobSpec(product="classify", inputs=job.inputs, output=str(tmp_path / "crop.tif"), model=job.model,
                   head_path=res.outputs["head"], extent=extent, window=64, overlap=0.25, at_input_resolution=False)
    res2 = run(job2, lambda f, m: None, lambda: False)
    crop = gdal.Open(res2.outputs["classes"]).ReadAsArray()
    assert crop.shape == (r1 - r0, c1 - c0)
    # Tokens near the crop edge see different window context, so allow a few differences.
    agree = (crop == full[r0:r1, c0:c1]).mean()
    assert agree >= 0.85, agree
    # a head refuses a raster with other bands
    job3 = JobSpec(product="classify", inputs=[RasterInput(job.inputs[0].paths, L8_BANDS[:5] + ["skip"])],
                   output=str(tmp_path / "bad.tif"), model=job.model, head_path=res.outputs["head"], window=64)
    with pytest.raises(JobError, match="6 bands"):
        run(job3, lambda f, m: None, lambda: False)
    assert not os.path.exists(tmp_path / "bad.tif")


def test_report_names_the_model_weights():
    from engine.products.classify_report import format_report_html, format_report_text

    report = {"classifier": "logistic", "classes": ["a", "b"], "model": "smarties-eo-tiny",
              "model_weights": "0123456789abcdef", "cross_validation": {}, "samples": {"a": 3, "b": 4}}
    assert "Model: smarties-eo-tiny (weights 0123456789abcdef)" in format_report_text(report)
    assert "smarties-eo-tiny (weights 0123456789abcdef)" in format_report_html(report)
    assert "Model: other\n" in format_report_text(dict(report, model="other", model_weights=""))
