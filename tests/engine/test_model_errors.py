"""Bad inputs give EngineError/BandError with readable messages, never a deep torch traceback."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from engine.errors import BandError, EngineError  # noqa: E402
from engine.model.encoder import SpectralEncoder  # noqa: E402
from engine.model.vit import Architecture  # noqa: E402


@pytest.fixture(scope="module")
def encoder():
    model = SpectralEncoder(Architecture(embed_dim=64, depth=1, num_heads=1, img_size=64)).eval()
    model.init_weights()
    return model


def test_zero_bands(encoder):
    with pytest.raises(BandError, match="no bands"):
        encoder.cls_features(torch.zeros(1, 0, 64, 64), [])


def test_channel_count_mismatch(encoder):
    with pytest.raises(BandError, match="3 channels but 2 bands"):
        encoder.cls_features(torch.zeros(1, 3, 64, 64), [4, 6])


@pytest.mark.parametrize("size", [(60, 64), (64, 200), (8, 8)])
def test_window_not_multiple_of_16(encoder, size):
    with pytest.raises(EngineError, match="not a multiple of the patch size 16"):
        encoder.patch_tokens(torch.zeros(1, 2, *size), [4, 6])


def test_nan_input_names_the_band(encoder):
    x = np.zeros((1, 2, 64, 64), np.float32)
    x[0, 1, 3, 3] = np.nan
    with pytest.raises(EngineError, match="channel 2"):
        encoder.cls_features(x, [4, 6])


def test_duplicate_bands(encoder):
    with pytest.raises(BandError, match="twice"):
        encoder.cls_features(torch.zeros(1, 2, 64, 64), [6, 6])
    with pytest.raises(BandError):
        encoder.cls_features(torch.zeros(1, 2, 64, 64), ["634-696nm", "634-696nm"])


def test_unknown_layer_index(encoder):
    with pytest.raises(BandError, match="layer 19 does not exist"):
        encoder.cls_features(torch.zeros(1, 1, 64, 64), [19])


def test_unsupported_decision(encoder):
    class Decision:
        mix, layer_index, kind, explanation = (), None, "unsupported", "cirrus band has no layer"

    with pytest.raises(BandError, match="cirrus"):
        encoder.cls_features(torch.zeros(1, 1, 64, 64), [Decision()])


def test_wrong_rank_and_type(encoder):
    with pytest.raises(EngineError, match="4 dimensions"):
        encoder.cls_features(torch.zeros(2, 64, 64), [4, 6])
    with pytest.raises(EngineError, match="numpy array"):
        encoder.cls_features([[1.0]], [4])


def test_baked_encoder_checks_window_and_bands(encoder):
    baked = encoder.bake([4, 6], 64)
    with pytest.raises(EngineError, match="baked for 64x64"):
        baked.encode(torch.zeros(1, 2, 32, 32))
    with pytest.raises(BandError, match="3 channels"):
        baked.encode(torch.zeros(1, 3, 64, 64))
    with pytest.raises(BandError, match="baked for bands"):
        baked.cls_features(torch.zeros(1, 2, 64, 64), [4, 7])
    with pytest.raises(EngineError):
        encoder.bake([4, 6], 70)


def test_unknown_precision_and_device(encoder):
    from engine.model.encoder import resolve_device

    with pytest.raises(EngineError, match="precision"):
        encoder.set_precision("int8")
    with pytest.raises(EngineError, match="device"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(EngineError, match="no CUDA"):
            resolve_device("cuda")
    assert resolve_device("auto").type in ("cuda", "mps", "cpu")


def test_band_name_errors_name_the_channel(encoder):
    pytest.importorskip("engine.spectral")
    with pytest.raises(BandError, match="channel 3 of 3"):
        encoder.cls_features(torch.zeros(1, 3, 64, 64), [4, 6, "no-such-band"])
    with pytest.raises(BandError, match="channel 3 .*same band as channel 2"):
        encoder.cls_features(torch.zeros(1, 3, 64, 64), [4, "634-696nm", "0.634-0.696um"])
