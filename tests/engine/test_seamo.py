"""SeaMo recipe: TM fusion (shapes, causal order, both variants), masking, series crops, and a short
train -> save -> resume -> export run."""
from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from engine.model.vit import Architecture  # noqa: E402
from engine.training.seamo import SeaMoMAE, TemporalMultimodalFusion  # noqa: E402


def _tokens(T=3, M=2, B=2, N=5, D=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [[torch.randn(B, N, D, generator=g) for _ in range(M)] for _ in range(T)]


@pytest.mark.parametrize("variant", ["section", "algorithm1"])
def test_tm_fusion_shapes_and_causal_order(variant):
    torch.manual_seed(0)
    tm = TemporalMultimodalFusion(16, 2, depth=2, variant=variant).eval()
    x = _tokens()
    with torch.no_grad():
        out = tm(x)
        assert [[o.shape for o in d] for d in out] == [[(2, 5, 16)] * 2] * 3
        # Changing date 2 (the last) leaves dates 0 and 1 exactly as they were: t never sees t+1.
        y = [list(d) for d in x]
        y[2] = [v + torch.randn_like(v) for v in y[2]]
        out2 = tm(y)
        for t in (0, 1):
            for m in (0, 1):
                assert torch.equal(out[t][m], out2[t][m])
        assert not torch.allclose(out[2][0], out2[2][0])
        # ...while date 1 does depend on date 0 (the fused tokens of t-1 are keys/values of t).
        z = [list(d) for d in x]
        z[0] = [v + torch.randn_like(v) for v in z[0]]
        out3 = tm(z)
        assert not torch.allclose(out[1][0], out3[1][0])


def test_tm_fusion_section_queries_are_the_modality_itself():
    """3.1.4: date 0 of modality 0 = block(own tokens, keys = the other modality) -> permuting the
    other modality's tokens changes nothing (attention is permutation-invariant over keys)."""
    torch.manual_seed(0)
    tm = TemporalMultimodalFusion(16, 2, variant="section").eval()
    x = _tokens(T=1)
    perm = [[x[0][0], x[0][1][:, torch.tensor([4, 3, 2, 1, 0])]]]
    with torch.no_grad():
        a, b = tm(x)[0][0], tm(perm)[0][0]
    assert torch.allclose(a, b, atol=1e-6)
    with pytest.raises(ValueError, match="variant"):
        TemporalMultimodalFusion(16, 2, variant="other")


def test_one_mask_per_date_shared_by_the_modalities():
    torch.manual_seed(0)
    model = SeaMoMAE(Architecture(embed_dim=32, depth=1, num_heads=2, img_size=64), modalities=2,
                     decoder_dim=16, decoder_depth=1, decoder_heads=2)
    seen = []
    original = model.encode_date

    def spy(images, mixes, keep):
        seen.append(keep.clone())
        return original(images, mixes, keep)

    model.encode_date = spy
    s2 = [((3, 1.0),), ((2, 1.0),), ((1, 1.0),)]
    s1 = [((15, 1.0),), ((16, 1.0),)]
    series = [[torch.randn(2, 3, 64, 64), torch.randn(2, 2, 64, 64)] for _ in range(3)]
    loss, details = model(series, [s2, s1], mask_ratio=0.75)
    assert len(seen) == 3 and all(k.shape == (2, 4) for k in seen)  # 16 tokens, 25 % visible
    assert not all(torch.equal(seen[0], k) for k in seen[1:])  # dates masked independently
    assert torch.isfinite(loss) and len(details["per_modality"]) == 2
    loss.backward()
    assert model.fusion.blocks[0].attn.in_proj_weight.grad is not None
    # Stage 1 (no fusion): the TM block gets no gradient.
    model.zero_grad()
    model(series[:1], [s2, s1], fusion=False)[0].backward()
    assert model.fusion.blocks[0].attn.in_proj_weight.grad is None


def test_non_aligned_crops_differ_per_date_and_aligned_ones_do_not():
    from engine.training.series_data import SeriesBatcher, SyntheticSeriesDataset, phenology_labels
    from engine.training.datasets import synthetic_normalization

    norm = synthetic_normalization(("sentinel2_l2a", "sentinel1_grd"), n_scenes=2, size=32)
    ds = SyntheticSeriesDataset(2, size=32, dates=4, seed=5, normalization=norm, jitter=0)
    assert ds.dates == 4 and [len(d) for d in ds.places[0].images] == [2] * 4
    assert ds.places[0].doys == [80, 170, 260, 350]
    ph = phenology_labels(5, 32)
    assert set(np.unique(ph)) <= {0, 1, 2, 3, 255}
    # A constant-in-time place: identical crops <=> identical boxes.
    for p in ds.places:
        p.images = [p.images[0]] * 4
    same = SeriesBatcher(ds, crop=16, aligned=True, seed=0).sample(3)
    assert all(torch.equal(same[0][0], same[t][0]) for t in range(4))
    diff = SeriesBatcher(ds, crop=16, aligned=False, seed=0).sample(3)
    assert not all(torch.equal(diff[0][0], diff[t][0]) for t in range(4))
    # The two modalities of a date share the box: their crops come from the same ground.
    assert diff[0][0].shape[1:] == (len(ds.mixes[0]), 16, 16) and diff[0][1].shape[1:] == (2, 16, 16)


def test_crop_types_need_the_season():
    """Every date shows the same growth stage for at least two crop types; the stages over the four
    dates tell every type apart (what the seasonal probe asks of single dates vs the series)."""
    from engine.training.datasets import synthetic_normalization
    from engine.training.series_data import PHENOLOGY_CLASSES, SyntheticSeriesDataset

    norm = synthetic_normalization(("sentinel2_l2a", "sentinel1_grd"), n_scenes=2, size=32)
    ds = SyntheticSeriesDataset(4, size=64, dates=4, seed=3, normalization=norm, jitter=0, cloud_cover=0.0)
    seq = {}  # per crop type: its most common land-cover stage on each date, over every place
    for k in range(len(PHENOLOGY_CLASSES)):
        per_date = [np.concatenate([p.labels[t][p.phenology == k] for p in ds.places]) for t in range(4)]
        seq[k] = tuple(int(np.bincount(lab).argmax()) for lab in per_date)
    assert len(set(seq.values())) == 4  # the series separates the four types
    for t in range(4):
        assert len({s[t] for s in seq.values()}) < 4  # no date alone does


def test_train_save_resume_export(tmp_path):
    from engine.model import load_encoder
    from engine.training.datasets import synthetic_normalization
    from engine.training.seamo_train import fusion_path, export, load_config, load_state, train
    from engine.training.series_data import SyntheticSeriesDataset

    norm = synthetic_normalization(("sentinel2_l2a", "sentinel1_grd"), n_scenes=2, size=32)
    ds = SyntheticSeriesDataset(3, size=32, dates=3, seed=1, normalization=norm)
    cfg = load_config(None, ("model.embed_dim=32", "model.img_size=32", "data.dates=3", "train.crop=32",
                             "train.batch_size=2", "train.stage1_steps=2", "train.stage2_steps=3",
                             "train.log_every=1", "train.checkpoint_every=1", "train.warmup_steps=1",
                             f"output.dir={json.dumps(str(tmp_path / 'run'))}"))
    logs = []
    # A time limit stops the run after its first step, with weights and optimiser saved...
    cfg["train"]["time_limit_min"] = 1e-9
    res = train(cfg, dataset=ds, log=logs.append)
    assert res["stopped"] and (res["stage"], res["step"]) == (1, 1)
    tensors, meta = load_state(tmp_path / "run")
    assert any(k.startswith("model.fusion.") for k in tensors) and any(k.startswith("opt.") for k in tensors)
    saved = {k[6:]: v for k, v in tensors.items() if k.startswith("model.")}
    # ...and the next run resumes there and goes through both stages.
    cfg["train"]["time_limit_min"] = 0
    res = train(cfg, dataset=ds, log=logs.append)
    assert any("resumed" in m and "stage 1 step 1" in m for m in logs)
    assert res["stage"] == 3 and [(h["stage"], h["step"]) for h in res["history"]] == [
        (1, 1), (1, 2), (2, 1), (2, 2), (2, 3)]
    final = {k[6:]: v for k, v in load_state(tmp_path / "run")[0].items() if k.startswith("model.")}
    assert not torch.equal(final["encoder.blocks.0.attn.qkv.weight"], saved["encoder.blocks.0.attn.qkv.weight"])
    # Stage 2 of another run from this run's stage 1 (shared stage 1).
    cfg2 = json.loads(json.dumps(cfg))
    cfg2["train"].update({"init_from": str(tmp_path / "run"), "aligned": True, "stage2_steps": 1})
    cfg2["output"]["dir"] = str(tmp_path / "run2")
    assert train(cfg2, dataset=ds, log=logs.append)["stage"] == 3
    # Export: the encoder loads as an engine model; the TM fusion sits next to it.
    path = export(tmp_path / "run", tmp_path / "seamo-tiny.safetensors")
    enc = load_encoder(str(path))
    assert enc.embed_dim == 32 and fusion_path(path).exists()
    x = torch.zeros(1, 2, 32, 32)
    assert enc.patch_tokens(x, ["s1:VV", "s1:VH"]).shape == (1, 32, 2, 2)


def test_probe_reports_merge_only_on_the_same_places():
    from engine.training.seamo_probe import merge_reports, report_markdown, token_labels

    cell = {"knn": 0.5, "linear": 0.6}
    entry = {"seasonal": {"single_date": [cell] * 4, "single_date_mean": cell, "single_date_best": cell,
                          "pooled": {"concat": cell, "mean": cell}},
             "cross_date": {"same_date": cell, "other_date": cell}, "sensors": {"sentinel2_l2a": cell}}
    a = {"places": {"fit": 2, "test": 2, "size": 32, "dates": 4}, "features": {"a": entry}}
    b = {"places": dict(a["places"]), "features": {"b": entry}}
    md = report_markdown(merge_reports([a, b]))
    assert "| a | 0.500 / 0.600" in md and "| b |" in md
    with pytest.raises(ValueError, match="different held-out places"):
        merge_reports([a, {"places": {**a["places"], "fit": 3}, "features": {}}])
    lab = np.full((32, 32), 255, np.uint8)
    lab[:16, :16] = 1
    lab[:16, 16:] = 2
    lab[16:, :16] = 12  # cloud: ignored
    assert token_labels(lab).tolist() == [[1, 2], [-1, -1]]
