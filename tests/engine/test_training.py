"""Pretraining: MAE layout, loss goes down, checkpoint/resume, export loads through load_encoder,
two-process DDP on CPU (gloo), probes, and errors for bad pair folders."""
from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import numpy as np
import pytest
import torch

from engine.errors import BandError, RasterError
from engine.training.datasets import FolderPairDataset, usable_bands
from engine.training.mae import DecoderConfig, build_mae
from engine.training.pretrain import (DEFAULT_CONFIG, load_training_state, make_optimizer, merge_config,
                                      model_from_config, pretrain)

from training_fixtures import PAIRS, TINY_MODEL, synthetic_pairs


def tiny_cfg(out: Path, steps: int, **train) -> dict:
    t = {"steps": steps, "batch_size": 8, "crop": 64, "crop_scale": [0.3, 1.0], "lr": 3e-3, "warmup_steps": 2,
         "log_every": 5, "checkpoint_every": 10, "threads": 1}
    t.update(train)
    return merge_config(DEFAULT_CONFIG, {"model": TINY_MODEL, "train": t, "output": {"dir": str(out)},
                                         "data": {"kind": "synthetic", "n_scenes": 4, "scene_size": 96, "pairs": PAIRS}})


@pytest.fixture(scope="module")
def tiny_data():
    return synthetic_pairs(4, 96, seed=5)


def test_mae_state_dict_has_released_layout(reference_dir):
    model = build_mae(64, 2, 4, decoder=DecoderConfig(32, 1, 4))
    names = set(model.state_dict())
    ref = [line.split("\t")[0] for line in (reference_dir / "smarties_vitb_mae_decoder_keys.txt").read_text().splitlines()
           if line and not line.startswith("#")]
    prefixes = {n.split(".")[0] for n in ref}
    assert prefixes == {n.split(".")[0] for n in names if n.startswith(("decoder_", "mask_token"))}
    assert {f"decoder_preds.{i}.weight" for i in range(17)} <= names
    assert "decoder_blocks.0.attn.qkv.weight" in names and "spectrum_projection.spectrum_embeds.16.proj.weight" in names
    assert tuple(model.decoder_pos_embed.shape) == (1, 197, 32) and not model.decoder_pos_embed.requires_grad


def test_mixup_takes_half_the_tokens_from_each_sensor(tiny_data):
    model = build_mae(32, 1, 2, decoder=DecoderConfig(32, 1, 2))
    it = tiny_data[0]
    xa, xb = torch.from_numpy(it.a[None, :, :64, :64]), torch.from_numpy(it.b[None, :, :64, :64])
    loss, info = model(xa, xb, it.mixes_a, it.mixes_b)
    assert torch.isfinite(loss) and info["from_a"].sum().item() == 8 and info["mask"].sum().item() == 12
    loss.backward()
    # Both sensors' projection layers and reprojection layers receive gradients.
    assert model.spectrum_projection.spectrum_embeds[15].proj.weight.grad.abs().sum() > 0
    assert model.spectrum_projection.spectrum_embeds[6].proj.weight.grad.abs().sum() > 0
    assert model.decoder_preds[16].weight.grad.abs().sum() > 0 and model.decoder_preds[6].weight.grad.abs().sum() > 0
    assert model.decoder_preds[2].weight.grad is None  # RGB layer not in this pair
    torch.manual_seed(0)
    plain, _ = model(xa, xb, it.mixes_a, it.mixes_b)
    torch.manual_seed(0)
    crossed, _ = model(xa, xb, it.mixes_a, it.mixes_b, cross_weight=0.5)
    assert torch.isfinite(crossed) and crossed > plain  # the cross-sensor term adds a positive loss
    torch.manual_seed(0)
    aligned, _ = model(xa, xb, it.mixes_a, it.mixes_b, align_weight=0.5)
    assert torch.isfinite(aligned) and aligned > plain  # untrained twins are not aligned yet
    aligned.backward()


def test_short_run_lowers_loss_saves_resumes_and_loads(tmp_path, tiny_data):
    from engine.model import load_encoder

    out = tmp_path / "run"
    s1 = pretrain(tiny_cfg(out, 20), resume=False, dataset=tiny_data, log=lambda s: None)
    losses = [h["loss"] for h in s1["history"]]
    assert s1["steps"] == 20 and losses[-1] < losses[0]
    state = load_training_state(out / "checkpoint.pt")
    assert state["step"] == 20
    model = model_from_config(tiny_cfg(out, 20))
    model.load_state_dict(state["model"])
    opt = make_optimizer(model, tiny_cfg(out, 20))
    opt.load_state_dict(state["optimizer"])
    assert int(opt.state_dict()["state"][0]["step"]) == 20  # Adam moments and step count restored
    s2 = pretrain(tiny_cfg(out, 30), resume=True, dataset=tiny_data, log=lambda s: None)
    assert s2["steps"] == 30 and s2["history"][0]["step"] == 5  # continued, history kept
    assert int(load_training_state(out / "checkpoint.pt")["optimizer"]["state"][0]["step"]) == 30
    # The training checkpoint loads as an encoder (decoder tensors set aside).
    enc = load_encoder(str(out / "checkpoint.pt"))
    assert enc.embed_dim == 64 and len(enc.blocks) == 1
    x = torch.from_numpy(tiny_data[0].a[None, :, :64, :64])
    bands = [f"sentinel2_l2a:{n}" for n in usable_bands("sentinel2_l2a")[1]]
    assert enc.patch_tokens(x, bands).shape == (1, 64, 4, 4)


