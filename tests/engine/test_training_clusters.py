"""Stage-3 pieces of the default model's recipe: spectral-shape pseudo-labels (HuBERT-style
k-means targets), the extra views (noisy copy, per-patch brightness gain), InfoNCE, and a short
run with the pseudo-label term that saves, resumes and keeps the released layout."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.training.datasets import normalize, stats_for, synthetic_normalization, usable_bands
from engine.training.mae import PretrainObjective, build_mae, DecoderConfig, infonce_loss
from engine.training.pretrain import DEFAULT_CONFIG, PairBatcher, load_training_state, merge_config, pretrain
from engine.training.views import SpectralClusters, invariance_views, reflectance_gain_offsets, spectral_shape
from engine.training.simulate import render
from engine.training.synthetic import make_scene

from training_fixtures import PAIRS, TINY_MODEL, synthetic_pairs


@pytest.fixture(scope="module")
def tiny_data():
    return synthetic_pairs(3, 64, seed=11)


def test_spectral_shape_ignores_gain_and_offset_but_not_the_spectrum():
    torch.manual_seed(0)
    x = torch.randn(2, 5, 32, 32) + torch.tensor([0.0, 2.0, -1.0, 1.0, 0.5]).view(1, 5, 1, 1)
    tex = spectral_shape(x, 16, texture=True)
    assert tex.shape == (8, 11)
    np.testing.assert_allclose(tex[0, 6:].numpy(), 0.5 * x[0, :, :16, :16].reshape(5, -1).std(1, unbiased=False).numpy(), atol=1e-4)
    f = spectral_shape(x, 16)
    assert f.shape == (2 * 4, 6)
    # Row b*N + n is patch n of image b (row-major over the 2 x 2 patch grid).
    assert torch.allclose(f[5, :5], spectral_shape(x[1:, :, :16, 16:], 16)[0, :5], atol=1e-5)
    g = spectral_shape(3.0 * x + 2.0, 16)
    assert torch.allclose(f[:, :5], g[:, :5], atol=5e-3)  # shape: same after a gain and an offset
    assert not torch.allclose(f[:, 5], g[:, 5])  # the level column still sees brightness
    swapped = spectral_shape(x[:, [1, 0, 2, 3, 4]], 16)
    assert not torch.allclose(f[:, :5], swapped[:, :5])


def test_clusters_fit_one_codebook_per_layout_and_assign_every_patch(tiny_data):
    batcher = PairBatcher(tiny_data, 32, (0.5, 1.0), seed=3)
    state = batcher.rng.bit_generator.state
    clusters = SpectralClusters(batcher, k=8, crops=12, iters=5, seed=0)
    assert batcher.rng.bit_generator.state == state  # fitting drew from its own stream
    assert len(clusters.centroids) == 1
    ((centroids,),) = clusters.centroids.values()
    assert centroids.shape == (8, len(tiny_data[0].mixes_a) + 1) and torch.isfinite(centroids).all()
    xa, _, ma, _ = batcher.sample(4)
    labels = clusters.assign(xa, ma)
    assert labels.shape == (4 * 4, 1) and labels.dtype == torch.long
    assert int(labels.min()) >= 0 and int(labels.max()) < 8
    # Deterministic by seed: the same codebook from a fresh batcher.
    again = SpectralClusters(PairBatcher(tiny_data, 32, (0.5, 1.0), seed=99), k=8, crops=12, iters=5, seed=0)
    assert torch.equal(next(iter(again.centroids.values()))[0], centroids)
    # Several codebooks (coarse and fine) and texture columns.
    multi = SpectralClusters(batcher, k=[4, 8], crops=12, iters=5, seed=0, texture=True)
    small, large = next(iter(multi.centroids.values()))
    assert small.shape == (4, 2 * len(ma) + 1) and large.shape == (8, 2 * len(ma) + 1)
    both = multi.assign(xa, ma)
    assert both.shape == (16, 2) and int(both[:, 0].max()) < 4 and int(both[:, 1].max()) < 8


def test_gain_offsets_turn_a_reflectance_gain_into_an_affine_map_of_normalised_values():
    sensor = "sentinel2_l2a"
    norm = synthetic_normalization((sensor,), n_scenes=2, size=64)
    idx, names, _ = usable_bands(sensor)
    stats = stats_for(norm, sensor, names)
    im = render(make_scene(3, size=64, doy=200, cloud_cover=0.0), sensor)
    raw = im.data[idx].astype(np.float32)
    x = normalize(raw, stats)
    gain = 1.1
    xg = normalize(raw * gain, stats)
    off = reflectance_gain_offsets(norm, sensor).numpy()[:, None, None]
    pred = gain * x + (gain - 1) * off
    hi = np.array([(1 - s.mean) / s.std for s in stats], np.float32)[:, None, None]
    unclipped = (xg < hi - 1e-3) & (x * gain + (gain - 1) * off < hi - 1e-3) & (raw > np.array([s.p1 for s in stats])[:, None, None])
    assert unclipped.mean() > 0.5
    np.testing.assert_allclose(pred[unclipped], xg[unclipped], atol=2e-3)
    assert reflectance_gain_offsets(norm, "sentinel1_grd") is None  # dB: no gain view
    assert reflectance_gain_offsets(None, sensor) is None


def test_noise_and_brightness_views_share_the_crop(tiny_data):
    batcher = PairBatcher(tiny_data, 32, (0.5, 1.0), seed=5)
    xa, xb, ma, mb = batcher.sample(2)
    off = torch.ones(xa.shape[1])
    views = invariance_views(xa, xb, ma, mb, np.random.default_rng(0), subsets=0, noise=0.2,
                             brightness=0.3, gain_offsets=off)
    assert len(views) == 4
    noisy, bright = views[2][0], views[3][0]
    assert 0.1 < float((noisy - xa).std()) < 0.3
    g = (bright + off.view(1, -1, 1, 1)) / (xa + off.view(1, -1, 1, 1))  # g*x + (g-1)*o = g*(x+o) - o
    g = g[:, :, :16, :16].flatten(1)
    ok = torch.isfinite(g) & ((xa[:, :, :16, :16].flatten(1) + 1).abs() > 1e-2)
    per_image = [v[m] for v, m in zip(g, ok)]
    assert all(float(v.max() - v.min()) < 1e-3 and 0.7 - 1e-4 <= float(v.mean()) <= 1.3 + 1e-4 for v in per_image)


def test_coarsened_view_is_block_averaged_like_a_30m_product(tiny_data):
    batcher = PairBatcher(tiny_data, 48, (0.5, 1.0), seed=6)
    xa, xb, ma, mb = batcher.sample(2)
    views = invariance_views(xa, xb, ma, mb, np.random.default_rng(1), subsets=0, coarsen=True)
    assert len(views) == 3
    coarse = views[2][0]
    assert coarse.shape == xa.shape
    f = 2 if torch.equal(coarse[..., 0:1, 0:1].expand(-1, -1, 2, 2), coarse[..., 0:2, 0:2]) else 3
    block = xa[:, :, :f, :f].mean(dim=(2, 3))
    assert torch.allclose(coarse[:, :, 0, 0], block, atol=1e-5) and torch.allclose(coarse[:, :, f - 1, f - 1], block, atol=1e-5)
    assert torch.allclose(coarse.mean(dim=(2, 3)), xa.mean(dim=(2, 3)), atol=1e-4)


def test_stacked_view_holds_both_sensors_bands_with_their_layers(tiny_data):
    batcher = PairBatcher(tiny_data, 48, (0.5, 1.0), seed=7)
    xa, xb, ma, mb = batcher.sample(2)
    plain = invariance_views(xa, xb, ma, mb, np.random.default_rng(1), subsets=0)
    views = invariance_views(xa, xb, ma, mb, np.random.default_rng(1), subsets=0, stack=True)
    assert len(views) == len(plain) + 1
    stacked, mixes = views[2]
    assert stacked.shape == (xa.shape[0], xa.shape[1] + xb.shape[1]) + xa.shape[2:]
    assert torch.equal(stacked[:, : xa.shape[1]], xa) and torch.equal(stacked[:, xa.shape[1]:], xb)
    assert list(mixes) == list(ma) + list(mb)
    # A pair on different grids has nothing to stack: no extra view rather than a broken one.
    assert len(invariance_views(xa, xb[..., :32, :32], ma, mb, np.random.default_rng(1), subsets=0, stack=True)) == 2


def test_infonce_prefers_aligned_views():
    torch.manual_seed(0)
    a = torch.randn(64, 16)
    aligned = infonce_loss([a, a + 0.05 * torch.randn_like(a)])
    shuffled = infonce_loss([a, a[torch.randperm(64)]])
    assert float(aligned) < 0.1 < float(shuffled)
    with pytest.raises(ValueError):
        infonce_loss([a])


def test_objective_pseudo_label_term_trains_head_and_encoder(tiny_data):
    torch.manual_seed(0)
    mae = build_mae(64, 1, 1, 16, 64, DecoderConfig(32, 1, 2))
    obj = PretrainObjective(mae, clusters=[8, 4])
    batcher = PairBatcher(tiny_data, 32, (0.5, 1.0), seed=2)
    xa, xb, ma, mb = batcher.sample(2)
    targets = torch.stack([torch.randint(0, 8, (2 * 4,)), torch.randint(0, 4, (2 * 4,))], 1)
    views = invariance_views(xa, xb, ma, mb, np.random.default_rng(0), subsets=1, shuffle=True)
    loss, details = obj(xa, xb, ma, mb, views=views, mae_weight=0.0, cluster_weight=1.0, cluster_targets=targets)
    assert "mae" not in details and details["cluster"] > 0
    loss.backward()
    assert obj.cluster_head.weight.grad.abs().sum() > 0
    assert mae.spectrum_projection.spectrum_embeds[0].proj.weight.grad is not None
    assert not any(k.startswith("cluster_head") for k in mae.state_dict())  # never in the released layout
    assert obj.cluster_head.out_features == 12
    with pytest.raises(ValueError):  # one codebook of targets for a two-codebook head
        obj(xa, xb, ma, mb, views=views, mae_weight=0.0, cluster_weight=1.0, cluster_targets=targets[:, 0])
    with pytest.raises(ValueError):
        PretrainObjective(build_mae(64, 1, 1, 16, 64, DecoderConfig(32, 1, 2)))(
            xa, xb, ma, mb, views=views, cluster_weight=1.0, cluster_targets=targets)


def test_short_run_with_pseudo_labels_saves_head_and_resumes(tmp_path, tiny_data):
    out = tmp_path / "run"
    t = {"steps": 4, "batch_size": 2, "crop": 32, "crop_scale": [0.5, 1.0], "lr": 1e-3, "warmup_steps": 1,
         "log_every": 2, "checkpoint_every": 2, "threads": 1, "cluster_weight": 1.0, "clusters": 6,
         "vicreg_noise": 0.2, "vicreg_shuffle": True}
    cfg = merge_config(DEFAULT_CONFIG, {"model": TINY_MODEL, "train": t, "output": {"dir": str(out)},
                                        "data": {"kind": "synthetic", "n_scenes": 3, "scene_size": 64, "pairs": PAIRS}})
    s = pretrain(cfg, resume=False, dataset=tiny_data, log=lambda m: None)
    assert s["steps"] == 4 and all(np.isfinite(h["cluster"]) and np.isfinite(h["mae"]) for h in s["history"])
    state = load_training_state(out / "checkpoint.pt")
    assert state["cluster_head"]["weight"].shape == (6, 64)
    assert not any(k.startswith(("cluster_head", "mae.")) for k in state["model"])
    cfg["train"]["steps"] = 6
    s2 = pretrain(cfg, resume=True, dataset=tiny_data, log=lambda m: None)
    assert s2["steps"] == 6 and s2["history"][0]["step"] == 2
