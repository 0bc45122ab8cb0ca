"""classify's feature building: per-token band means next to the embeddings (bands+embeddings)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from osgeo import gdal, osr

from engine.errors import JobError
from engine.jobs import JobSpec, RasterInput
from engine.products.features import append_band_block, check_feature_mode, feature_note, token_band_means

gdal.UseExceptions()


def _raster(path, data, nodata=None):
    c, h, w = data.shape
    ds = gdal.GetDriverByName("GTiff").Create(str(path), w, h, c, gdal.GDT_Float32)
    ds.SetGeoTransform((400000.0, 10.0, 0.0, 5000000.0, 0.0, -10.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    ds.SetProjection(srs.ExportToWkt())
    for i, name in enumerate(["B02", "B03", "B04"][:c]):
        b = ds.GetRasterBand(i + 1)
        b.WriteArray(data[i])
        b.SetDescription(name)
        if nodata is not None:
            b.SetNoDataValue(nodata)
    ds = None
    return str(path)


def test_token_band_means_average_valid_normalised_pixels(tmp_path):
    rng = np.random.default_rng(0)
    data = rng.uniform(0, 1000, (3, 35, 40)).astype(np.float32)
    data[:, :16, :16] = -1.0  # one whole token of nodata
    data[:, 20:22, 20:30] = -1.0  # part of another token
    path = _raster(tmp_path / "s2.tif", data, nodata=-1.0)
    job = JobSpec(product="classify", inputs=[RasterInput([path], [f"sentinel2_l2a:{n}" for n in ("B02", "B03", "B04")])],
                  output=str(tmp_path / "out.tif"), labels_vector="l.gpkg", label_field="c")
    stats = {"p1": 0.0, "p99": 1000.0, "mean": 0.5, "std": 0.25}
    info = SimpleNamespace(width=3, height=3, input_width=40, input_height=35, normalization=[stats] * 3)
    out = token_band_means(job, info)
    assert out.shape == (3, 3, 3) and np.isnan(out[:, 0, 0]).all()
    valid = data[0] != -1.0
    norm = (np.clip(data / 1000.0, 0, 1) - 0.5) / 0.25
    for r, c in [(1, 1), (2, 2), (0, 2)]:
        blk = (slice(16 * r, 16 * r + 16), slice(16 * c, 16 * c + 16))
        want = norm[:, blk[0], blk[1]][:, valid[blk]].mean(axis=1)
        np.testing.assert_allclose(out[:, r, c], want, rtol=1e-5, atol=1e-5)


def test_feature_modes_and_block_join():
    assert check_feature_mode("bands+embeddings") == "bands+embeddings"
    with pytest.raises(JobError, match="embeddings, bands\\+embeddings"):
        check_feature_mode("bands")
    x = append_band_block(np.ones((4, 8)), np.array([[np.nan, 1.0]] * 4))
    assert x.shape == (4, 10) and np.isfinite(x).all()
    assert "bands+embeddings" in feature_note("embeddings") and "model card" in feature_note("bands+embeddings")


L8_BANDS = [f"landsat8:B{i}" for i in range(2, 8)]


def test_classify_with_bands_and_embeddings_on_real_points(realdata_dir, reference_dir, tmp_path):
    """Real Landsat-8 points: the head learns from embeddings + band means, says so, and re-applies."""
    from engine.jobs import run

    folder = realdata_dir / "l8_sr_brazil"
    model = reference_dir / "smarties_tiny" / "weights.safetensors"
    if not model.exists():
        pytest.skip("tiny reference model not found")
    job = JobSpec(product="classify", at_input_resolution=False,
                  inputs=[RasterInput([str(folder / "LC08_232066_20190727.tif")], L8_BANDS)],
                  output=str(tmp_path / "lc.tif"), model=str(model), labels_vector=str(folder / "endmembers.shp"),
                  label_field="class", window=64, overlap=0.25, classify_features="bands+embeddings")
    res = run(job, lambda f, m: None, lambda: False)
    meta = json.load(open(res.outputs["head"]))
    assert meta["training"]["features"] == "bands+embeddings"
    assert "bands+embeddings" in res.report["text"] and res.report["cross_validation"]["overall_accuracy"] >= 0.75
    classes = gdal.Open(res.outputs["classes"]).ReadAsArray()
    again = JobSpec(**{**job.to_dict(), "inputs": job.inputs, "output": str(tmp_path / "again.tif"),
                       "head_path": res.outputs["head"], "labels_vector": None, "label_field": None})
    res2 = run(again, lambda f, m: None, lambda: False)
    np.testing.assert_array_equal(gdal.Open(res2.outputs["classes"]).ReadAsArray(), classes)