def test_export_fp16_with_card_loads_through_load_encoder(tmp_path, tiny_data):
    from engine.model import load_encoder
    from engine.training.export import export_default

    out = tmp_path / "run"
    cfg = tiny_cfg(out, 5)
    pretrain(cfg, resume=False, dataset=tiny_data, log=lambda s: None)
    metrics = tmp_path / "m.json"
    metrics.write_text(json.dumps({"tasks": {"t": {"pretrained": {"knn": 0.5}}}, "beats_baselines": {}}))
    path = export_default(cfg, output=str(tmp_path / "tiny.safetensors"), metrics_path=str(metrics))
    card = json.loads((tmp_path / "tiny.json").read_text())
    for sensor in ("sentinel2_l2a", "sentinel2_l1c", "sentinel1_grd", "landsat8", "naip", "rgb_vhr"):
        assert set(card["normalization"][sensor][next(iter(card["normalization"][sensor]))]) >= {"p1", "p99", "mean", "std"}
    assert card["license"] == "Apache-2.0" and card["training"]["steps"] == 5 and "metrics" in card
    assert "synthetic" in (tmp_path / "MODEL_CARD.md").read_text()
    enc = load_encoder(path)
    from safetensors import safe_open

    with safe_open(path, "pt") as f:
        assert f.get_tensor("blocks.0.attn.qkv.weight").dtype == torch.float16
        assert any(k.startswith("decoder_preds.") for k in f.keys())
    ref = model_from_config(cfg)
    ref.load_state_dict(load_training_state(out / "checkpoint.pt")["model"])
    x = torch.from_numpy(tiny_data[1].a[None, :, :64, :64])
    bands = [f"sentinel2_l2a:{n}" for n in usable_bands("sentinel2_l2a")[1]]
    assert torch.allclose(enc.patch_tokens(x, bands), ref.eval().patch_tokens(x, bands), atol=5e-2)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ddp_worker(rank: int, world: int, port: int, out: str) -> None:
    os.environ.update({"RANK": str(rank), "WORLD_SIZE": str(world), "LOCAL_RANK": str(rank),
                       "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)})
    torch.set_num_threads(1)
    data = synthetic_pairs(2, 64, seed=5)
    cfg = tiny_cfg(Path(out), 3, checkpoint_every=3, log_every=1, batch_size=4)
    summary = pretrain(cfg, resume=False, dataset=data, log=lambda s: None)
    np.save(Path(out) / f"rank{rank}.npy", np.array([summary["steps"], summary["world_size"], summary["param_checksum"]]))
    torch.distributed.destroy_process_group()


@pytest.mark.slow
def test_two_process_ddp_on_cpu(tmp_path):
    import torch.multiprocessing as mp

    mp.spawn(_ddp_worker, args=(2, _free_port(), str(tmp_path)), nprocs=2, join=True)
    results = [np.load(tmp_path / f"rank{r}.npy") for r in range(2)]
    for steps, world, _ in results:
        assert steps == 3 and world == 2
    # Different batches on each rank, but all-reduced gradients: identical weights afterwards.
    assert results[0][2] == results[1][2]
    state = load_training_state(tmp_path / "checkpoint.pt")
    assert state["step"] == 3


def test_probes_run_and_knn_linear_are_sane():
    from engine.training.probe import band_mean_features, knn_accuracy, linear_probe_accuracy, run_probes

    rng = np.random.default_rng(0)
    centres = rng.normal(0, 3, (4, 8))
    y = rng.integers(0, 4, 400)
    f = centres[y] + rng.normal(0, 0.5, (400, 8))
    assert knn_accuracy(f[:300], y[:300], f[300:], y[300:]) > 0.95
    assert linear_probe_accuracy(f[:300], y[:300], f[300:], y[300:]) > 0.95
    enc = build_mae(32, 1, 2, decoder=DecoderConfig(32, 1, 2)).eval()
    from engine.training.probe import encoder_features

    rep = run_probes({"enc": encoder_features(enc, 64), "raw": band_mean_features()}, n_scenes=3, size=64)
    assert len(rep["tasks"]) == 4
    for task in rep["tasks"].values():
        assert 0 <= task["enc"]["knn"] <= 1 and 0 <= task["raw"]["linear"] <= 1


# ---------------------------------------------------------------- pair folders and their errors
def _write(path: Path, data: np.ndarray, descriptions, pixel=10.0, nodata=None):
    gdal = pytest.importorskip("osgeo.gdal")
    from osgeo import osr

    path.parent.mkdir(parents=True, exist_ok=True)
    c, h, w = data.shape
    ds = gdal.GetDriverByName("GTiff").Create(str(path), w, h, c, gdal.GDT_Float32)
    ds.SetGeoTransform((500000, pixel, 0, 5100000, 0, -pixel))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    ds.SetProjection(srs.ExportToWkt())
    for i in range(c):
        b = ds.GetRasterBand(i + 1)
        b.WriteArray(data[i])
        b.SetDescription(descriptions[i])
        if nodata is not None:
            b.SetNoDataValue(nodata)
    ds = None


def _pair_folder(root: Path, n=2, s1_pixel=10.0, s1_nan=False):
    rng = np.random.default_rng(0)
    for i in range(n):
        _write(root / "s2" / f"p{i}.tif", rng.uniform(100, 3000, (3, 32, 32)), ["B02", "B03", "B04"])
        s1 = np.full((2, 32, 32), np.nan) if s1_nan else rng.uniform(-25, -5, (2, 32, 32))
        _write(root / "s1" / f"p{i}.tif", s1, ["VV", "VH"], pixel=s1_pixel)


def test_folder_pairs_load(tmp_path):
    _pair_folder(tmp_path)
    ds = FolderPairDataset(tmp_path, "s2", "s1", "sentinel2_l2a", "sentinel1_grd")
    item = ds[1]
    assert len(ds) == 2 and item.a.shape == (3, 32, 32) and item.b.shape == (2, 32, 32)
    assert item.mixes_b == [((15, 1.0),), ((16, 1.0),)] and np.isfinite(item.a).all()


def test_folder_errors_empty_grid_nan_band(tmp_path):
    with pytest.raises(RasterError, match="No GeoTIFF"):
        FolderPairDataset(tmp_path / "nothing")
    _pair_folder(tmp_path / "grid", s1_pixel=20.0)
    ds = FolderPairDataset(tmp_path / "grid", sensor_a="sentinel2_l2a", sensor_b="sentinel1_grd")
    with pytest.raises(RasterError, match="same grid"):
        ds[0]
    _pair_folder(tmp_path / "nan", n=1, s1_nan=True)
    with pytest.raises(RasterError, match="no valid pixels"):
        FolderPairDataset(tmp_path / "nan", sensor_a="sentinel2_l2a", sensor_b="sentinel1_grd")
    root = tmp_path / "uv"
    _write(root / "s2" / "a.tif", np.ones((2, 16, 16)), ["634-696nm", "300-350nm"])
    _write(root / "s1" / "a.tif", np.ones((2, 16, 16)), ["VV", "VH"])
    with pytest.raises(BandError, match="350"):
        FolderPairDataset(root, sensor_b="sentinel1_grd")


def test_real_bigearthnet_pairs_pretrain_a_few_steps(tmp_path, realdata_dir):
    """A user's archive: real co-registered S2 L2A / S1 patches, band identities from the files."""
    s2 = sorted((realdata_dir / "s2_l2a_bigearthnet").glob("*_stack12_10m.tif"))
    s1 = sorted((realdata_dir / "s1_grd_bigearthnet").glob("*_VV_VH_dB.tif"))
    if not s2 or not s1:
        pytest.skip("BigEarthNet samples not found")
    for sub in ("s2", "s1"):
        (tmp_path / "pairs" / sub).mkdir(parents=True)
    for p in s2[:2]:
        key = p.name.split("_", 3)[-1].replace("_stack12_10m.tif", "")  # e.g. 87_48
        match = [q for q in s1 if q.name.endswith(f"_{key}_VV_VH_dB.tif")]
        if match:
            (tmp_path / "pairs" / "s2" / f"{key}.tif").symlink_to(p)
            (tmp_path / "pairs" / "s1" / f"{key}.tif").symlink_to(match[0])
    ds = FolderPairDataset(tmp_path / "pairs", "s2", "s1")
    assert ds.layout[0][3] == "sentinel2_l2a" and ds.layout[1][1] == ["VV", "VH"]
    summary = pretrain(tiny_cfg(tmp_path / "run", 3, log_every=1), resume=False, dataset=ds, log=lambda s: None)
    assert summary["steps"] == 3 and all(np.isfinite(h["loss"]) for h in summary["history"])


def test_pair_sensor_can_be_some_bands_of_a_preset():
    from engine.training.datasets import SyntheticPairDataset, split_sensor_spec

    assert split_sensor_spec("sentinel1_grd") == ("sentinel1_grd", None)
    assert split_sensor_spec("landsat7:B6") == ("landsat7", ["B6"])
    with pytest.raises(BandError, match="B10 is not a band of landsat7.*B6"):
        split_sensor_spec("landsat7:B10")
    data = SyntheticPairDataset(2, 48, [("sentinel2_l2a", "landsat7:B6", 1.0)], seed=4)
    it = data[0]
    assert it.sensors == ("sentinel2_l2a", "landsat7:B6") and it.b.shape == (1, 48, 48)
    # the thermal band keeps its own layer decision (interpolated, as for any thermal band)
    assert it.mixes_b == [usable_bands("landsat7", ["B6"])[2][0]]
    assert np.isfinite(it.b).all() and 0.5 < float(it.b.std()) < 2.0  # normalised with landsat7's statistics
