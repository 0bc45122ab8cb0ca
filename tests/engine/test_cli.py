"""`python -m engine`: every product command, errors as one line with exit code 2, real rasters, demo."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal

from engine.cli import main

from test_raster_io import make_tif
from test_tiling_runner import tiny_model  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]

# How to tell the bands of real files that carry no band descriptions.
REALDATA_BANDS = {
    "l8_s1_peru/LC08_003069_20180906_clip.tif": ["--sensor", "landsat8", "--bands", "B2,B3,B4,B5,B6,B7"],
    "l8_s1_peru/S1_2018_VV_VH_clip.tif": ["--bands", "VV,VH,skip"],
    "l8_sr_brazil/LC08_232066_20190727.tif": ["--sensor", "landsat8", "--bands", "B2,B3,B4,B5,B6,B7"],
    "naip_rgbn_change/*": ["--sensor", "naip"],
    "vhr_rgb_denver/*": ["--sensor", "rgb_vhr"],
}
NOT_IMAGERY = {"s2_l1c_slovenia/LULC_labels.tif"}  # a land-cover label raster


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))


def _extra(rel: str) -> list[str]:
    for key, extra in REALDATA_BANDS.items():
        if key == rel or (key.endswith("/*") and rel.startswith(key[:-1])):
            return extra
    return []


def cli(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_embed_every_real_raster(tmp_path, realdata_dir, tiny_model, capsys):
    rasters = sorted(p for p in realdata_dir.glob("*/*.tif") if p.relative_to(realdata_dir).as_posix() not in NOT_IMAGERY)
    assert len(rasters) >= 20
    for path in rasters:
        rel = path.relative_to(realdata_dir).as_posix()
        out = tmp_path / (path.stem + ".tif")
        code, stdout, err = cli(["embed", path, "--model", tiny_model, "--window", 64, "--quiet", "--json",
                                 "-o", out, "--device", "cpu", "--overlap", 0] + _extra(rel), capsys)
        assert code == 0, f"{rel}: {err}"
        result = json.loads(stdout)
        src, dst = gdal.Open(str(path)), gdal.Open(result["outputs"]["embeddings"])
        sgt, dgt = src.GetGeoTransform(), dst.GetGeoTransform()
        assert dst.GetProjection() == src.GetProjection(), rel
        assert dst.RasterXSize == -(-src.RasterXSize // 16) and dst.RasterYSize == -(-src.RasterYSize // 16), rel
        # the token grid ends where the input ends (pixels 16x the input's, squeezed at ragged edges)
        assert dgt[0] == sgt[0] and dgt[3] == sgt[3], rel
        assert dgt[1] * dst.RasterXSize == pytest.approx(sgt[1] * src.RasterXSize), rel
        assert dgt[5] * dst.RasterYSize == pytest.approx(sgt[5] * src.RasterYSize), rel
        assert dgt[1] == pytest.approx(16 * sgt[1], rel=1 / dst.RasterXSize), rel
        assert np.isfinite(dst.GetRasterBand(1).ReadAsArray()).any(), rel


def test_real_products(tmp_path, realdata_dir, tiny_model, capsys):
    common = ["--model", tiny_model, "--window", 64, "--quiet", "--device", "cpu"]
    brazil = realdata_dir / "l8_sr_brazil" / "LC08_232066_20190727.tif"
    l8 = ["--sensor", "landsat8", "--bands", "B2,B3,B4,B5,B6,B7"]
    code, _, err = cli(["similarity", brazil, "--reference", realdata_dir / "l8_sr_brazil" / "endmembers.shp",
                        "-o", tmp_path / "sim.tif"] + l8 + common, capsys)
    assert code == 0, err
    sim = gdal.Open(str(tmp_path / "sim.tif")).ReadAsArray()
    assert np.nanmax(sim) <= 1 and np.nanmin(sim) >= -1
    code, _, err = cli(["cluster", brazil, "--k", 4, "-o", tmp_path / "cl.tif"] + l8 + common, capsys)
    assert code == 0, err
    naip = sorted((realdata_dir / "naip_rgbn_change").glob("*.tif"))
    code, _, err = cli(["change", naip[0], naip[1], "--sensor", "naip", "-o", tmp_path / "ch.tif",
                        "--resolution", 20] + common, capsys)
    assert code == 0, err
    assert gdal.Open(str(tmp_path / "ch.tif")).GetGeoTransform()[1] == 20.0  # maps: on the input grid
    code, _, err = cli(["change", naip[0], naip[2], "--sensor", "naip", "-o", tmp_path / "bad.tif", "--no-align"]
                       + common, capsys)
    assert code == 2 and "same grid" in err and "gdalwarp" in err and "Traceback" not in err
    assert not (tmp_path / "bad.tif").exists()


def test_bands_command(realdata_dir, capsys):
    s2 = next((realdata_dir / "s2_l1c_slovenia").glob("S2_*.tif"))
    code, out, _ = cli(["bands", s2], capsys)
    assert code == 0 and "B8A" in out and "B10" in out and "left out" in out
    code, out, err = cli(["bands", realdata_dir / "l8_sr_brazil" / "LC08_232066_20190727.tif"], capsys)
    assert code == 2 and "--sensor" in err


def test_print_job_and_errors(tmp_path, capsys):
    p = make_tif(tmp_path / "a.tif", np.ones((3, 32, 32), np.uint16))
    code, out, _ = cli(["cluster", p, "--k", 5, "--bands", "B02,B03,B04", "--sensor", "sentinel2_l2a",
                        "--extent", "500000,5099700,500200,5100000", "--print-job", "-o", tmp_path / "c.tif"], capsys)
    job = json.loads(out)
    assert code == 0 and job["product"] == "clusters" and job["k"] == 5
    assert job["inputs"][0]["bands"] == ["B02", "B03", "B04"] and job["extent"] == [500000, 5099700, 500200, 5100000]
    assert not (tmp_path / "c.tif").exists()
    code, _, err = cli(["embed", tmp_path / "missing.tif", "--bands", "B02"], capsys)
    assert code == 2 and err.startswith("error:") and "missing.tif" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli(["embed", p, "--bands", "B02,B03"], capsys)
    assert code == 2 and "3 bands" in err
    code, _, err = cli(["embed", p, "--window", 100, "--bands", "B02,B03,B04"], capsys)
    assert code == 2 and "multiple of 16" in err


def test_subprocess_exit_code_without_traceback(tmp_path):
    r = subprocess.run([sys.executable, "-m", "engine", "embed", str(tmp_path / "nope.tif"), "--quiet"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "nope.tif" in r.stderr


def test_output_pipe_closed_by_its_reader_is_a_quiet_stop(tmp_path):
    """`smarties bands scene.tif | head`: when the reader has gone, no 'error: Broken pipe; check the
    path, its permissions and free space' (nothing was wrong with any file), exit 141 like Unix tools."""
    scene = make_tif(tmp_path / "s.tif", np.ones((4, 40, 40), np.uint16), descriptions=["B02", "B03", "B04", "B08"])
    proc = subprocess.Popen([sys.executable, "-m", "engine", "bands", scene], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT)
    proc.stdout.close()  # the reader is gone before the command prints (it takes a second to start)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "error" not in err and "Broken pipe" not in err and "Traceback" not in err and "Exception" not in err, err


