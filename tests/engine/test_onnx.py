"""ONNX export + onnxruntime reproduce the fixture; make_backend gives the runner one interface."""
from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("onnxruntime")

from engine.errors import BandError, EngineError  # noqa: E402
from engine.model.backends import make_backend  # noqa: E402
from engine.model.export import export_onnx, model_fingerprint  # noqa: E402
from engine.model.onnx_backend import OnnxEncoder  # noqa: E402

TOL = 1e-4


@pytest.fixture(scope="module")
def encoder(tiny_encoder):
    return tiny_encoder


def _cases(tiny):
    return json.loads((tiny / "cases.json").read_text())["cases"]


def test_every_case_through_onnxruntime(encoder, tiny, tmp_path):
    for case in _cases(tiny):
        x = np.load(tiny / case["input"])
        cls_ref, tok_ref = np.load(tiny / case["cls"]), np.load(tiny / case["patch_tokens"])
        path = export_onnx(encoder.bake(case["projection_indices"], 224), tmp_path / f"{case['name']}.onnx")
        onnx_enc = OnnxEncoder(path, device="cpu")
        assert onnx_enc.device == "cpu" and onnx_enc.embed_dim == 192
        assert onnx_enc.num_bands == len(case["projection_indices"])
        cls, tokens = onnx_enc.run(x)
        assert cls.dtype == np.float32 and tokens.shape == tok_ref.shape
        assert np.abs(cls - cls_ref).max() < TOL, case["name"]
        assert np.abs(tokens - tok_ref).max() < TOL, case["name"]
        assert np.abs(onnx_enc.cls_features(x) - cls_ref).max() < TOL
    assert not list(tmp_path.glob("*.part"))


def test_onnx_dynamic_batch_and_errors(encoder, tmp_path):
    path = export_onnx(encoder.bake([9, 6, 15], (64, 96)), tmp_path / "m.onnx")
    onnx_enc = OnnxEncoder(path)
    assert onnx_enc.img_size == (64, 96) and onnx_enc.labels == ["9", "6", "15"]
    x = np.random.default_rng(0).normal(size=(5, 3, 64, 96)).astype(np.float32)
    with torch.inference_mode():
        want = encoder.patch_tokens(x, [9, 6, 15]).numpy()
    got = onnx_enc.patch_tokens(x)
    assert got.shape == (5, 192, 4, 6) and np.abs(got - want).max() < TOL
    assert np.abs(onnx_enc.patch_tokens(x[:1]) - want[:1]).max() < TOL
    with pytest.raises(BandError, match="3 bands"):
        onnx_enc.run(x[:, :2])
    with pytest.raises(EngineError, match="64x96"):
        onnx_enc.run(np.zeros((1, 3, 64, 64), np.float32))
    bad = x.copy()
    bad[0, 2, 0, 0] = np.nan
    with pytest.raises(EngineError, match="channel 3"):
        onnx_enc.run(bad)
    with pytest.raises(EngineError, match="not found"):
        OnnxEncoder(tmp_path / "missing.onnx")


@pytest.mark.parametrize("kind", ["torch", "onnxruntime"])
def test_make_backend_matches_reference(encoder, tiny, tmp_path, kind):
    case = next(c for c in _cases(tiny) if c["name"] == "rgb")
    x = np.load(tiny / case["input"])
    tok_ref, cls_ref = np.load(tiny / case["patch_tokens"]), np.load(tiny / case["cls"])
    backend = make_backend(encoder, case["projection_indices"], 224, backend=kind, device="cpu",
                           cache_dir=str(tmp_path))
    assert backend.device == "cpu" and backend.embed_dim == 192
    out = backend.run(x)
    assert out.dtype == np.float32 and out.shape == tok_ref.shape
    assert np.abs(out - tok_ref).max() < TOL
    assert np.abs(backend.run_cls(x) - cls_ref).max() < TOL
    with pytest.raises(BandError):
        backend.run(x[:, :2])


def test_onnx_cache_is_reused_and_keyed(encoder, tmp_path):
    first = make_backend(encoder, [0, 1], 64, backend="onnxruntime", device="cpu", cache_dir=str(tmp_path))
    stamp = first.path.stat().st_mtime_ns
    again = make_backend(encoder, [0, 1], 64, backend="onnxruntime", device="cpu", cache_dir=str(tmp_path))
    assert again.path == first.path and again.path.stat().st_mtime_ns == stamp
    other_bands = make_backend(encoder, [0, 2], 64, backend="onnxruntime", device="cpu", cache_dir=str(tmp_path))
    other_window = make_backend(encoder, [0, 1], 96, backend="onnxruntime", device="cpu", cache_dir=str(tmp_path))
    assert len({first.path, other_bands.path, other_window.path}) == 3


def test_fingerprint_changes_with_weights(encoder):
    import copy

    model = copy.deepcopy(encoder)
    model.source = None
    before = model_fingerprint(model)
    with torch.no_grad():
        model.norm.bias.add_(1.0)
    assert model_fingerprint(model) != before


def test_make_backend_errors(encoder):
    with pytest.raises(EngineError, match="unknown backend"):
        make_backend(encoder, [0], 64, backend="tensorrt")
    with pytest.raises(EngineError, match="dtype"):
        make_backend(encoder, [0], 64, dtype="int4")
    with pytest.raises(EngineError, match="patch size"):
        make_backend(encoder, [0], 70)


@pytest.mark.gpu
def test_torch_backend_cuda_bf16(encoder, tiny):
    case = _cases(tiny)[0]
    x = np.load(tiny / case["input"])
    backend = make_backend(encoder, case["projection_indices"], 224, device="cuda")
    assert backend.device.startswith("cuda") and backend.dtype == "bfloat16"
    out = backend.run(x)
    assert out.dtype == np.float32
    assert np.abs(out - np.load(tiny / case["patch_tokens"])).max() < 0.1
    assert encoder.cls_token.device.type == "cpu"  # the caller's encoder was not moved


def test_make_backend_passes_the_interpolation_rule(encoder):
    pytest.importorskip("engine.spectral")
    published = make_backend(encoder, ["600-640nm", 9], 32, device="cpu")
    linear = make_backend(encoder, ["600-640nm", 9], 32, device="cpu", rule="linear")
    (a,), (b,) = [dict(published.baked.mixes[0])], [dict(linear.baked.mixes[0])]
    assert set(a) == set(b) == {4, 6}
    assert a[4] == pytest.approx(b[6]) and a[4] != pytest.approx(b[4])
    x = np.random.default_rng(1).normal(size=(1, 2, 32, 32)).astype(np.float32)
    assert not np.allclose(published.run(x), linear.run(x))
