"""Pretraining recipes beside SMARTIES (AuxMAE, S2-only MAE, MixMAE, channel-separated MAE): short
runs lower the loss, save and resume; exported encoders run through the products on a real
raster; AuxMAE's schedule, MixMAE's complementary mix, the channel encoder's bands, pair
misalignment, and the added probes."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from engine.errors import BandError, EngineError
from engine.training.pretrain import DEFAULT_CONFIG, PairBatcher, load_training_state, merge_config, pretrain

from training_fixtures import PAIRS, TINY_MODEL, synthetic_pairs

RECIPES = ["s2_mae", "auxmae", "mixmae", "channel_mae"]
S2 = [f"sentinel2_l2a:{b}" for b in ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B11", "B12")]


def recipe_cfg(out: Path, recipe: str, steps: int, **train) -> dict:
    t = {"recipe": recipe, "steps": steps, "batch_size": 8, "crop": 32, "crop_scale": [0.3, 1.0], "lr": 3e-3,
         "warmup_steps": 2, "log_every": 5, "checkpoint_every": 10, "threads": 1,
         "mask_ratio": 0.0 if recipe == "mixmae" else 0.75}
    t.update(train)
    return merge_config(DEFAULT_CONFIG, {"model": {**TINY_MODEL, "img_size": 32}, "train": t, "output": {"dir": str(out)},
                                         "data": {"kind": "synthetic", "n_scenes": 4, "scene_size": 96, "pairs": PAIRS}})


@pytest.fixture(scope="module")
def tiny_data():
    return synthetic_pairs(4, 96, seed=5)


@pytest.mark.parametrize("recipe", RECIPES)
def test_recipe_short_run_lowers_loss_saves_and_resumes(tmp_path, tiny_data, recipe):
    out = tmp_path / recipe
    torch.manual_seed(0)
    first = pretrain(recipe_cfg(out, recipe, 20), resume=False, dataset=tiny_data, log=lambda s: None)
    losses = [h["loss"] for h in first["history"]]
    assert first["steps"] == 20 and losses[-1] < losses[0], losses
    state = load_training_state(out / "checkpoint.pt")
    assert state["step"] == 20 and state["recipe"] == recipe
    resumed = pretrain(recipe_cfg(out, recipe, 25), resume=True, dataset=tiny_data, log=lambda s: None)
    assert resumed["steps"] == 25 and [h["step"] for h in resumed["history"]] == [5, 10, 15, 20, 25]
    with pytest.raises(EngineError, match="trained with recipe"):
        pretrain(recipe_cfg(out, "mixmae" if recipe != "mixmae" else "s2_mae", 30), dataset=tiny_data, log=lambda s: None)


@pytest.mark.parametrize("recipe", RECIPES)
def test_recipe_encoder_makes_clusters_on_a_real_raster(tmp_path, tiny_data, realdata_dir, recipe):
    from osgeo import gdal

    from engine.jobs import JobSpec, RasterInput, run
    from engine.model import load_encoder
    from engine.training.recipes import export_recipe

    src = sorted((realdata_dir / "s2_l2a_bigearthnet").glob("*_stack12_10m.tif"))
    if not src:
        pytest.skip("BigEarthNet Sentinel-2 samples not found")
    cfg = recipe_cfg(tmp_path / "run", recipe, 5)
    pretrain(cfg, resume=False, dataset=tiny_data, log=lambda s: None)
    path = export_recipe(cfg, output=str(tmp_path / f"{recipe}.safetensors"))
    card = json.loads((tmp_path / f"{recipe}.json").read_text())
    assert card["training"]["recipe"] == recipe and "sentinel2_l2a" in card["normalization"]
    enc = load_encoder(path)
    assert (card["architecture"].get("kind") == "channel_separated") == (recipe == "channel_mae")
    assert type(enc).__name__ == ("ChannelSeparatedEncoder" if recipe == "channel_mae" else "SpectralEncoder")
    res = run(JobSpec(product="clusters", inputs=[RasterInput([str(src[0])])], output=str(tmp_path / "c.tif"),
                      model=path, window=64, overlap=0.25, batch_size=4, device="cpu", k=3, keep_embeddings=True))
    emb = gdal.Open(res.outputs["embeddings"])
    assert emb.RasterCount == TINY_MODEL["embed_dim"] and np.isfinite(emb.ReadAsArray()).all()
    clusters = gdal.Open(res.outputs["clusters"]).ReadAsArray()
    src_ds = gdal.Open(str(src[0]))
    assert clusters.shape == (src_ds.RasterYSize, src_ds.RasterXSize)  # maps on the input grid
    assert len(np.unique(clusters[clusters != 0])) >= 2


# ---------------------------------------------------------------- AuxMAE
def test_auxmae_schedule_alternates_and_s1_gets_no_gradient(tiny_data):
    from engine.training.auxmae import AuxMAE
    from engine.training.recipes import aux_task
    from engine.model.vit import Architecture

    assert [aux_task(s, 0.5) for s in range(6)] == ["mae", "aux"] * 3
    assert {aux_task(s, 0.0) for s in range(10)} == {"mae"}
    assert sum(aux_task(s, 0.25) == "aux" for s in range(100)) == 25
    model = AuxMAE(Architecture(embed_dim=32, depth=1, num_heads=2, img_size=32), 32, 1, 2)
    it = tiny_data[0]
    xa, xb = torch.from_numpy(it.a[None, :, :32, :32]), torch.from_numpy(it.b[None, :, :32, :32])
    for task in ("mae", "aux"):
        model.zero_grad()
        loss, info = model(task, xa, xb, it.mixes_a, it.mixes_b)
        loss.backward()
        assert torch.isfinite(loss) and info["task"] == task
        # Sentinel-1 (VV, VH layers 15/16) never enters the encoder.
        assert model.spectrum_projection.spectrum_embeds[15].proj.weight.grad is None
    assert model.decoder_aux.preds[15].weight.grad.abs().sum() > 0  # the auxiliary head predicts VV
    with pytest.raises(ValueError, match="paired"):
        model("aux", xa, None, it.mixes_a, [])


def _write(path: Path, data: np.ndarray, names):
    from osgeo import gdal, osr

    path.parent.mkdir(parents=True, exist_ok=True)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), data.shape[2], data.shape[1], data.shape[0], gdal.GDT_Float32)
    ds.SetGeoTransform((500000, 10, 0, 5100000, 0, -10))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    ds.SetProjection(srs.ExportToWkt())
    for i, n in enumerate(names):
        ds.GetRasterBand(i + 1).WriteArray(data[i])
        ds.GetRasterBand(i + 1).SetDescription(n)
    ds = None


def test_auxmae_uses_single_sentinel2_scenes_for_its_mae_task(tmp_path):
    """A mixed folder: two Sentinel-2 scenes with a Sentinel-1 pair, two without."""
    from engine.training.optional_pairs import OptionalPairFolderDataset

    rng = np.random.default_rng(0)
    names = ["B02", "B03", "B04", "B08"]
    for i in range(4):
        _write(tmp_path / "s2" / f"p{i}.tif", rng.uniform(100, 3000, (4, 48, 48)), names)
        if i < 2:
            _write(tmp_path / "s1" / f"p{i}.tif", rng.uniform(-25, -5, (2, 48, 48)), ["VV", "VH"])
    ds = OptionalPairFolderDataset(tmp_path, "s2", "s1", "sentinel2_l2a", "sentinel1_grd")
    assert len(ds) == 4 and ds[3].b is None and ds[0].b is not None and ds[3].a.shape == (4, 48, 48)
    cfg = recipe_cfg(tmp_path / "run", "auxmae", 40, log_every=40)
    cfg["data"] = {"kind": "folder_optional_pairs", "root": str(tmp_path), "sensor_a": "sentinel2_l2a",
                   "sensor_b": "sentinel1_grd"}
    summary = pretrain(cfg, resume=False, log=lambda s: None)
    tasks = summary["history"][-1]["tasks"]
    # Auxiliary steps draw pairs only; MAE steps draw from every scene, so single scenes feed them.
    assert tasks["aux_paired"] == 20 and tasks.get("mae_single", 0) > 0
    assert "aux_single" not in tasks


# ---------------------------------------------------------------- MixMAE
def test_mixmae_mixing_is_complementary(tiny_data):
    from engine.model.vit import Architecture
    from engine.training.mixmae import MixMAE, complementary_mix

    m = complementary_mix(3, 16, 0.5, "cpu")
    assert m.dtype == torch.bool and (m.sum(1) == 8).all()
    model = MixMAE(Architecture(embed_dim=32, depth=1, num_heads=2, img_size=64), 32, 1, 2)
    it = tiny_data[1]
    xa, xb = torch.from_numpy(it.a[None, :, :64, :64]), torch.from_numpy(it.b[None, :, :64, :64])
    loss, info = model(xa, xb, it.mixes_a, it.mixes_b)
    ta, tb = model.embed_patches(xa, it.mixes_a), model.embed_patches(xb, it.mixes_b)
    sel = info["from_a"].unsqueeze(-1)
    # Every position from exactly one source: sensor a's token where from_a, sensor b's elsewhere.
    assert torch.equal(info["mixed"], torch.where(sel, ta, tb)) and int(info["from_a"].sum()) == 8
    loss.backward()
    assert torch.isfinite(loss) and abs(loss.item() - 0.5 * (info["loss_a"] + info["loss_b"])) < 1e-5
    assert model.spectrum_projection.spectrum_embeds[15].proj.weight.grad.abs().sum() > 0  # S1 enters the encoder
    assert model.decoder_a.preds[6].weight.grad.abs().sum() > 0 and model.decoder_b.preds[16].weight.grad.abs().sum() > 0


# ---------------------------------------------------------------- channel-separated encoder
def test_channel_encoder_takes_an_unseen_band_and_refuses_one_outside_the_spectrum():
    from engine.model.channel_encoder import ChannelArchitecture, ChannelSeparatedEncoder

    torch.manual_seed(0)
    enc = ChannelSeparatedEncoder(ChannelArchitecture(embed_dim=32, depth=1, num_heads=2, img_size=32)).eval()
    x = torch.randn(1, 3, 32, 32)
    # Landsat-8 B10 (thermal, 10.6-11.2 um) and a made-up 1000-1100 nm band: never seen in training.
    tok = enc.patch_tokens(x, ["sentinel2_l2a:B04", "landsat8:B10", "1000-1100nm"])
    assert tok.shape == (1, 32, 2, 2) and torch.isfinite(tok).all()
    spec = enc.spectral_encoding([(634.0, 696.0, ""), (10600.0, 11190.0, ""), (1000.0, 1100.0, "")])
    assert not torch.allclose(spec[1], spec[2])  # each range its own encoding
    vv_vh = enc.spectral_encoding([(5.5e7, 5.6e7, "VV"), (5.5e7, 5.6e7, "VH")])
    assert not torch.allclose(vv_vh[0], vv_vh[1])  # same wavelength, told apart by polarisation
    with pytest.raises(BandError, match="channel 2 of 2.*outside the pretraining spectrum"):
        enc.patch_tokens(torch.randn(1, 2, 32, 32), ["sentinel2_l2a:B04", "300-350nm"])
    with pytest.raises(BandError, match="cirrus"):
        enc.patch_tokens(torch.randn(1, 1, 32, 32), ["sentinel2_l1c:B10"])
    baked = enc.bake(["sentinel2_l2a:B04", "landsat8:B10", "1000-1100nm"], 32)
    assert torch.allclose(baked(x)[1], tok, atol=1e-5)


def test_channel_mae_masks_band_tokens_and_pools_bands_per_place(tiny_data):
    from engine.model.channel_encoder import ChannelArchitecture
    from engine.training.channel_mae import ChannelMAE, ranges_of_mixes

    model = ChannelMAE(ChannelArchitecture(embed_dim=32, depth=1, num_heads=2, img_size=32), 32, 1, 2)
    it = tiny_data[0]
    x = torch.from_numpy(it.a[None, :, :32, :32])
    ranges = ranges_of_mixes(it.mixes_a)
    assert ranges[3] == (634.0, 696.0, "")  # B04 on the red_2 layer
    loss, info = model(x, ranges, mask_ratio=0.75)
    c = x.shape[1]
    assert info["mask"].shape == (1, c, 4) and int(info["mask"].sum()) == c * 4 - int(c * 4 * 0.25)
    assert loss.item() == pytest.approx(info["token"] + info["spectrum"], rel=1e-5)
    loss.backward()
    assert model.spectral_encoding.mlp[0].weight.grad.abs().sum() > 0
    # Patch tokens: one per place, the mean of that place's band tokens.
    model.eval()
    _, last, grid = model.encode(x, S2)
    assert last.shape == (1, 1 + 4, 32) and grid == (2, 2)


# ---------------------------------------------------------------- pair misalignment
def test_pair_misalignment_shifts_sensor_b_by_the_asked_pixels():
    class Ramp:
        def __init__(self):
            yy, xx = np.mgrid[0:80, 0:80].astype(np.float32)
            from engine.training.datasets import PairSample

            self.item = PairSample(np.stack([yy, xx]), np.stack([yy, xx]), [((6, 1.0),), ((9, 1.0),)],
                                   [((15, 1.0),), ((16, 1.0),)], ("a", "b"))

        def __len__(self):
            return 1

        def __getitem__(self, i):
            return self.item

    for shift in (0, 4, 8):
        batcher = PairBatcher(Ramp(), crop=32, scale=(0.16, 0.16), seed=3, shift_b=shift)
        batcher.rng = np.random.default_rng(3)
        arrs = batcher._augment([batcher.dataset[0].a, batcher.dataset[0].b])
        a, b = arrs[0][0].numpy(), arrs[1][0].numpy()
        # Undo rotation/flip by reading the offsets from the ramps (rows and columns).
        d = np.hypot(*(np.abs(b - a).mean(axis=(1, 2))))
        assert abs(d - shift) <= 0.75, (shift, d)


# ---------------------------------------------------------------- probes
def test_s1_prediction_and_finetune_probes_run():
    from engine.model.vit import Architecture
    from engine.training.auxmae import AuxMAE
    from engine.training.probe import encoder_features
    from engine.training.probe_recipes import (SyntheticProbeSet, classification_tasks, finetune_tasks,
                                               ridge_fit_predict, s1_prediction_skill)

    rng = np.random.default_rng(0)
    f = rng.normal(size=(300, 5))
    y = f @ rng.normal(size=(5, 3))
    assert np.allclose(ridge_fit_predict(f[:200], y[:200], f[200:], alpha=1e-6), y[200:], atol=1e-3)
    data = SyntheticProbeSet(3, 64)
    enc = AuxMAE(Architecture(embed_dim=32, depth=1, num_heads=2, img_size=32), 32, 1, 2).eval()
    fn = encoder_features(enc, 32)
    tasks = classification_tasks(fn, data)
    assert set(tasks) == {"s2", "s1", "s2_to_s1"} and all(0 <= v["knn"] <= 1 for v in tasks.values())
    sk = s1_prediction_skill(fn, data)
    assert sk["mse_zero"] > 0 and sk["skill"] == pytest.approx(1 - sk["mse"] / sk["mse_zero"])
    before = {k: v.clone() for k, v in enc.state_dict().items()}
    ft = finetune_tasks(enc, data, steps=3)
    assert set(ft) == {"frozen", "entry", "full"} and all(0 <= v <= 1 for v in ft.values())
    assert all(torch.equal(before[k], v) for k, v in enc.state_dict().items())  # probes work on a copy


@pytest.mark.parametrize("recipe", ["auxmae", "mixmae", "channel_mae"])
def test_recipes_run_on_real_bigearthnet_pairs_and_single_scenes(tmp_path, realdata_train_dir, recipe):
    """Real data: BigEarthNet v2 Sentinel-2 L2A / Sentinel-1 pairs of ../shared/realdata_train, two
    of them without their Sentinel-1 image (single scenes for AuxMAE's MAE task)."""
    from engine.training.optional_pairs import OptionalPairFolderDataset

    scenes = sorted((realdata_train_dir / "bigearthnet_v2").glob("*/s2.tif"))[:4]
    if len(scenes) < 4:
        pytest.skip("BigEarthNet v2 patches of realdata_train not found")
    for i, s2 in enumerate(scenes):
        (tmp_path / "pairs" / "s2").mkdir(parents=True, exist_ok=True)
        (tmp_path / "pairs" / "s1").mkdir(parents=True, exist_ok=True)
        (tmp_path / "pairs" / "s2" / f"{s2.parent.name}.tif").symlink_to(s2)
        if i < 2:
            (tmp_path / "pairs" / "s1" / f"{s2.parent.name}.tif").symlink_to(s2.parent / "s1.tif")
    ds = OptionalPairFolderDataset(tmp_path / "pairs", "s2", "s1")
    assert len(ds.pairs) == 2 and len(ds.singles) == 2 and ds.layout[1][1] == ["VV", "VH"]
    summary = pretrain(recipe_cfg(tmp_path / "run", recipe, 6, log_every=3), resume=False, dataset=ds, log=lambda s: None)
    assert summary["steps"] == 6 and all(np.isfinite(h["loss"]) for h in summary["history"])


def test_compare_trains_runs_in_turns_and_writes_the_table(tmp_path):
    from engine.training.compare import load_compare_config, run_list, train_all
    from engine.training.compare_probes import write_table

    cfg = {"base": {"model": {**TINY_MODEL, "img_size": 32},
                    "data": {"kind": "synthetic", "n_scenes": 2, "scene_size": 64, "seed": 5, "pairs": PAIRS},
                    "train": {"steps": 4, "batch_size": 4, "crop": 32, "warmup_steps": 1, "log_every": 2,
                              "checkpoint_every": 2, "threads": 1}},
           "recipes": {"smarties": {}, "channel_mae": {}}, "seeds": [0], "turn_steps": 2,
           "output": {"dir": str(tmp_path / "cmp")}}
    (tmp_path / "c.json").write_text(json.dumps(cfg))
    events = []
    runs = train_all(load_compare_config(str(tmp_path / "c.json")), log=events.append)
    order = [(e["recipe"], e["until"]) for e in map(json.loads, [e for e in events if e.startswith("{")]) if e.get("event") == "train"]
    assert order == [("smarties", 2), ("channel_mae", 2), ("smarties", 4), ("channel_mae", 4)]  # in turns
    assert [(r["recipe"], r["steps"]) for r in runs] == [("smarties", 4), ("channel_mae", 4)]
    assert run_list(load_compare_config(str(tmp_path / "c.json"))) == runs
    report = {"rows": {"auxmae": {"s2 knn": [0.5, 0.7]}, "band_means": {"s2 knn": [0.4]}, "_notes": {"real": "skipped"}}}
    text = Path(write_table(report, tmp_path / "t.md")).read_text()
    assert "| s2 knn | 0.600 ± 0.100 | 0.400 |" in text and "real: skipped" in text


def test_channel_encoder_runs_under_onnxruntime_like_torch(tmp_path):
    pytest.importorskip("onnxruntime")
    from engine.model.backends import make_backend
    from engine.model.channel_encoder import ChannelArchitecture, ChannelSeparatedEncoder

    torch.manual_seed(0)
    enc = ChannelSeparatedEncoder(ChannelArchitecture(embed_dim=32, depth=1, num_heads=2, img_size=32)).eval()
    bands = ["sentinel1_grd:VV", "sentinel1_grd:VH"]
    x = np.random.default_rng(0).normal(size=(2, 2, 32, 32)).astype(np.float32)
    ort = make_backend(enc, bands, 32, backend="onnxruntime", device="cpu", cache_dir=str(tmp_path))
    ref = make_backend(enc, bands, 32, backend="torch", device="cpu")
    assert np.allclose(ort.run(x), ref.run(x), atol=1e-4)
