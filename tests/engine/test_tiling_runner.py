"""Window grid, blend weights and the threaded runner: no seams, exact single window, shifts, nodata."""
from __future__ import annotations

import os

import numpy as np
import pytest

from engine.errors import JobCancelled, RasterError
from engine.inference.runner import run_windows
from engine.inference.tiling import WindowGrid, stride_for, taper, window_offsets
from engine.jobs import JobSpec, RasterInput, run
from engine.raster.io import RasterSource
from engine.raster.normalize import Normalizer, compute_stats

from test_raster_io import make_tif

S2_RGB = ["sentinel2:B02", "sentinel2:B03", "sentinel2:B04"]


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """A tiny random SMARTIES encoder saved in the released layout."""
    torch = pytest.importorskip("torch")
    from engine.model.checkpoint import save_encoder
    from engine.model.encoder import SpectralEncoder
    from engine.model.vit import Architecture

    torch.manual_seed(0)
    enc = SpectralEncoder(Architecture(embed_dim=32, depth=1, num_heads=2, img_size=64))
    return str(save_encoder(enc, tmp_path_factory.mktemp("model") / "tiny.safetensors", card={"id": "tiny"}))


class LocalFake:
    """Translation-equivariant stand-in for a model: each token depends on its own patch only."""

    def __init__(self, channels: int, dim: int = 8, context: float = 0.0, seed: int = 0):
        self.w = np.random.default_rng(seed).normal(size=(dim, channels * 256)).astype(np.float32) / 16
        self.embed_dim, self.context, self.calls = dim, context, 0

    def run(self, x):
        self.calls += 1
        b, c, h, w = x.shape
        p = x.reshape(b, c, h // 16, 16, w // 16, 16).transpose(0, 2, 4, 1, 3, 5).reshape(b, h // 16, w // 16, -1)
        out = np.tanh(p @ self.w.T + self.context * x.mean(axis=(1, 2, 3))[:, None, None, None])
        return out.transpose(0, 3, 1, 2).astype(np.float32)


def run_to_array(src, backend, window, overlap, batch=3):
    grid = WindowGrid(src.width, src.height, window, overlap)
    out = np.full((backend.embed_dim, grid.token_height, grid.token_width), -7.0, np.float32)
    rows = []

    def sink(values, y):
        rows.append(y)
        out[:, y:y + values.shape[1]] = values

    stats = run_windows(src, Normalizer(compute_stats(src)), backend, grid, sink, batch_size=batch)
    return out, stats, rows


def test_stride_offsets_and_weights():
    assert stride_for(224, 0.25) == 160 and stride_for(224, 0.0) == 224 and stride_for(32, 0.9) == 16
    assert window_offsets(224, 224, 160) == [0]
    assert window_offsets(100, 224, 160) == [0]
    assert window_offsets(500, 224, 160) == [0, 160, 320]
    w = taper(14, 4)
    assert w.min() > 0 and w[0] == w[-1] and np.all(w[4:10] == 1)
    assert np.allclose(w[10:] + w[:4], 1.0)  # two windows meeting over 4 tokens sum to one
    g = WindowGrid(500, 300, 224, 0.25)
    assert (g.token_width, g.token_height, g.count) == (32, 19, 6)


def test_constant_image_gives_constant_embeddings(tmp_path):
    p = make_tif(tmp_path / "c.tif", np.full((3, 200, 300), 1234, np.uint16))
    with RasterSource(p) as src:
        out, stats, _ = run_to_array(src, LocalFake(3, context=0.5), 64, 0.25)
    assert stats.skipped == 0 and stats.windows == WindowGrid(300, 200, 64, 0.25).count == 24
    assert np.isfinite(out).all()
    assert np.ptp(out, axis=(1, 2)).max() < 1e-5


def test_blended_map_equals_the_per_token_result(tmp_path):
    rng = np.random.default_rng(3)
    p = make_tif(tmp_path / "r.tif", rng.integers(0, 5000, (3, 150, 230)).astype(np.uint16))
    with RasterSource(p) as src:
        fake = LocalFake(3)
        out, stats, rows = run_to_array(src, fake, 64, 0.5)
        x, valid = src.read(0, 0, 224, 144)
        Normalizer(compute_stats(src))(x, valid)
    direct = fake.run(x[None])[0]
    assert np.allclose(out[:, :9, :14], direct, atol=1e-5)
    assert rows == sorted(rows) and len(rows) > 1  # streamed in several row blocks


def test_single_window_raster_is_exactly_the_model_output(tmp_path, tiny_model):
    from engine.inference.backend import load_model, make_model_backend
    from engine.spectral import resolve_bands

    rng = np.random.default_rng(0)
    p = make_tif(tmp_path / "w.tif", rng.integers(0, 10000, (3, 224, 224)).astype(np.uint16))
    backend = make_model_backend(load_model(tiny_model), resolve_bands(S2_RGB), 224, device="cpu")
    with RasterSource(p) as src:
        out, stats, _ = run_to_array(src, backend, 224, 0.25)
        x, valid = src.read(0, 0, 224, 224)
        Normalizer(compute_stats(src))(x, valid)
    assert stats.windows == 1
    np.testing.assert_allclose(out, backend.run(x[None])[0], atol=1e-5)


def test_shift_by_16_pixels_shifts_the_embeddings(tmp_path):
    rng = np.random.default_rng(5)
    big = rng.integers(0, 5000, (3, 176, 176)).astype(np.uint16)
    a = make_tif(tmp_path / "a.tif", big[:, :160, :160])
    b = make_tif(tmp_path / "b.tif", big[:, 16:, 16:])
    stats = compute_stats(RasterSource(a))
    fake = LocalFake(3)
    outs = []
    for p in (a, b):
        with RasterSource(p) as src:
            grid = WindowGrid(src.width, src.height, 64, 0.25)
            out = np.zeros((8, grid.token_height, grid.token_width), np.float32)
            run_windows(src, Normalizer(stats), fake, grid, lambda v, y: out.__setitem__(
                (slice(None), slice(y, y + v.shape[1])), v))
            outs.append(out)
    np.testing.assert_allclose(outs[0][:, 1:-1, 1:-1], outs[1][:, :-2, :-2], atol=1e-5)


def test_nodata_in_nodata_out(tmp_path):
    rng = np.random.default_rng(2)
    data = rng.integers(1, 5000, (3, 128, 192)).astype(np.uint16)
    data[:, :, 128:] = 0  # a whole 64 px window column of nodata
    data[:, 0:16, 0:16] = 0  # one full token
    data[:, 32:40, 32:40] = 0  # part of a token
    p = make_tif(tmp_path / "n.tif", data, nodata=0)
    with RasterSource(p) as src:
        out, stats, _ = run_to_array(src, LocalFake(3), 64, 0.0)
    assert stats.skipped == 2 and stats.windows == 4
    assert np.isnan(out[:, :, 8:]).all() and np.isnan(out[:, 0, 0]).all()
    assert np.isfinite(out[:, 2, 2]).all() and np.isfinite(out[:, :, :8]).sum() == 8 * (8 * 8 - 1)


def _job(path, out, model, **kw):
    return JobSpec(product=kw.pop("product", "embeddings"), inputs=[RasterInput([path], S2_RGB)], output=str(out),
                   model=model, window=64, overlap=0.0, batch_size=2, device="cpu", **kw)


def test_cancel_mid_run_leaves_nothing(tmp_path, tiny_model):
    p = make_tif(tmp_path / "in.tif", np.random.default_rng(0).integers(0, 999, (3, 256, 256)).astype(np.uint16))
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 5

    out = tmp_path / "out.tif"
    with pytest.raises(JobCancelled):
        run(_job(p, out, tiny_model), cancel=cancel)
    assert sorted(os.listdir(tmp_path)) == ["cache", "in.tif"]
    with pytest.raises(JobCancelled):
        run(_job(p, out, tiny_model, product="pca"), cancel=cancel)
    assert sorted(os.listdir(tmp_path)) == ["cache", "in.tif"]


def test_read_error_mid_run_names_file_and_window(tmp_path, tiny_model, monkeypatch):
    p = make_tif(tmp_path / "in.tif", np.random.default_rng(0).integers(0, 999, (3, 256, 256)).astype(np.uint16))
    original = RasterSource.read

    def flaky(self, xoff, yoff, w, h, buf_size=None):
        if buf_size is None and yoff >= 128:
            raise OSError("device not ready")
        return original(self, xoff, yoff, w, h, buf_size)

    monkeypatch.setattr(RasterSource, "read", flaky)
    with pytest.raises(RasterError, match=r"in\.tif.*x=0, y=128.*device not ready"):
        run(_job(p, tmp_path / "out.tif", tiny_model))
    assert sorted(os.listdir(tmp_path)) == ["cache", "in.tif"]


def test_progress_is_monotonic_and_finishes(tmp_path, tiny_model):
    p = make_tif(tmp_path / "in.tif", np.random.default_rng(0).integers(1, 999, (3, 160, 160)).astype(np.uint16))
    seen = []
    run(_job(p, tmp_path / "out.tif", tiny_model, product="pca"), progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(seen) > 3
    assert any("window" in m for _, m in seen)
