"""The encoder reproduces the reference fixture (per-band path, baked conv) and handles any window."""
from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from engine.model.encoder import SpectralEncoder, resolve_mixes  # noqa: E402
from engine.model.projection import layer_mix  # noqa: E402
from engine.model.vit import Architecture  # noqa: E402

TOL = 1e-4


@pytest.fixture(scope="module")
def encoder(tiny_encoder):
    return tiny_encoder


def _cases(tiny):
    return json.loads((tiny / "cases.json").read_text())["cases"]


def _load(tiny, case):
    return (np.load(tiny / case["input"]), np.load(tiny / case["cls"]), np.load(tiny / case["patch_tokens"]))


def test_fixture_architecture_is_inferred(encoder, tiny):
    meta = json.loads((tiny / "cases.json").read_text())
    arch = encoder.arch
    assert (arch.embed_dim, arch.depth, arch.num_heads, arch.patch_size, arch.img_size) == (
        meta["embed_dim"], meta["depth"], meta["num_heads"], meta["patch_size"], meta["img_size"])
    assert arch.fc_norm is False


def test_every_case_per_band_and_baked(encoder, tiny):
    cases = _cases(tiny)
    assert len(cases) >= 5
    for case in cases:
        x, cls_ref, tok_ref = _load(tiny, case)
        bands = case["projection_indices"]
        with torch.inference_mode():
            cls, tokens = encoder(torch.from_numpy(x), bands)
            assert tokens.shape == tok_ref.shape, case["name"]
            assert np.abs(cls.numpy() - cls_ref).max() < TOL, case["name"]
            assert np.abs(tokens.numpy() - tok_ref).max() < TOL, case["name"]
            # the separate public methods agree with forward()
            assert np.abs(encoder.cls_features(x, bands).numpy() - cls_ref).max() < TOL
            baked = encoder.bake(bands, 224)
            bcls, btok = baked.encode(x)
            assert np.abs(bcls.numpy() - cls_ref).max() < TOL, case["name"]
            assert np.abs(btok.numpy() - tok_ref).max() < TOL, case["name"]


def test_derived_layers_follow_the_published_rule():
    blue2 = dict(layer_mix(18))
    assert blue2[0] == pytest.approx(0.79, abs=0.01) and blue2[1] == pytest.approx(0.21, abs=0.01)
    thermal = dict(layer_mix(17))
    assert thermal[14] == pytest.approx(0.000157, abs=2e-6)
    assert thermal[15] == pytest.approx(0.999843, abs=2e-6)


def test_derived_layers_agree_with_engine_spectral():
    spectral = pytest.importorskip("engine.spectral")
    for idx in (17, 18):
        got = dict(layer_mix(idx))
        want = dict(spectral.resolve_bands([idx])[0].mix)
        assert set(got) == set(want)
        for k in got:
            assert got[k] == pytest.approx(want[k], abs=1e-9)


def test_band_names_and_decisions_resolve_through_spectral(encoder, tiny):
    spectral = pytest.importorskip("engine.spectral")
    case = next(c for c in _cases(tiny) if c["name"] == "sentinel2_12band")
    x, cls_ref, _ = _load(tiny, case)
    names = ["sentinel2_l2a:" + b for b in ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A",
                                             "B09", "B11", "B12")]
    try:
        mixes = resolve_mixes(names)
    except Exception as exc:  # preset naming belongs to engine.spectral
        pytest.skip(f"sentinel-2 preset names not resolvable here: {exc}")
    assert [m[0][0] for m in mixes] == case["projection_indices"]
    with torch.inference_mode():
        assert np.abs(encoder.cls_features(x, names).numpy() - cls_ref).max() < TOL
        decisions = spectral.resolve_bands(names)
        assert np.abs(encoder.cls_features(x, decisions).numpy() - cls_ref).max() < TOL


