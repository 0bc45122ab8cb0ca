"""An embeddings raster written by the engine is the input of every product: recognised by its metadata,
no wavelength questions, no model run; the products record where their data came from."""
from __future__ import annotations

import json

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

from engine.errors import JobError, RasterError
from engine.jobs import JobSpec, RasterInput, run

from test_raster_io import make_tif
from test_tiling_runner import S2_RGB, tiny_model  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def embedded(tmp_path, tiny_model):
    """(image, embeddings raster of it, second-date embeddings) made once by the model."""
    rng = np.random.default_rng(0)
    data = np.empty((3, 64, 96), np.uint16)
    data[:, :, :48] = rng.integers(500, 900, (3, 64, 48))
    data[:, :, 48:] = rng.integers(3000, 6000, (3, 64, 48))
    image = make_tif(tmp_path / "scene.tif", data)
    later = make_tif(tmp_path / "later.tif", data[:, :, ::-1].copy())
    embs = []
    for src in (image, later):
        out = tmp_path / (src.split("/")[-1][:-4] + "_emb.tif")
        run(JobSpec("embeddings", [RasterInput([src], S2_RGB)], str(out), model=tiny_model, window=64,
                    device="cpu"))
        embs.append(str(out))
    return image, embs[0], embs[1]


def _points(path, rows):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer("labels", srs=srs, geom_type=ogr.wkbPoint)
    lyr.CreateField(ogr.FieldDefn("class", ogr.OFTString))
    for x, y, c in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
        f["class"] = c
        lyr.CreateFeature(f)
    ds = None
    return str(path)


def test_every_product_reads_an_embeddings_raster_without_the_model(embedded, tmp_path, monkeypatch):
    image, emb, emb_later = embedded

    def no_model(*a, **k):
        raise AssertionError("the model must not run for an embeddings input")

    monkeypatch.setattr("engine.inference.backend.load_model", no_model)
    monkeypatch.setattr("engine.products.embeddings.load_model", no_model)
    common = dict(model="no-such-model", window=64, device="cpu")
    inp = [RasterInput([emb])]  # no bands, no sensor: the metadata says what it is
    pca = run(JobSpec("pca", inp, str(tmp_path / "pca.tif"), **common))
    ds = gdal.Open(pca.outputs["pca"])
    assert ds.RasterCount == 3 and (ds.RasterXSize, ds.RasterYSize) == (96, 64)  # the image's grid
    assert "embeddings reused from" in " ".join(pca.report["notes"])
    clusters = run(JobSpec("clusters", inp, str(tmp_path / "cl.tif"), k=2, at_input_resolution=False, **common))
    cl = gdal.Open(clusters.outputs["clusters"]).ReadAsArray()
    assert cl.shape == (4, 6) and len(np.unique(cl)) == 2
    sim = run(JobSpec("similarity", inp, str(tmp_path / "sim.tif"), reference_points=[(500100.0, 5099900.0)],
                      **common))
    assert np.nanmax(gdal.Open(sim.outputs["similarity"]).ReadAsArray()) <= 1.0 + 1e-6
    change = run(JobSpec("change", [RasterInput([emb]), RasterInput([emb_later])], str(tmp_path / "ch.tif"),
                         **common))
    assert np.nanmax(gdal.Open(change.outputs["change"]).ReadAsArray()) > 0.01
    labels = _points(tmp_path / "labels.gpkg", [(500000 + x * 10 + 5, 5100000 - y * 10 - 5, "dark" if x < 48 else "bright")
                                                for x in range(4, 96, 10) for y in range(4, 64, 10)])
    trained = run(JobSpec("classify", inp, str(tmp_path / "cls.tif"), labels_vector=labels, label_field="class",
                          **common))
    head = trained.outputs["head"]
    applied = run(JobSpec("classify", [RasterInput([emb_later])], str(tmp_path / "cls2.tif"), head_path=head, **common))
    assert set(np.unique(gdal.Open(applied.outputs["classes"]).ReadAsArray())) <= {0, 1, 255}


def test_embeddings_product_of_an_embeddings_raster_is_refused(embedded, tmp_path):
    _, emb, _ = embedded
    with pytest.raises(JobError, match="already an embeddings raster"):
        run(JobSpec("embeddings", [RasterInput([emb])], str(tmp_path / "again.tif")))


def test_change_between_an_image_and_embeddings_is_refused(embedded, tmp_path):
    image, emb, _ = embedded
    with pytest.raises(RasterError, match="two embeddings rasters or two images"):
        run(JobSpec("change", [RasterInput([emb]), RasterInput([image], S2_RGB)], str(tmp_path / "c.tif")))


def test_products_record_their_provenance(embedded, tmp_path):
    image, emb, _ = embedded
    meta = gdal.Open(emb).GetMetadata()
    prov = json.loads(meta["SMARTIES_PROVENANCE"])
    assert prov["model"] == "tiny" and prov["weights"] == meta["SMARTIES_MODEL_WEIGHTS"]
    assert prov["inputs"] == [image] and prov["window"] == 64 and prov["engine_version"]
    assert prov["bands"][0]["name"] and prov["statistics"] and "created" in prov
    pca = run(JobSpec("pca", [RasterInput([emb])], str(tmp_path / "pca.tif")))
    p2 = json.loads(gdal.Open(pca.outputs["pca"]).GetMetadataItem("SMARTIES_PROVENANCE"))
    assert p2["product"] == "pca" and p2["inputs"] == [emb] and p2["model"] == "tiny"
    assert p2["weights"] == prov["weights"] and p2["bands"] == prov["bands"]


def test_band_features_need_the_image_not_an_embeddings_raster(embedded, tmp_path):
    _, emb, _ = embedded
    labels = _points(tmp_path / "l.gpkg", [(500005.0, 5099995.0, "a"), (500905.0, 5099995.0, "b")])
    job = JobSpec("classify", [RasterInput([emb])], str(tmp_path / "c.tif"), labels_vector=labels,
                  label_field="class", classify_features="bands+embeddings")
    with pytest.raises(JobError, match="needs the image's band values"):
        run(job)