def test_demo_writes_outputs_and_summary(tmp_path, tiny_model, capsys):
    sample = ROOT / "resources" / "sample" / "sample_s2_l2a.tif"
    if not sample.is_file():  # until the bundled scene lands, a synthetic one stands in
        rng = np.random.default_rng(0)
        sample = Path(make_tif(tmp_path / "sample.tif", rng.integers(1, 9999, (12, 96, 96)).astype(np.uint16),
                               descriptions=["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A",
                                             "B09", "B11", "B12"]))
    out = tmp_path / "demo"
    code, stdout, err = cli(["demo", "--output", out, "--model", tiny_model, "--window", 64, "--input", sample,
                             "--quiet", "--device", "cpu"], capsys)
    assert code == 0, err
    summary = json.loads((out / "demo.json").read_text())
    assert set(summary["outputs"]) == {"embeddings", "pca", "clusters"}
    for path in summary["outputs"].values():
        assert os.path.exists(path) and path in stdout
    assert gdal.Open(summary["outputs"]["clusters"]).GetRasterBand(1).GetColorTable().GetCount() >= 8


def test_models_command(capsys):
    code, out, _ = cli(["models", "list", "--json"], capsys)
    ids = [m["id"] for m in json.loads(out)["models"]]
    assert code == 0 and "smarties-v1-vitb" in ids
    code, _, err = cli(["models", "locate", "no-such-model"], capsys)
    assert code == 2 and "no-such-model" in err


def test_stacked_single_band_files(tmp_path, tiny_model, capsys):
    rng = np.random.default_rng(0)
    b04 = make_tif(tmp_path / "T_B04.tif", rng.integers(1, 9999, (64, 64)).astype(np.uint16))
    b11 = make_tif(tmp_path / "T_B11.tif", rng.integers(1, 9999, (32, 32)).astype(np.uint16),
                   gt=(500000.0, 20.0, 0.0, 5100000.0, 0.0, -20.0))
    code, out, err = cli(["embed", b04, b11, "--sensor", "sentinel2_l2a", "--bands", "B04,B11", "--model", tiny_model,
                          "--window", 32, "-o", tmp_path / "e.tif", "--quiet", "--json"], capsys)
    assert code == 0, err
    ds = gdal.Open(json.loads(out)["outputs"]["embeddings"])
    assert (ds.RasterXSize, ds.RasterYSize) == (4, 4) and ds.GetGeoTransform()[1] == 160.0