def test_mix_equals_weighted_layers(encoder):
    """A LayerDecision-like mix is the weighted sum of trained projections (weights and biases)."""
    class Decision:
        def __init__(self, mix):
            self.mix, self.layer_index, self.kind = mix, None, "interpolated"

    x = torch.randn(1, 2, 32, 48)
    mix = ((4, 0.25), (6, 0.75))
    with torch.inference_mode():
        tokens = encoder.embed_patches(x, [mix, ((9, 1.0),)])
        w4, b4 = encoder.spectrum_projection.mixed_linear(((4, 1.0),))
        w6, b6 = encoder.spectrum_projection.mixed_linear(((6, 1.0),))
        w9, b9 = encoder.spectrum_projection.mixed_linear(((9, 1.0),))
        p = x.reshape(1, 2, 2, 16, 3, 16).permute(0, 1, 2, 4, 3, 5).reshape(1, 2, 6, 256)
        manual = 6 * ((p[:, 0] @ (0.25 * w4 + 0.75 * w6).T + 0.25 * b4 + 0.75 * b6) + (p[:, 1] @ w9.T + b9))
        assert torch.allclose(tokens, manual, atol=1e-4)
        cls_a = encoder.cls_features(x, [Decision(mix), 9])
        cls_b = encoder.cls_features(x, [Decision(mix), Decision(((9, 1.0),))])
        assert torch.allclose(cls_a, cls_b)


@pytest.mark.parametrize("size", [(96, 96), (64, 160), (256, 240)])
def test_other_windows_per_band_equals_baked(encoder, size):
    h, w = size
    x = torch.randn(2, 3, h, w)
    bands = [9, 6, 15]
    with torch.inference_mode():
        cls, tokens = encoder(x, bands)
        assert tokens.shape == (2, encoder.embed_dim, h // 16, w // 16)
        bcls, btok = encoder.bake(bands, (h, w)).encode(x)
        assert torch.allclose(cls, bcls, atol=1e-4) and torch.allclose(tokens, btok, atol=1e-4)
        assert torch.isfinite(tokens).all()


def test_pos_table_resize_keeps_cls_row_and_is_cached(encoder):
    with torch.inference_mode():
        table = encoder.pos_embed_for(6, 10)
        assert table.shape == (1, 1 + 60, encoder.embed_dim)
        assert torch.equal(table[:, 0], encoder.pos_embed[:, 0])
        assert encoder.pos_embed_for(6, 10) is table
        assert encoder.pos_embed_for(14, 14) is encoder.pos_embed
        # resizing to the native grid is the identity (bicubic, align_corners=False)
        from engine.model.vit import resize_pos_embed

        same = resize_pos_embed(encoder.pos_embed, 14, (14, 14))
        assert torch.allclose(same, encoder.pos_embed, atol=1e-5)


def test_batch_items_are_independent(encoder, tiny):
    case = next(c for c in _cases(tiny) if c["batch"] == 2)
    x, cls_ref, _ = _load(tiny, case)
    with torch.inference_mode():
        single = encoder.cls_features(x[1:2], case["projection_indices"]).numpy()
    assert np.abs(single - cls_ref[1:2]).max() < TOL


def test_state_dict_names_are_the_released_ones(encoder, tiny):
    from safetensors import safe_open

    with safe_open(str(tiny / "weights.safetensors"), "pt") as f:
        released = set(f.keys())
    assert set(encoder.state_dict()) == released


def test_fresh_model_init_and_fc_norm_pooling():
    arch = Architecture(embed_dim=64, depth=1, num_heads=1, img_size=32, fc_norm=True)
    model = SpectralEncoder(arch)
    model.init_weights()
    assert "fc_norm.weight" in model.state_dict()
    x = torch.randn(2, 2, 32, 32)
    with torch.inference_mode():
        pooled = model.pooled_features(x, [0, 1])
        _, last, _ = model.encode(x, [0, 1])
        assert torch.allclose(pooled, model.fc_norm(last[:, 1:].mean(1)))
    assert pooled.shape == (2, 64)


@pytest.mark.gpu
def test_cuda_bf16_autocast_close_to_float32(encoder, tiny):
    case = _cases(tiny)[0]
    x, cls_ref, _ = _load(tiny, case)
    import copy

    gpu = copy.deepcopy(encoder).to("cuda").set_precision("bfloat16")
    with torch.inference_mode():
        cls = gpu.cls_features(x, case["projection_indices"]).cpu().numpy()
    assert cls.dtype == np.float32
    assert np.abs(cls - cls_ref).max() < 0.1
