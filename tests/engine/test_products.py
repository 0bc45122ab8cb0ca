"""Products end to end through engine.jobs.run: PCA, clusters, similarity, change, bad inputs."""
from __future__ import annotations

import os

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

from engine.errors import BandError, EngineError, RasterError
from engine.jobs import JobSpec, RasterInput, run

from test_raster_io import make_tif
from test_tiling_runner import S2_RGB, tiny_model  # noqa: F401  (fixture)

GT = (500000.0, 10.0, 0.0, 5100000.0, 0.0, -10.0)


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def scene(tmp_path):
    """A 3-band 16-bit scene with two halves of different 'materials' and a nodata corner."""
    rng = np.random.default_rng(0)
    data = np.empty((3, 96, 128), np.uint16)
    data[:, :, :64] = rng.integers(500, 900, (3, 96, 64))
    data[:, :, 64:] = rng.integers(3000, 6000, (3, 96, 64))
    data[:, :16, :16] = 0
    return make_tif(tmp_path / "scene.tif", data, nodata=0)


def job(product, path, out, model, bands=S2_RGB, **kw):
    kw.setdefault("at_input_resolution", False)  # these tests look at the token grid itself
    return JobSpec(product=product, inputs=[RasterInput([path], bands)], output=str(out), model=model, window=64,
                   overlap=0.25, batch_size=4, device="cpu", **kw)


def files(folder):
    return sorted(f for f in os.listdir(folder) if f != "cache")


def test_embeddings_file_has_georeferencing_and_metadata(tmp_path, scene, tiny_model):
    res = run(job("embeddings", scene, tmp_path / "e.tif", tiny_model))
    ds = gdal.Open(res.outputs["embeddings"])
    assert (ds.RasterXSize, ds.RasterYSize, ds.RasterCount) == (8, 6, 32)
    assert ds.GetGeoTransform() == (GT[0], 160.0, 0.0, GT[3], 0.0, -160.0)
    assert "32633" in ds.GetProjection() or "UTM zone 33N" in ds.GetProjection()
    assert ds.GetRasterBand(1).GetDescription() == "embedding 1"
    assert '"B04"' in ds.GetMetadataItem("SMARTIES_BANDS") and ds.GetMetadataItem("SMARTIES_WINDOW") == "64"
    assert ds.GetMetadataItem("SMARTIES_MODEL") == "tiny"
    assert len(ds.GetMetadataItem("SMARTIES_MODEL_WEIGHTS")) == 16
    a = ds.ReadAsArray()
    assert np.isnan(a[:, 0, 0]).all() and np.isfinite(a[:, 1:, 1:]).all()
    assert res.report["run"]["windows"] > 1


def test_weights_fingerprint_tells_retrained_weights_apart(tiny_model):
    import torch

    from engine.model.checkpoint import load_checkpoint, weights_fingerprint

    a, b = load_checkpoint(tiny_model), load_checkpoint(tiny_model)
    assert weights_fingerprint(a) == weights_fingerprint(b)
    with torch.no_grad():
        b.blocks[0].attn.qkv.weight[0, 0] += 1e-3  # a retrained model under the same id
    assert weights_fingerprint(b) == weights_fingerprint(a)  # kept on the model: computed once per loaded model
    b._weights_fingerprint = None
    assert weights_fingerprint(b) != weights_fingerprint(a)


def test_pca_composite(tmp_path, scene, tiny_model):
    res = run(job("pca", scene, tmp_path / "p.tif", tiny_model))
    assert files(tmp_path) == ["p.tif", "scene.tif"]  # embeddings were temporary
    ds = gdal.Open(res.outputs["pca"])
    assert ds.RasterCount == 3 and ds.GetRasterBand(1).DataType == gdal.GDT_Byte
    assert [ds.GetRasterBand(i).GetDescription() for i in (1, 2, 3)] == ["PC1", "PC2", "PC3"]
    a = ds.ReadAsArray()
    assert (a[:, 0, 0] == 0).all() and (a[:, 1:, 1:] >= 1).all()
    assert abs(int(a[0, 3, 1]) - int(a[0, 3, 6])) > 50  # the two halves differ along PC1
    assert sum(res.report["pca"]["explained_variance"]) <= 1.0 + 1e-6


def test_clusters_are_paletted_with_names(tmp_path, scene, tiny_model):
    res = run(job("clusters", scene, tmp_path / "c.tif", tiny_model, k=3, keep_embeddings=True))
    assert os.path.exists(res.outputs["embeddings"])
    ds = gdal.Open(res.outputs["clusters"])
    band = ds.GetRasterBand(1)
    assert band.GetColorTable() is not None and band.GetColorTable().GetCount() >= 3
    assert band.GetCategoryNames()[:3] == ["cluster 1", "cluster 2", "cluster 3"]
    a = band.ReadAsArray()
    assert a[0, 0] == 255 and set(np.unique(a[1:, 1:])) <= {0, 1, 2}
    assert a[3, 1] != a[3, 6]


