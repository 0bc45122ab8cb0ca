"""Output grids: maps on the input grid by default, token grids clipped to the input extent, tiny
rasters refused, half-empty edge tokens masked, similarity to several points (mean / max)."""
from __future__ import annotations

import os

import numpy as np
import pytest
from osgeo import gdal

from engine.cli import build_parser, job_from_args
from engine.errors import JobError, RasterError
from engine.inference.tiling import token_validity
from engine.jobs import JobSpec, RasterInput, run
from engine.products.output_grid import clipped_token_geotransform, describe_output

from test_raster_io import make_tif
from test_tiling_runner import S2_RGB, tiny_model  # noqa: F401  (fixture)

GT = (500000.0, 10.0, 0.0, 5100000.0, 0.0, -10.0)


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def ragged(tmp_path):
    """120 x 100 px, two materials (left / right): not a multiple of 16 px either way."""
    rng = np.random.default_rng(3)
    data = np.empty((3, 100, 120), np.uint16)
    data[:, :, :60] = rng.integers(500, 900, (3, 100, 60))
    data[:, :, 60:] = rng.integers(3000, 6000, (3, 100, 60))
    return make_tif(tmp_path / "ragged.tif", data, nodata=0)


def job(product, path, out, model, **kw):
    kw = {"window": 64, "overlap": 0.25, "batch_size": 4, "device": "cpu", **kw}
    return JobSpec(product=product, inputs=[RasterInput([path], S2_RGB)], output=str(out), model=model, **kw)


def test_resolution_defaults_follow_the_product():
    assert JobSpec(product="pca", inputs=[], output="x.tif").at_input_resolution is True
    assert JobSpec(product="clusters", inputs=[], output="x.tif").at_input_resolution is True
    assert JobSpec(product="embeddings", inputs=[], output="x.tif").at_input_resolution is False
    assert JobSpec(product="pca", inputs=[], output="x.tif", at_input_resolution=False).at_input_resolution is False
    parser = build_parser()
    assert job_from_args(parser.parse_args(["pca", "a.tif"])).at_input_resolution is True
    assert job_from_args(parser.parse_args(["pca", "a.tif", "--token-resolution"])).at_input_resolution is False
    assert job_from_args(parser.parse_args(["embed", "a.tif"])).at_input_resolution is False
    assert job_from_args(parser.parse_args(["embed", "a.tif", "--at-input-resolution"])).at_input_resolution is True
    args = parser.parse_args(["similarity", "a.tif", "--point", "1", "2", "--mode", "max", "--min-valid-share", "0.3"])
    j = job_from_args(args)
    assert j.similarity_mode == "max" and j.min_valid_share == 0.3
    with pytest.raises(JobError, match="between 0 and 1"):
        JobSpec(product="pca", inputs=[RasterInput(["a.tif"])], output="x.tif", min_valid_share=1.5).validate()


def test_maps_come_on_the_input_grid_and_token_grids_end_at_the_input_edge(tmp_path, ragged, tiny_model):
    pca = gdal.Open(run(job("pca", ragged, tmp_path / "p.tif", tiny_model)).outputs["pca"])
    assert (pca.RasterXSize, pca.RasterYSize) == (120, 100) and pca.GetGeoTransform() == GT
    tokens = gdal.Open(run(job("clusters", ragged, tmp_path / "c.tif", tiny_model, k=2,
                               at_input_resolution=False)).outputs["clusters"])
    gt = tokens.GetGeoTransform()
    assert (tokens.RasterXSize, tokens.RasterYSize) == (8, 7)  # ceil(120/16), ceil(100/16)
    assert gt[0] == GT[0] and gt[3] == GT[3]
    # east and south edges of the result are those of the input (not 128 x 112 px = 1280 x 1120 m)
    assert gt[0] + 8 * gt[1] == pytest.approx(GT[0] + 1200.0)
    assert gt[3] + 7 * gt[5] == pytest.approx(GT[3] - 1000.0)
    emb = gdal.Open(run(job("embeddings", ragged, tmp_path / "e.tif", tiny_model)).outputs["embeddings"])
    assert (emb.RasterXSize, emb.RasterYSize) == (8, 7) and emb.GetGeoTransform() == gt
    left = sorted(f for f in os.listdir(tmp_path) if not f.endswith(".aux.xml"))  # class names live in .aux.xml
    assert left == ["c.tif", "cache", "e.tif", "p.tif", "ragged.tif"]
    assert clipped_token_geotransform(GT, 128, 96) == (GT[0], 160.0, 0.0, GT[3], 0.0, -160.0)


