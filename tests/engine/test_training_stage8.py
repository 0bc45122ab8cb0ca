"""Stage 8 of the default model: real-data normalisation statistics pooled over the training files
(the same numbers `--normalization auto` uses at inference), a linear read-out of the patch
statistics, a frozen teacher on synthetic batches, and checkpoints kept for choosing on validation."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from engine.training.pretrain import DEFAULT_CONFIG, load_training_state, merge_config, pretrain
from training_fixtures import PAIRS, TINY_MODEL, synthetic_pairs


def _write(path: Path, data: np.ndarray, names, meta, dtype="Float32"):
    from osgeo import gdal, osr

    path.parent.mkdir(parents=True, exist_ok=True)
    c, h, w = data.shape
    ds = gdal.GetDriverByName("GTiff").Create(str(path), w, h, c, getattr(gdal, f"GDT_{dtype}"))
    ds.SetGeoTransform((500000, 30, 0, 5100000, 0, -30))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32613)
    ds.SetProjection(srs.ExportToWkt())
    ds.SetMetadata(meta)
    for i in range(c):
        ds.GetRasterBand(i + 1).WriteArray(data[i])
        ds.GetRasterBand(i + 1).SetDescription(names[i])
    ds = None


def test_real_statistics_are_pooled_per_sensor_and_are_what_inference_uses(tmp_path):
    from engine.raster.normalize import Normalizer, card_stats
    from engine.training.realdata import MixedPairDataset, RealFolderDataset, read_image

    rng = np.random.default_rng(0)
    tm = {"SENSOR": "Landsat-5 TM"}
    names = ["B3", "B4", "B5"]
    _write(tmp_path / "series" / "2009-06-01.tif", rng.uniform(0, 3000, (3, 40, 40)), names, tm)
    _write(tmp_path / "series" / "2009-07-01.tif", rng.uniform(2000, 6000, (3, 40, 40)), names, tm)
    _write(tmp_path / "byte" / "dn.tif", rng.integers(0, 255, (3, 40, 40)).astype(np.float32), names,
           {"SENSOR": "Landsat-7 ETM+"}, "Byte")
    synthetic_like = {"landsat5": {b: {"p1": 0.0, "p99": 10000.0, "mean": 0.5, "std": 0.2} for b in names}}
    ds = RealFolderDataset(tmp_path, normalization=synthetic_like, real_stats=True, file_stats=["byte/*"])
    by_name = {Path(s["path"]).name: (s, it) for s, it in zip(ds.sources, ds.items)}
    assert by_name["2009-06-01.tif"][0]["stats"] == "real" and by_name["2009-07-01.tif"][0]["stats"] == "real"
    assert by_name["dn.tif"][0]["stats"] == "file"  # 8-bit DN: its own statistics, not pooled
    assert set(ds.real_statistics) == {"landsat5"}  # the byte file's sensor got no pooled statistics
    table = ds.normalization["landsat5"]
    assert table["B3"]["p1"] < 100 and table["B3"]["p99"] > 5500  # both files' ranges, not one file's
    # Inference with a card carrying these statistics normalises the file exactly as training did.
    card = {"normalization": ds.normalization}
    for fname in ("2009-06-01.tif", "2009-07-01.tif"):
        raw = read_image(tmp_path / "series" / fname, None)
        stats = [card_stats(card, "landsat5", n) for n in names]
        x = Normalizer(stats)(raw.data.copy(), raw.valid)
        np.testing.assert_allclose(x, by_name[fname][1].a.astype(np.float32), atol=2e-3)
    mixed = MixedPairDataset(ds, synthetic_pairs(2, 64), synthetic_share=0.3)
    assert mixed.normalization["landsat5"] == table  # real statistics go to the card
    assert mixed.provenance["landsat5"]["files"] == 2 and "series" in mixed.provenance["landsat5"]["text"]


def test_readout_and_teacher_terms_train_and_snapshots_are_kept(tmp_path):
    from engine.model.checkpoint import save_encoder
    from engine.training.pretrain import model_from_config

    data = {"kind": "synthetic", "n_scenes": 3, "scene_size": 64, "pairs": PAIRS}
    t = {"steps": 4, "batch_size": 2, "crop": 32, "crop_scale": [0.5, 1.0], "lr": 1e-3, "warmup_steps": 1,
         "log_every": 1, "checkpoint_every": 2, "snapshot_every": 2, "threads": 1, "vicreg_subsets": 1,
         "readout_weight": 1.0, "zero_heads": True, "head_warmup_steps": 1, "teacher_weight": 1.0}
    cfg = merge_config(DEFAULT_CONFIG, {"model": TINY_MODEL, "train": t, "data": data,
                                        "output": {"dir": str(tmp_path / "run")}})
    torch.manual_seed(0)
    teacher = tmp_path / "teacher.safetensors"
    save_encoder(model_from_config(cfg), teacher, {"architecture": {"embed_dim": 64, "depth": 1, "num_heads": 1,
                                                                    "patch_size": 16, "img_size": 224}})
    cfg["train"]["teacher_from"] = str(teacher)
    s = pretrain(cfg, resume=False, dataset=synthetic_pairs(3, 64), log=lambda m: None)
    hist = s["history"]
    assert all(np.isfinite(h["readout"]) and np.isfinite(h["teacher"]) for h in hist)
    # A zero-initialised read-out head predicts the batch mean: the loss of standardised targets is <= 1.
    assert hist[0]["readout"] <= 1.0 + 1e-4
    state = load_training_state(tmp_path / "run" / "checkpoint_step2.pt")
    assert state["step"] == 2 and "readout_head" in state
    assert (tmp_path / "run" / "checkpoint_step4.pt").is_file()
    bad = merge_config(cfg, {"train": {"teacher_from": str(tmp_path / "missing.safetensors")}})
    with pytest.raises(Exception, match="teacher_from.*does not exist"):
        pretrain(bad, resume=False, dataset=synthetic_pairs(3, 64), log=lambda m: None)


def test_model_card_describes_the_stage8_terms():
    from engine.training.export import _readout_text, _teacher_text

    t = {"readout_weight": 2.0, "head_warmup_steps": 30, "teacher_weight": 1.0, "teacher_views": [0, 1],
         "teacher_from": "runs/x/smarties-eo-tiny-stage6.safetensors"}
    assert "linear head" in _readout_text(t) and "30 steps" in _readout_text(t)
    assert "synthetic batches only" in _teacher_text(t) and "smarties-eo-tiny-stage6" in _teacher_text(t)
    assert _readout_text({}) == "" and _teacher_text({}) == ""


def test_readout_term_fits_the_patch_statistics_and_reaches_the_encoder():
    from engine.training.mae import DecoderConfig, PretrainObjective, build_mae
    from engine.training.pretrain import PairBatcher
    from engine.training.views import invariance_views, patch_statistics, statistics_width

    torch.manual_seed(0)
    mae = build_mae(64, 1, 1, 16, 64, DecoderConfig(32, 1, 2))
    obj = PretrainObjective(mae, readout_dim=statistics_width(), zero_heads=True)
    assert obj.readout_head.out_features == 52 and float(obj.readout_head.weight.detach().abs().sum()) == 0
    xa, xb, ma, mb = PairBatcher(synthetic_pairs(3, 64), 32, (0.5, 1.0), seed=2).sample(4)
    views = invariance_views(xa, xb, ma, mb, np.random.default_rng(0), subsets=1)
    targets = patch_statistics(xa, ma, 16)
    opt = torch.optim.Adam(obj.parameters(), lr=3e-3)
    first = None
    for _ in range(30):
        loss, details = obj(xa, xb, ma, mb, views=views, mae_weight=0.0, readout_weight=1.0, distill_targets=targets)
        first = details["readout"] if first is None else first
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert details["readout"] < 0.5 * first
    assert mae.spectrum_projection.spectrum_embeds[0].proj.weight.grad is not None  # the encoder learns too
    assert not any(k.startswith("readout_head") for k in mae.state_dict())  # never in the released layout


def test_bigearthnet_leave_one_out_predicts_only_the_held_out_patches():
    from types import SimpleNamespace

    from engine.training.realprobe import _bigearthnet_heldout

    rng = np.random.default_rng(0)
    splits = ["train"] * 8 + ["validation"] * 8 + ["test"] * 8
    prototypes = (rng.random((4, 19)) < 0.25).astype(np.int64)
    prototypes[:, 0] = 1  # every patch has a label; four kinds of patches, six of each
    labels = prototypes[np.arange(24) % 4]
    rows = [(f"p{i}", s, labels[i]) for i, s in enumerate(splits)]
    fit, test = rows[:16], rows[16:]
    informative = labels.astype(np.float32) + 0.05 * rng.standard_normal((24, 19)).astype(np.float32)
    noise = rng.standard_normal((24, 19)).astype(np.float32)
    feats = {}
    for name, f in (("informative", informative), ("noise", noise)):
        for key in ("s2", "s1"):
            feats[(name, key)] = (f[:16], f[16:])
    fz = [SimpleNamespace(name="informative"), SimpleNamespace(name="noise")]
    out = _bigearthnet_heldout(rows, fz, feats, fit, test, {"sentinel2": ("s2", "s2"), "transfer": ("s2", "s1")},
                               probes=("knn",))
    assert out["heldout_patches"] == 16
    for key in ("heldout16 sentinel2 (knn, micro mAP)", "heldout16 transfer (knn, micro mAP)"):
        good, bad = out[key]["informative"], out[key]["noise"]
        assert good["value"] > 0.9 and good["value"] > bad["value"] + 0.3
        assert good["ci95"][0] <= good["value"] <= good["ci95"][1]
        assert len(out[f"_draws_{key}"]["informative"]) > 400  # bootstrap over the 16 held-out patches