def test_similarity_to_points_and_vector(tmp_path, scene, tiny_model):
    # A point in lon/lat on the left half: similarity there is 1 and higher on the left than the right.
    srs_utm, srs_ll = osr.SpatialReference(), osr.SpatialReference()
    srs_utm.ImportFromEPSG(32633)
    srs_ll.ImportFromEPSG(4326)
    srs_ll.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    srs_utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lon, lat, _ = osr.CoordinateTransformation(srs_utm, srs_ll).TransformPoint(500250.0, 5099450.0)
    res = run(job("similarity", scene, tmp_path / "s.tif", tiny_model, reference_points=[(lon, lat)],
                  reference_crs="EPSG:4326"))
    a = gdal.Open(res.outputs["similarity"]).ReadAsArray()
    assert a[3, 1] == pytest.approx(1.0, abs=1e-5)
    assert np.nanmin(a) >= -1 and np.nanmax(a) <= 1 and np.isnan(a[0, 0])
    assert np.nanmean(a[1:, 1:4]) > np.nanmean(a[1:, 4:])

    gpkg = str(tmp_path / "ref.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(gpkg)
    lyr = ds.CreateLayer("ref", srs_utm, ogr.wkbPolygon)
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt(
        "POLYGON((500700 5099800,501200 5099800,501200 5099200,500700 5099200,500700 5099800))"))
    lyr.CreateFeature(f)
    ds = None
    res = run(job("similarity", scene, tmp_path / "s2.tif", tiny_model, reference_vector=gpkg))
    b = gdal.Open(res.outputs["similarity"]).ReadAsArray()
    assert np.nanmean(b[1:, 4:]) > np.nanmean(b[1:, 1:4])
    assert res.report["similarity"]["reference_tokens"] >= 4


def test_similarity_points_outside_are_an_error(tmp_path, scene, tiny_model):
    with pytest.raises(EngineError, match="reference points"):
        run(job("similarity", scene, tmp_path / "s.tif", tiny_model, reference_points=[(0.0, 0.0)]))
    assert files(tmp_path) == ["scene.tif"]


def test_change_between_sensors_and_grid_mismatch(tmp_path, scene, tiny_model):
    rng = np.random.default_rng(1)
    sar = make_tif(tmp_path / "sar.tif", rng.normal(-12, 3, (2, 96, 128)).astype(np.float32))
    j = JobSpec(product="change", inputs=[RasterInput([scene], S2_RGB), RasterInput([sar], ["VV", "VH"])],
                output=str(tmp_path / "ch.tif"), model=tiny_model, window=64, device="cpu", at_input_resolution=False)
    a = gdal.Open(run(j).outputs["change"]).ReadAsArray()
    assert a.shape == (6, 8) and np.nanmin(a) >= 0 and np.nanmax(a) <= 2 and np.isnan(a[0, 0])

    same = run(JobSpec(product="change", inputs=[RasterInput([scene], S2_RGB)] * 2,
                       output=str(tmp_path / "same.tif"), model=tiny_model, window=64, device="cpu"))
    assert np.nanmax(gdal.Open(same.outputs["change"]).ReadAsArray()) < 1e-5

    moved = make_tif(tmp_path / "moved.tif", np.ones((3, 96, 128), np.uint16),
                     gt=(500010.0, 10.0, 0.0, 5100000.0, 0.0, -10.0))
    bad = JobSpec(product="change", inputs=[RasterInput([scene], S2_RGB), RasterInput([moved], S2_RGB)],
                  output=str(tmp_path / "bad.tif"), model="no-such-model.safetensors", window=64, align=False)
    # the grids are compared before the model is even loaded
    with pytest.raises(RasterError, match="not on the same grid.*geotransforms differ.*gdalwarp"):
        run(bad)
    assert not os.path.exists(tmp_path / "bad.tif")


def test_at_input_resolution(tmp_path, scene, tiny_model):
    res = run(job("clusters", scene, tmp_path / "c.tif", tiny_model, k=2, at_input_resolution=True))
    ds = gdal.Open(res.outputs["clusters"])
    assert (ds.RasterXSize, ds.RasterYSize) == (128, 96) and ds.GetGeoTransform() == GT
    # class names and colours survive the resampling (the names live in GDAL's .aux.xml sidecar)
    band = ds.GetRasterBand(1)
    assert band.GetColorTable() is not None and band.GetColorTable().GetCount() >= 2
    assert gdal.Info(ds, format="json")["bands"][0]["categories"][:2] == ["cluster 1", "cluster 2"]
    assert files(tmp_path) == ["c.tif", "c.tif.aux.xml", "scene.tif"]


