"""The distillation term of the default model's last stage: per-patch statistics of sensor a
(means, within-patch spread, spectral shape, level, on the spectral layers) as MaskFeat-style
targets, matched by every view's tokens through similarity distillation; warm start from an
exported .safetensors."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from engine.errors import EngineError
from engine.training.mae import DecoderConfig, PretrainObjective, build_mae, similarity_distillation
from engine.training.pretrain import DEFAULT_CONFIG, PairBatcher, initial_weights, merge_config, pretrain
from engine.training.views import invariance_views, patch_statistics
from training_fixtures import PAIRS, TINY_MODEL, synthetic_pairs


@pytest.fixture(scope="module")
def tiny_data():
    return synthetic_pairs(3, 64, seed=11)


def test_patch_statistics_place_bands_on_their_layers():
    torch.manual_seed(0)
    x = torch.randn(2, 3, 32, 32) + torch.tensor([0.0, 2.0, -1.0]).view(1, 3, 1, 1)
    mixes = [((2, 1.0),), ((5, 0.25), (6, 0.75)), ((9, 1.0),)]
    f = patch_statistics(x, mixes, 16)
    assert f.shape == (2 * 4, 3 * 17 + 1)
    patch = x[1, :, :16, 16:]  # row b*N + n: image 1, patch 1 (top right)
    means, sds = patch.mean((1, 2)), patch.reshape(3, -1).std(1, unbiased=False)
    row = f[5]
    assert torch.allclose(row[[2, 5, 6, 9]], torch.stack([means[0], 0.25 * means[1], 0.75 * means[1], means[2]]), atol=1e-5)
    assert torch.allclose(row[17 + 2], sds[0], atol=1e-4)
    assert row[[0, 1, 3, 4, 7, 8, 10]].abs().max() == 0  # layers no band maps to stay empty
    assert torch.allclose(row[-1], means.mean(), atol=1e-5)
    shape = (means - means.mean()) / (means.std() + 1e-3)
    assert torch.allclose(row[34 + 9], shape[2], atol=1e-4)
    # parts picked by name, in the order given
    only = patch_statistics(x, mixes, 16, blocks=("means",))
    assert only.shape == (8, 17) and torch.equal(only, f[:, :17])
    assert torch.equal(patch_statistics(x, mixes, 16, blocks=("level", "means")), torch.cat([f[:, -1:], f[:, :17]], 1))
    with pytest.raises(ValueError, match="texture"):
        patch_statistics(x, mixes, 16, blocks=("texture",))


def test_similarity_distillation_is_low_for_matching_neighbourhoods():
    torch.manual_seed(0)
    targets = torch.randn(64, 12)
    rotated = targets @ torch.linalg.qr(torch.randn(12, 12))[0] * 3.0 + 1.0  # same geometry, other axes/scale
    padded = torch.cat([rotated, torch.zeros(64, 4)], 1)  # constant columns carry nothing
    same = similarity_distillation(padded, targets)
    other = similarity_distillation(torch.randn(64, 16), targets)
    assert float(same) < 0.3 * float(other)
    tok = torch.randn(64, 16, requires_grad=True)
    similarity_distillation(tok, targets).backward()
    assert torch.isfinite(tok.grad).all() and tok.grad.abs().sum() > 0


def test_objective_distillation_term_reaches_the_encoder(tiny_data):
    torch.manual_seed(0)
    mae = build_mae(64, 1, 1, 16, 64, DecoderConfig(32, 1, 2))
    obj = PretrainObjective(mae)
    xa, xb, ma, mb = PairBatcher(tiny_data, 32, (0.5, 1.0), seed=2).sample(3)
    views = invariance_views(xa, xb, ma, mb, np.random.default_rng(0), subsets=1, shuffle=True)
    loss, details = obj(xa, xb, ma, mb, views=views, mae_weight=0.0, distill_weight=1.0,
                        distill_targets=patch_statistics(xa, ma, 16))
    assert "mae" not in details and details["distill"] > 0
    loss.backward()
    assert mae.spectrum_projection.spectrum_embeds[0].proj.weight.grad.abs().sum() > 0


def test_short_distillation_run_warm_starts_from_an_exported_file(tmp_path, tiny_data):
    first = tmp_path / "first"
    t = {"steps": 2, "batch_size": 2, "crop": 32, "crop_scale": [0.5, 1.0], "lr": 1e-3, "warmup_steps": 1,
         "log_every": 1, "checkpoint_every": 2, "threads": 1}
    data = {"kind": "synthetic", "n_scenes": 3, "scene_size": 64, "pairs": PAIRS}
    cfg = merge_config(DEFAULT_CONFIG, {"model": TINY_MODEL, "train": t, "output": {"dir": str(first)}, "data": data})
    pretrain(cfg, resume=False, dataset=tiny_data, log=lambda m: None)
    from safetensors.torch import save_file

    exported = tmp_path / "stage.safetensors"
    weights = torch.load(first / "checkpoint.pt", weights_only=True)["model"]
    save_file({k: v.half().contiguous() for k, v in weights.items()}, str(exported))
    loaded = initial_weights(exported)
    assert loaded.keys() == weights.keys() and all(v.dtype == torch.float32 for v in loaded.values())

    t2 = dict(t, distill_weight=1.0, vicreg_subsets=1, vicreg_shuffle=True, init_from=str(exported),
              distill_blocks=["means", "level"], vicreg_stack=True, vicreg_coarsen=True)
    cfg2 = merge_config(DEFAULT_CONFIG, {"model": TINY_MODEL, "train": t2, "output": {"dir": str(tmp_path / "second")},
                                         "data": data})
    s = pretrain(cfg2, resume=False, dataset=tiny_data, log=lambda m: None)
    assert s["steps"] == 2 and all(np.isfinite(h["distill"]) for h in s["history"])
    with pytest.raises(EngineError, match="does not exist"):
        initial_weights(Path(tmp_path / "missing.pt"))
    bad = merge_config(cfg2, {"train": {"distill_blocks": ["means", "texture"]}})
    with pytest.raises(EngineError, match="distill_blocks.*means, sds, shape, level"):
        pretrain(bad, resume=False, dataset=tiny_data, log=lambda m: None)


def test_model_card_names_every_view_the_recipe_uses():
    from engine.training.export import _views_text

    t = {"vicreg_subsets": 2, "vicreg_noise": 0.3, "vicreg_stack": True, "vicreg_coarsen": True, "vicreg_shuffle": True}
    text = _views_text(t)
    for words in ("sensor b", "2 random band subset", "noise (sd 0.3", "stacked in one input", "3x3 pixels",
                  "random order"):
        assert words in text
    assert "stacked" not in _views_text({"vicreg_subsets": 1}) and "3x3" not in _views_text({})


def test_model_card_names_the_distillation_targets():
    from engine.training.export import _distill_text

    assert _distill_text({}) == ""
    full = _distill_text({"distill_weight": 4.0})
    assert "band means, within-patch standard deviations, spectral shape" in full and "and mean level" in full
    only = _distill_text({"distill_weight": 4.0, "distill_blocks": ["means"]})
    assert "its band means, placed on" in only and "standard deviations" not in only


def test_card_verdict_calls_thin_margins_ties():
    from engine.training.export import verdict_text

    metrics = {"tasks": {"seen": {"pretrained": {"knn": 0.8293, "linear": 0.90}, "band_means": {"knn": 0.8286, "linear": 0.7},
                                  "random_init": {"knn": 0.7, "linear": 0.8}, "majority_class": 0.2}},
               "beats_baselines": {"seen": {"knn": True, "linear": True}}}
    text = verdict_text(metrics)
    assert "Beats both baselines on: seen (knn), seen (linear)." in text
    assert "a tie at this test-set size" in text and "seen (knn: 0.8293 vs 0.8286, +0.0007)" in text
    assert "linear:" not in text  # a 0.1 margin is not a tie