@pytest.mark.parametrize("size", [1, 8, 24])
def test_tiny_rasters_are_refused_with_the_reason(tmp_path, tiny_model, size):
    src = make_tif(tmp_path / "tiny.tif", np.full((3, size, size), 1000, np.uint16))
    with pytest.raises(RasterError, match=rf"{size}x{size} px.*at least 32x32 px"):
        run(job("pca", src, tmp_path / "p.tif", tiny_model))
    assert sorted(os.listdir(tmp_path)) == ["tiny.tif"]


def test_an_area_smaller_than_a_window_says_what_the_user_gets(tmp_path, ragged, tiny_model):
    res = run(job("pca", ragged, tmp_path / "p.tif", tiny_model, window=224))
    assert any("smaller than one 224 px window" in n for n in res.report["notes"])
    text = describe_output(120, 100, 10.0, False, 224, "m")
    assert text.startswith("Result: 8 x 7 px at 150 m") and "smaller than one 224 px window" in text
    assert describe_output(1000, 1000, 10.0, True, 224, "m") == ("Result: 1000 x 1000 px at 10 m (the input "
                                                                "grid), from 63 x 63 patches of 16 px.")


def test_token_validity_share():
    valid = np.ones((32, 32), bool)
    valid[:, :6] = False  # the left token column keeps 10 of 16 pixel columns (62 %)
    valid[:, 16:28] = False  # the right one keeps 4 of 16 (25 %)
    assert token_validity(valid, 16, 0.0).all()
    assert token_validity(valid, 16, 0.5).tolist() == [[True, False], [True, False]]
    assert not token_validity(np.zeros((16, 16), bool), 16, 0.0).any()


def test_half_empty_edge_tokens_are_nodata(tmp_path, tiny_model):
    rng = np.random.default_rng(5)
    data = rng.integers(500, 5000, (3, 64, 64)).astype(np.uint16)
    data[:, :, :20] = 0  # a swath edge: token column 1 keeps 12 of 16 px, column 0 nothing
    data[:, :, 16:28] = 0  # ... and now column 1 keeps 4 of 16 px (25 %)
    src = make_tif(tmp_path / "edge.tif", data, nodata=0)
    masked = gdal.Open(run(job("embeddings", src, tmp_path / "m.tif", tiny_model)).outputs["embeddings"]).ReadAsArray()
    kept = gdal.Open(run(job("embeddings", src, tmp_path / "k.tif", tiny_model,
                             min_valid_share=0.0)).outputs["embeddings"]).ReadAsArray()
    assert np.isnan(masked[:, :, :2]).all() and np.isfinite(masked[:, :, 2:]).all()
    assert np.isnan(kept[:, :, 0]).all() and np.isfinite(kept[:, :, 1:]).all()
    assert gdal.Open(str(tmp_path / "m.tif")).GetMetadataItem("SMARTIES_MIN_VALID_SHARE") == "0.5"


def test_similarity_max_over_points_lets_each_place_stand_out(tmp_path, ragged, tiny_model):
    # one point on each material: the mean reference sits between them, the max keeps both at 1
    points = [(GT[0] + 200.0, GT[3] - 400.0), (GT[0] + 1000.0, GT[3] - 400.0)]
    common = dict(reference_points=points, at_input_resolution=False)
    mean = gdal.Open(run(job("similarity", ragged, tmp_path / "mean.tif", tiny_model, **common))
                     .outputs["similarity"]).ReadAsArray()
    res = run(job("similarity", ragged, tmp_path / "max.tif", tiny_model, similarity_mode="max", **common))
    best = gdal.Open(res.outputs["similarity"]).ReadAsArray()
    cells = [(2, 1), (2, 6)]  # token (row, col) of each point (pixel 40 / 20 and 40 / 100 at 15 x 14.3 px)
    for r, c in cells:
        assert best[r, c] == pytest.approx(1.0, abs=1e-5)
        assert mean[r, c] < best[r, c] - 1e-4
    assert (best[np.isfinite(best)] >= mean[np.isfinite(mean)] - 1e-6).all()
    assert res.report["similarity"]["mode"] == "max"


def test_one_spectrum_rule_optical_thermal_window_c_band():
    """Mid-infrared (3-4 um) is refused and the message names the thermal window that is accepted."""
    from engine.errors import BandError
    from engine.spectral import resolve_band

    assert resolve_band("10600-11200nm").mix  # thermal window: mapped like the derived thermal layer
    with pytest.raises(BandError, match=r"3000-3400 nm.*422-2376 nm optical.*thermal window.*8-15 um"):
        resolve_band("3000-3400nm")
