"""Cross-sensor invariance term (VICReg on co-located patch tokens): the loss terms, the views,
a short run with the term on, and that the shipped recipe keeps the unseen sensor out of training."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from engine.training.mae import PretrainObjective, ViewProjector, build_mae, DecoderConfig, vicreg_terms, view_tokens
from engine.training.pretrain import DEFAULT_CONFIG, load_config, load_training_state, merge_config, pretrain
from engine.training.views import invariance_views
from training_fixtures import PAIRS, TINY_MODEL, synthetic_pairs

CONFIG = Path(__file__).resolve().parents[2] / "engine" / "training" / "configs" / "default.json"


@pytest.fixture(scope="module")
def tiny_data():
    return synthetic_pairs(3, 64, seed=7)


def test_vicreg_terms_invariance_variance_covariance():
    g = torch.Generator().manual_seed(0)
    z = torch.randn(512, 16, generator=g) * 2.0
    same = vicreg_terms([z, z.clone()])
    assert same["invariance"].item() == pytest.approx(0.0, abs=1e-7)
    assert same["variance"].item() == pytest.approx(0.0, abs=1e-6)  # std ~2 >= 1 everywhere
    collapsed = vicreg_terms([torch.ones(512, 16), torch.ones(512, 16)])
    assert collapsed["variance"].item() == pytest.approx(0.99, abs=1e-3)  # hinge at std sqrt(eps)
    other = torch.randn(512, 16, generator=g)
    assert vicreg_terms([z, other])["invariance"].item() > 1.0
    # Two identical columns are perfectly correlated: the covariance term grows.
    dup = torch.cat([other[:, :8], other[:, :8]], 1)
    assert vicreg_terms([dup, dup])["covariance"] > 2 * vicreg_terms([other, other])["covariance"]
    with pytest.raises(ValueError):
        vicreg_terms([z])


def test_invariance_views_share_the_crop_and_subset_bands(tiny_data):
    it = tiny_data[0]
    xa, xb = torch.from_numpy(it.a[None, :, :32, :32]), torch.from_numpy(it.b[None, :, :32, :32])
    rng = np.random.default_rng(0)
    views = invariance_views(xa, xb, it.mixes_a, it.mixes_b, rng, subsets=2)
    assert len(views) == 4 and views[0][0] is xa and views[1][0] is xb
    for x, mixes in views[2:]:
        assert 2 <= x.shape[1] < xa.shape[1] and len(mixes) == x.shape[1]
        assert x.shape[2:] == xa.shape[2:]
        # Each kept band is an unchanged band of sensor a with its own mix.
        for k in range(x.shape[1]):
            j = it.mixes_a.index(mixes[k])
            assert torch.equal(x[:, k], xa[:, j])


def test_objective_adds_vicreg_and_trains_projector_and_encoder(tiny_data):
    torch.manual_seed(0)
    mae = build_mae(32, 1, 2, decoder=DecoderConfig(32, 1, 2))
    obj = PretrainObjective(mae, ViewProjector(32, 64, 64))
    it = tiny_data[1]
    xa = torch.from_numpy(np.stack([it.a[:, :32, :32], it.a[:, 32:, 32:]]))
    xb = torch.from_numpy(np.stack([it.b[:, :32, :32], it.b[:, 32:, 32:]]))
    views = [(xa, it.mixes_a), (xb, it.mixes_b)]
    torch.manual_seed(1)
    plain, d0 = obj(xa, xb, it.mixes_a, it.mixes_b, views=views)
    torch.manual_seed(1)
    total, d1 = obj(xa, xb, it.mixes_a, it.mixes_b, vicreg_weight=0.1, views=views)
    assert "invariance" not in d0 and {"invariance", "variance", "covariance"} <= set(d1)
    assert total.item() > plain.item()
    total.backward()
    assert obj.projector.net[0].weight.grad.abs().sum() > 0
    assert mae.spectrum_projection.spectrum_embeds[16].proj.weight.grad.abs().sum() > 0  # S1 layer via its view
    # view_tokens are the probe's features: last block output without the final norm.
    with torch.no_grad():
        tok = view_tokens(mae, xa, it.mixes_a)
        _, last = mae.forward_tokens(mae.embed_patches(xa, it.mixes_a), (2, 2))
    assert torch.allclose(tok, last[:, 1:].reshape(-1, 32))


def test_short_run_with_vicreg_keeps_released_layout_and_resumes(tmp_path, tiny_data):
    out = tmp_path / "run"
    t = {"steps": 6, "batch_size": 4, "crop": 32, "crop_scale": [0.3, 1.0], "lr": 1e-3, "warmup_steps": 2,
         "log_every": 3, "checkpoint_every": 3, "threads": 1, "vicreg_weight": 0.05, "projector_dims": [48, 48]}
    cfg = merge_config(DEFAULT_CONFIG, {"model": TINY_MODEL, "train": t, "output": {"dir": str(out)},
                                        "data": {"kind": "synthetic", "n_scenes": 3, "scene_size": 64, "pairs": PAIRS}})
    s = pretrain(cfg, resume=False, dataset=tiny_data, log=lambda m: None)
    assert s["steps"] == 6 and all(np.isfinite(h["invariance"]) for h in s["history"])
    state = load_training_state(out / "checkpoint.pt")
    assert not any(k.startswith("projector") or k.startswith("mae.") for k in state["model"])
    assert state["projector"]["net.0.weight"].shape == (48, 64)
    cfg["train"]["steps"] = 9
    s2 = pretrain(cfg, resume=True, dataset=tiny_data, log=lambda m: None)
    assert s2["steps"] == 9 and s2["history"][0]["step"] == 3


@pytest.mark.parametrize("name", ["stage1_mae.json", "stage2_vicreg.json", "stage3_distill.json", "stage4_views.json",
                                  "stage5_thermal.json", "stage6_synthetic.json", "default.json"])
def test_shipped_recipe_keeps_the_unseen_sensor_out_of_pretraining(name):
    from engine.training.datasets import DEFAULT_PAIRS, split_sensor_spec
    from engine.training.simulate import sensor_bands

    cfg = load_config(str(CONFIG.with_name(name)))
    # The real-data stage keeps synthetic pairs as a minority share: the same rule holds for them.
    data = cfg["data"]["synthetic"] if cfg["data"].get("kind") == "real" else cfg["data"]
    sensors = {s for p in data.get("pairs", DEFAULT_PAIRS) for s in p[:2]}
    assert "sentinel2_l2a" in sensors and "sentinel1_grd" in sensors
    for spec in sensors:
        preset, names = split_sensor_spec(spec)
        # Landsat-8 (and HLS L30, made from it) is the unseen sensor: never in training in any form.
        assert preset not in ("landsat8", "hls_l30"), spec
        if preset.startswith("landsat"):  # another Landsat only as its thermal band, nothing optical
            thermal = [b.name for b in sensor_bands(preset) if b.min_nm >= 8000 and b.min_nm < 1e6]
            assert names and set(names) <= set(thermal), spec
    t = cfg["train"]
    assert t["mask_ratio"] > 0 and t["mae_weight"] > 0  # every stage keeps the SMARTIES MAE
    json.dumps(cfg)  # plain JSON, so the card can quote it


def test_shipped_stages_chain_into_each_other():
    from engine.training.export import REPRODUCE, STAGE6_EXPORT, STAGE_CONFIGS, STAGE_EXPORTS

    stages = [load_config(str(CONFIG.with_name(n))) for n in STAGE_CONFIGS]
    for name, before, after in zip(STAGE_CONFIGS, stages, stages[1:]):
        if after["data"].get("kind") == "real":  # starts from the previous stage exported in fp16
            exported = STAGE_EXPORTS[name]
            assert after["train"]["init_from"] == exported and exported.startswith(before["output"]["dir"] + "/")
            assert f"--config engine/training/configs/{name} --output {exported}" in REPRODUCE
            continue
        assert after["train"]["init_from"] == before["output"]["dir"] + "/checkpoint.pt"
        assert not before["output"].get("export")
    assert stages[0]["train"].get("init_from") is None
    assert stages[1]["train"]["vicreg_weight"] > 0
    assert all(s["train"]["cluster_weight"] > 0 and s["train"]["distill_weight"] > 0 for s in stages[2:])
    assert stages[-1]["output"]["export"] == "resources/models/smarties-eo-tiny.safetensors"
    assert stages[-1]["train"]["teacher_from"] == STAGE6_EXPORT  # the synthetic batches' anchor
    assert STAGE_CONFIGS[-1] == "default.json" and all(f"configs/{n}" in REPRODUCE for n in STAGE_CONFIGS)


def test_shuffled_view_puts_tokens_back_in_place(tiny_data):
    torch.manual_seed(0)
    mae = build_mae(32, 1, 2, decoder=DecoderConfig(32, 1, 2))
    it = tiny_data[2]
    x = torch.from_numpy(it.a[None, :, :48, :48])
    perm = torch.from_numpy(np.random.default_rng(3).permutation(9))
    with torch.no_grad():
        plain = view_tokens(mae, x, it.mixes_a)
        assert torch.allclose(view_tokens(mae, x, it.mixes_a, ("shuffle", torch.arange(9))), plain)
        shuffled = view_tokens(mae, x, it.mixes_a, ("shuffle", perm))
        assert not torch.allclose(shuffled, plain, atol=1e-4)  # other neighbours, other positions
        # Without attention and position the only thing left is the patch itself: back in place exactly.
        mae.blocks = torch.nn.ModuleList()
        mae.pos_embed.zero_()
        assert torch.allclose(view_tokens(mae, x, it.mixes_a, ("shuffle", perm)), view_tokens(mae, x, it.mixes_a), atol=1e-6)
    rng = np.random.default_rng(0)
    xb = torch.from_numpy(it.b[None, :, :48, :48])
    views = invariance_views(x, xb, it.mixes_a, it.mixes_b, rng, subsets=1, shuffle=True)
    assert views[0][2] is None and all(v[2][0] == "shuffle" and sorted(v[2][1].tolist()) == list(range(9)) for v in views[1:])


def test_projector_without_mlp_only_standardises():
    head = ViewProjector(8, hidden=0)
    assert not list(head.parameters())
    z = torch.randn(256, 8) * 5 + 3
    out = head.train()(z)
    assert torch.allclose(out.mean(0), torch.zeros(8), atol=1e-4) and torch.allclose(out.std(0), torch.ones(8), atol=1e-2)
