"""Several sensors on one grid: concat / mean fusion (one pass per sensor) and stack (one pass)."""
from __future__ import annotations

import json

import numpy as np
import pytest
from osgeo import gdal

from engine import JobSpec, RasterInput, run
from engine.cli import main


@pytest.fixture(scope="module")
def pair(realdata_dir):
    s2 = sorted((realdata_dir / "s2_l2a_bigearthnet").glob("*87_48_stack12_10m.tif"))
    s1 = sorted((realdata_dir / "s1_grd_bigearthnet").glob("*87_48_VV_VH_dB.tif"))
    if not (s2 and s1):
        pytest.skip("BigEarthNet S2/S1 pair not in ../shared/realdata")
    return str(s2[0]), str(s1[0])


@pytest.fixture(scope="module")
def fixture_model(tiny):
    return str(tiny / "weights.safetensors")


def _emb(path):
    ds = gdal.Open(str(path))
    return ds.ReadAsArray().astype(np.float32), ds.GetMetadata()


def _job(tmp_path, name, inputs, model, **kw):
    return JobSpec("embeddings", inputs, str(tmp_path / f"{name}.tif"), model=model, window=128, **kw)


def test_concat_mean_and_stack(tmp_path, pair, fixture_model):
    s2 = RasterInput([pair[0]], sensor="sentinel2_l2a")
    s1 = RasterInput([pair[1]], sensor="sentinel1_grd")
    run(_job(tmp_path, "s2", [s2], fixture_model))
    run(_job(tmp_path, "s1", [s1], fixture_model))
    a, _ = _emb(tmp_path / "s2.tif")
    b, _ = _emb(tmp_path / "s1.tif")
    result = run(_job(tmp_path, "concat", [s2, s1], fixture_model))
    cat, meta = _emb(tmp_path / "concat.tif")
    assert cat.shape == (2 * a.shape[0],) + a.shape[1:]
    np.testing.assert_allclose(cat[:a.shape[0]], a, atol=1e-6)
    np.testing.assert_allclose(cat[a.shape[0]:], b, atol=1e-6)
    assert meta["SMARTIES_FUSION"] == "concat" and result.report["run"]["fusion"] == "concat"
    assert [r["input"] for r in json.loads(meta["SMARTIES_BANDS"])] == [1] * 12 + [2] * 2

    run(_job(tmp_path, "mean", [s2, s1], fixture_model, fusion="mean"))
    mean, meta = _emb(tmp_path / "mean.tif")
    np.testing.assert_allclose(mean, (a + b) / 2, atol=1e-5)
    assert meta["SMARTIES_FUSION"] == "mean"

    run(_job(tmp_path, "stack", [s2, s1], fixture_model, fusion="stack"))
    stack, meta = _emb(tmp_path / "stack.tif")
    assert stack.shape == a.shape and meta["SMARTIES_FUSION"] == "stack"
    assert len(json.loads(meta["SMARTIES_BANDS"])) == 14
    assert not np.allclose(stack, a, atol=1e-3)


def test_change_with_two_sensors_per_date(tmp_path, pair, fixture_model):
    s2 = RasterInput([pair[0]], sensor="sentinel2_l2a")
    s1 = RasterInput([pair[1]], sensor="sentinel1_grd")
    job = JobSpec("change", [s2, s1, s2, s1], str(tmp_path / "change.tif"), model=fixture_model, window=128,
                  keep_embeddings=True)
    result = run(job)
    before, meta = _emb(result.outputs["embeddings_before"])
    assert before.shape[0] == 384 and meta["SMARTIES_FUSION"] == "concat"
    record = json.loads(gdal.Open(result.outputs["change"]).GetMetadataItem("SMARTIES_PROVENANCE"))
    assert record["fusion"] == "concat" and record["band_mapping"] == "reference"
    change = gdal.Open(result.outputs["change"]).ReadAsArray()
    assert np.nanmax(np.abs(change)) < 1e-5  # same rasters before and after


def test_fused_inputs_must_share_a_grid(tmp_path, pair, fixture_model, realdata_dir):
    from engine.errors import RasterError

    other = sorted((realdata_dir / "s1_grd_bigearthnet").glob("*.tif"))
    other = next(str(p) for p in other if "87_48" not in p.name)
    job = _job(tmp_path, "bad", [RasterInput([pair[0]], sensor="sentinel2_l2a"),
                                 RasterInput([other], sensor="sentinel1_grd")], fixture_model)
    with pytest.raises(RasterError, match="not on the same grid"):
        run(job)
    assert not (tmp_path / "bad.tif").exists()


def test_cli_embed_with_a_second_sensor(tmp_path, pair, fixture_model, capsys):
    out = tmp_path / "cli.tif"
    code = main(["embed", pair[0], "--sensor", "sentinel2_l2a", "--with", pair[1], "--with-sensor",
                 "sentinel1_grd", "--model", fixture_model, "--window", "128", "-o", str(out), "--quiet", "--json"])
    assert code == 0
    data, meta = _emb(out)
    assert data.shape[0] == 384 and meta["SMARTIES_FUSION"] == "concat"
    capsys.readouterr()
    assert main(["embed", pair[0], "--with", pair[1], "--fusion", "stack", "--scale", "native", "--print-job"]) == 0
    job = json.loads(capsys.readouterr().out)
    assert job["fusion"] == "stack" and job["scale"] == "native" and len(job["inputs"]) == 2


def test_classify_fused_pair_and_apply_the_saved_head(tmp_path, pair, fixture_model):
    from osgeo import ogr, osr

    ds = gdal.Open(pair[0])
    gt, srs = ds.GetGeoTransform(), osr.SpatialReference(wkt=ds.GetProjection())
    path = str(tmp_path / "labels.gpkg")
    out = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    layer = out.CreateLayer("labels", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("class", ogr.OFTString))
    rng = np.random.default_rng(0)
    for k in range(40):
        col, row = rng.uniform(2, 118, 2)
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("class", "west" if col < 60 else "east")
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({gt[0] + col * gt[1]} {gt[3] + row * gt[5]})"))
        layer.CreateFeature(f)
    out = None
    inputs = [RasterInput([pair[0]], sensor="sentinel2_l2a"), RasterInput([pair[1]], sensor="sentinel1_grd")]
    job = JobSpec("classify", inputs, str(tmp_path / "classes.tif"), model=fixture_model, window=128,
                  labels_vector=path, label_field="class", classifier="knn")
    result = run(job)
    head = [p for k, p in result.outputs.items() if "head" in k][0]
    again = JobSpec("classify", inputs, str(tmp_path / "again.tif"), model=fixture_model, window=128,
                    head_path=head)
    run(again)
    a = gdal.Open(result.outputs["classes"]).ReadAsArray()
    b = gdal.Open(str(tmp_path / "again.tif")).ReadAsArray()
    assert np.array_equal(a, b)