def test_bad_inputs(tmp_path, scene, tiny_model):
    with pytest.raises(BandError, match="3 bands but the band list has 2"):
        run(job("embeddings", scene, tmp_path / "e.tif", tiny_model, bands=S2_RGB[:2]))
    with pytest.raises(RasterError, match="does not overlap"):
        run(job("embeddings", scene, tmp_path / "e.tif", tiny_model, extent=(0.0, 0.0, 1.0, 1.0)))
    empty = make_tif(tmp_path / "empty.tif", np.zeros((3, 64, 64), np.uint16), nodata=0)
    with pytest.raises(RasterError, match="no valid pixels|nodata"):
        run(job("embeddings", empty, tmp_path / "e.tif", tiny_model))
    junk = tmp_path / "junk.tif"
    junk.write_text("not a raster")
    with pytest.raises(RasterError, match="junk.tif"):
        run(job("embeddings", str(junk), tmp_path / "e.tif", tiny_model))
    assert not os.path.exists(tmp_path / "e.tif")
    with pytest.raises(EngineError, match="also an input"):
        run(job("pca", scene, scene, tiny_model))


def test_skip_and_extent(tmp_path, scene, tiny_model):
    res = run(job("embeddings", scene, tmp_path / "e.tif", tiny_model, bands=["sentinel2:B02", "skip", "sentinel2:B04"],
                  extent=(500320.0, 5099200.0, 501000.0, 5099800.0)))
    ds = gdal.Open(res.outputs["embeddings"])
    assert ds.GetGeoTransform()[0] == 500320.0 and ds.GetGeoTransform()[3] == 5099800.0
    assert (ds.RasterXSize, ds.RasterYSize) == (5, 4)  # 68 x 60 px -> ceil(/16)
    assert [b["band"] for b in res.report["bands"]] == [1, 3]


def test_float16_embeddings_at_input_resolution(tmp_path, scene, tiny_model):
    res = run(job("embeddings", scene, tmp_path / "e16.tif", tiny_model, embedding_dtype="float16",
                  at_input_resolution=True))
    ds = gdal.Open(res.outputs["embeddings"])
    assert (ds.RasterXSize, ds.RasterYSize, ds.RasterCount) == (128, 96, 32) and ds.GetGeoTransform() == GT
    assert ds.GetRasterBand(1).GetMetadataItem("NBITS", "IMAGE_STRUCTURE") == "16"
    assert ds.GetRasterBand(3).GetDescription() == "embedding 3"
    assert files(tmp_path) == ["e16.tif", "scene.tif"]


def test_input_resolution_products_carry_the_input_nodata(tmp_path, tiny_model):
    data = np.random.default_rng(4).integers(1, 5000, (3, 64, 80)).astype(np.uint16)
    data[:, 20:24, 30:33] = 0  # nodata inside a token that stays valid
    src = make_tif(tmp_path / "holes.tif", data, nodata=0)
    res = run(job("pca", src, tmp_path / "p.tif", tiny_model, at_input_resolution=True))
    ds = gdal.Open(res.outputs["pca"])
    assert ds.GetRasterBand(1).GetMaskFlags() == gdal.GMF_PER_DATASET
    mask = ds.GetRasterBand(1).GetMaskBand().ReadAsArray()
    assert (mask[20:24, 30:33] == 0).all() and (mask == 0).sum() == 12
    assert files(tmp_path) == ["holes.tif", "p.tif"]


def test_hdbscan_clusters_need_no_k(tmp_path, scene, tiny_model):
    res = run(job("clusters", scene, tmp_path / "h.tif", tiny_model, cluster_method="hdbscan", min_cluster_size=8))
    ds = gdal.Open(res.outputs["clusters"])
    band = ds.GetRasterBand(1)
    rep = res.report["clusters"] if "clusters" in res.report else res.report
    k = rep["k"]
    assert rep["method"] == "hdbscan" and k >= 2
    assert band.GetColorTable() is not None  # (GDAL 3.6 reads the .aux.xml categories after this)
    names = band.GetCategoryNames()
    assert names[:k] == [f"cluster {i + 1}" for i in range(k)] and names[k] == "unclustered"
    a = band.ReadAsArray()
    assert a[0, 0] == 255 and a[3, 1] != a[3, 6]  # nodata corner; the two materials apart
    assert sum(rep["cluster_sizes"]) + rep["unclustered"] == int((a != 255).sum())