def test_classify_command_wiring(tmp_path, realdata_dir, tiny_model, capsys):
    pytest.importorskip("engine.products.classify")
    folder = realdata_dir / "l8_sr_brazil"
    code, out, err = cli(["classify", folder / "LC08_232066_20190727.tif", "--labels", folder / "endmembers.shp",
                          "--field", "class", "--classifier", "knn", "--sensor", "landsat8", "--bands",
                          "B2,B3,B4,B5,B6,B7", "--model", tiny_model, "--window", 64, "--quiet", "--json",
                          "-o", tmp_path / "cls.tif"], capsys)
    assert code == 0, err
    outputs = json.loads(out)["outputs"]
    assert os.path.exists(outputs["classes"])
    code, _, err = cli(["classify", folder / "LC08_232066_20190727.tif", "--sensor", "landsat8", "--bands",
                        "B2,B3,B4,B5,B6,B7", "-o", tmp_path / "x.tif"], capsys)
    assert code == 2 and "labelled vector" in err


def test_random_forest_and_hdbscan_commands(tmp_path, realdata_dir, tiny_model, capsys):
    folder = realdata_dir / "l8_sr_brazil"
    l8 = ["--sensor", "landsat8", "--bands", "B2,B3,B4,B5,B6,B7", "--model", tiny_model, "--window", 64, "--quiet",
          "--json", "--device", "cpu"]
    code, out, err = cli(["classify", folder / "LC08_232066_20190727.tif", "--labels", folder / "endmembers.shp",
                          "--field", "class", "--classifier", "random_forest", "-o", tmp_path / "rf.tif"] + l8, capsys)
    assert code == 0, err
    result = json.loads(out)
    assert result["report"]["classify"]["classifier"] == "random_forest" if "classify" in result["report"] \
        else result["report"]["classifier"] == "random_forest"
    head = json.load(open(result["outputs"]["head"]))
    assert head["classifier"]["kind"] == "random_forest" and head["classifier"]["library"].startswith("scikit-learn")
    code, out, err = cli(["cluster", folder / "LC08_232066_20190727.tif", "--method", "hdbscan", "-o",
                          tmp_path / "hd.tif"] + l8, capsys)
    assert code == 0, err
    ds = gdal.Open(str(tmp_path / "hd.tif"))
    assert ds.GetMetadataItem("SMARTIES_CLUSTER_METHOD") == "hdbscan"
    k = int(ds.GetMetadataItem("SMARTIES_K"))
    values = set(np.unique(ds.GetRasterBand(1).ReadAsArray()).tolist())
    assert k >= 2 and values <= set(range(k + 1)) | {255}  # clusters 0..k-1, k = unclustered, 255 = nodata
    assert len(values - {255}) >= 2


def test_cluster_method_reaches_the_job(tmp_path, capsys):
    p = make_tif(tmp_path / "a.tif", np.ones((3, 32, 32), np.uint16))
    code, out, _ = cli(["cluster", p, "--method", "hdbscan", "--min-cluster-size", 25, "--bands", "B02,B03,B04",
                        "--print-job", "-o", tmp_path / "c.tif"], capsys)
    job = json.loads(out)
    assert code == 0 and job["cluster_method"] == "hdbscan" and job["min_cluster_size"] == 25
    with pytest.raises(SystemExit) as exc:  # argparse refuses an unknown method
        cli(["cluster", p, "--method", "dbscan", "--bands", "B02,B03,B04"], capsys)
    assert exc.value.code == 2 and "hdbscan" in capsys.readouterr().err


def test_device_line_is_printed_on_a_terminal(tmp_path, tiny_model, capsys, monkeypatch):
    p = make_tif(tmp_path / "a.tif", np.random.default_rng(0).integers(1, 9999, (3, 64, 64)).astype(np.uint16))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, _, err = cli(["embed", p, "--bands", "B02,B03,B04", "--sensor", "sentinel2_l2a", "--model", tiny_model,
                        "--window", 32, "--device", "cpu", "-o", tmp_path / "e.tif"], capsys)
    assert code == 0, err
    # the pre-run estimate (engine.preflight) with its time, then the device and precision, once each
    lines = err.splitlines()
    estimate = [line for line in lines if line.startswith("estimate:")]
    device = [line for line in lines if line.startswith("device:")]
    assert len(estimate) == 1 and " on cpu (" in estimate[0], err
    assert len(device) == 1 and device[0].startswith("device: CPU, ") and " thread" in device[0], err
    assert ":" not in device[0][len("device:"):], device  # no second, coarser time ("under a minute")
