"""The device window path (stored-type upload, normalise/pad/mask and blending as torch ops) equals
the host path; here it runs on CPU tensors, on a GPU the same code runs on CUDA tensors."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from engine.errors import EngineError  # noqa: E402
from engine.inference.device import (DeviceAccumulator, WindowPrep, mirror_index,  # noqa: E402
                                     parse_devices)
from engine.inference.runner import _Accumulator, run_windows  # noqa: E402
from engine.inference.tiling import WindowGrid, pad_window, token_validity  # noqa: E402
from engine.raster.io import RasterSource  # noqa: E402
from engine.raster.normalize import Normalizer, compute_stats  # noqa: E402

from test_raster_io import make_tif  # noqa: E402

CPU = torch.device("cpu")
DEVICES = ["cpu", pytest.param("cuda", marks=pytest.mark.gpu)]  # the same checks on a GPU when there is one


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))


class TorchFake:
    """Per-patch linear map + tanh with both the numpy (host) and the tensor (device) interface."""

    def __init__(self, channels: int, dim: int = 8, seed: int = 0, device: str = "cpu"):
        rng = np.random.default_rng(seed)
        self.w = rng.normal(size=(dim, channels * 256)).astype(np.float32) / 16
        self.embed_dim, self.device, self.dev = dim, device, torch.device(device)
        self.calls = 0

    def run(self, x: np.ndarray) -> np.ndarray:
        return self.run_tensor(torch.from_numpy(x).to(self.dev)).cpu().numpy()

    def run_tensor(self, x):
        self.calls += 1
        b, c, h, w = x.shape
        p = x.reshape(b, c, h // 16, 16, w // 16, 16).permute(0, 2, 4, 1, 3, 5).reshape(b, h // 16, w // 16, -1)
        out = torch.tanh(p @ torch.from_numpy(self.w).to(x.device).T)
        return out.permute(0, 3, 1, 2).contiguous()


def _raster(tmp_path, name="r.tif", shape=(3, 150, 230), dtype=np.uint16, nodata=0, seed=3, scale=None):
    rng = np.random.default_rng(seed)
    data = rng.integers(1, 5000, shape).astype(dtype)
    data[:, 16:48, 30:80] = nodata  # a nodata hole: whole tokens and parts of tokens
    data[:, 100:101, :] = nodata
    path = make_tif(tmp_path / name, data, nodata=nodata, scale=scale and scale[0], offset=scale and scale[1])
    return path


def test_mirror_index_matches_numpy_padding():
    for n in (1, 2, 3, 5, 17, 64):
        for size in (64, 80):
            if n > size:
                continue
            a = np.arange(n)
            for edge in (False, True):
                mode = "edge" if edge or n == 1 else "reflect"
                np.testing.assert_array_equal(mirror_index(size, n, edge), np.pad(a, (0, size - n), mode=mode))


def test_read_stored_is_read_before_conversion(tmp_path):
    p = _raster(tmp_path, dtype=np.int16, nodata=-9999, scale=(0.5, 10.0))
    with RasterSource(str(p)) as src:
        assert src.stored_dtype == np.int16
        raw, valid_raw = src.read_stored(16, 8, 70, 50)
        data, valid = src.read(16, 8, 70, 50)
    assert raw.dtype == np.int16 and data.dtype == np.float32
    np.testing.assert_array_equal(valid, valid_raw)
    np.testing.assert_array_equal(data, raw.astype(np.float32) * np.float32(0.5) + np.float32(10.0))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype,scale", [(np.uint16, None), (np.int16, (0.5, -20.0)), (np.float32, None)])
def test_device_normalise_pad_mask_equals_host(tmp_path, dtype, scale, device):
    nodata = -9999 if dtype != np.uint16 else 0
    p = _raster(tmp_path, dtype=dtype, nodata=nodata, scale=scale)
    window = 64
    with RasterSource(str(p)) as src:
        norm = Normalizer(compute_stats(src))
        prep = WindowPrep(torch, torch.device(device), norm, src.scales, window, 16)
        # full windows, right/bottom edge windows and a one-pixel strip
        boxes = [(0, 0, 64, 64), (176, 0, 54, 64), (0, 96, 64, 54), (176, 96, 54, 54), (229, 0, 1, 64)]
        raw = np.zeros((len(boxes), src.count, window, window), src.stored_dtype)
        valid = np.zeros((len(boxes), window, window), bool)
        expected, expected_tv = [], []
        for i, (x, y, w, h) in enumerate(boxes):
            r, v = src.read_stored(x, y, w, h)
            raw[i, :, :h, :w], valid[i, :h, :w] = r, v
            d, hv = src.read(x, y, w, h)
            d, hv = pad_window(d, hv, window)
            norm(d, hv)
            expected.append(d)
            expected_tv.append(token_validity(hv))
        x_dev, tv = prep(torch.from_numpy(raw).to(device), torch.from_numpy(valid).to(device),
                         [(h, w) for _, _, w, h in boxes])
    assert x_dev.dtype == torch.float32 and x_dev.device.type == device
    np.testing.assert_allclose(x_dev.cpu().numpy(), np.stack(expected), atol=1e-5, rtol=0)
    np.testing.assert_array_equal(tv.cpu().numpy(), np.stack(expected_tv))
    assert (~np.stack(expected_tv)).any()  # the nodata hole made whole tokens invalid


def test_device_accumulator_equals_host_accumulator():
    rng = np.random.default_rng(1)
    grid = WindowGrid(300, 200, 64, 0.5)
    n, dim = grid.tokens_per_window, 5
    host = _Accumulator(dim, grid.token_width, grid.token_height)
    dev = DeviceAccumulator(torch, CPU, dim, grid.token_width, grid.token_height, n, grid.weights(), "float32")
    got_h, got_d = np.full((dim, grid.token_height, grid.token_width), -1.0, np.float32), None
    got_d = got_h.copy()
    wins = grid.windows()
    for start in range(0, len(wins), 4):
        chunk = wins[start:start + 4]
        tokens = rng.normal(size=(len(chunk), dim, n, n)).astype(np.float32)
        tvalid = rng.random((len(chunk), n, n)) > 0.1
        for (x, y), t, v in zip(chunk, tokens, tvalid):
            host.add(t, v, grid.weights(), y // 16, x // 16)
        dev.add(torch.from_numpy(tokens), torch.from_numpy(tvalid), [y // 16 for _, y in chunk],
                [x // 16 for x, _ in chunk])
        nxt = wins[start + 4][1] // 16 if start + 4 < len(wins) else grid.token_height
        for acc, out in ((host, got_h), (dev, got_d)):
            r = acc.release(nxt)
            if r is not None:
                vals = r[0] if isinstance(r[0], np.ndarray) else r[0].numpy()
                out[:, r[1]:r[1] + vals.shape[1]] = vals
    np.testing.assert_allclose(got_d, got_h, atol=1e-5, rtol=0, equal_nan=True)
    assert np.isnan(got_h).any() and not (got_h == -1.0).any()


def _run(src, norm, backend, grid, **kw):
    out = np.full((backend.embed_dim, grid.token_height, grid.token_width), -7.0, np.float32)
    rows = []

    def sink(values, y):
        rows.append((y, values.dtype))
        out[:, y:y + values.shape[1]] = values

    stats = run_windows(src, norm, backend, grid, sink, batch_size=3, **kw)
    return out, stats, rows


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("overlap", [0.0, 0.25, 0.5])
def test_device_path_equals_host_path(tmp_path, overlap, device):
    p = _raster(tmp_path, dtype=np.int16, nodata=-9999, scale=(0.25, 5.0))
    with RasterSource(str(p)) as src:
        norm = Normalizer(compute_stats(src))
        grid = WindowGrid(src.width, src.height, 64, overlap)
        fake = TorchFake(src.count, device=device)
        host, hs, _ = _run(src, norm, fake, grid, path="host")
        dev, ds, rows = _run(src, norm, fake, grid, path="device")
    assert (hs.extra["path"], ds.extra["path"]) == ("host", "device")
    assert hs.windows == ds.windows > 1 and hs.skipped == ds.skipped
    assert [y for y, _ in rows] == sorted(y for y, _ in rows) and len(rows) > 1  # streamed rows
    assert not (dev == -7.0).any() and np.isnan(dev).any()
    np.testing.assert_allclose(dev, host, atol=1e-5, rtol=0, equal_nan=True)


def test_device_path_float16_rows_and_two_backends(tmp_path):
    p = _raster(tmp_path)
    with RasterSource(str(p)) as src:
        norm = Normalizer(compute_stats(src))
        grid = WindowGrid(src.width, src.height, 64, 0.25)
        host, _, _ = _run(src, norm, TorchFake(src.count), grid, path="host")
        half, _, rows = _run(src, norm, TorchFake(src.count), grid, path="device", out_dtype="float16")
        a, b = TorchFake(src.count), TorchFake(src.count)
        pair, stats, _ = _run(src, norm, a, grid, more_backends=[b])
    assert {d for _, d in rows} == {np.dtype(np.float16)}
    np.testing.assert_array_equal(half, host.astype(np.float16).astype(np.float32))
    assert a.calls > 0 and b.calls > 0 and stats.extra["path"] == "device"  # batches shared round-robin
    np.testing.assert_allclose(pair, host, atol=1e-5, rtol=0, equal_nan=True)


def test_device_path_with_the_real_encoder(tmp_path):
    from engine.inference.backend import make_model_backend
    from engine.model.encoder import SpectralEncoder
    from engine.model.vit import Architecture
    from engine.spectral import resolve_bands

    torch.manual_seed(0)
    enc = SpectralEncoder(Architecture(embed_dim=32, depth=1, num_heads=2, img_size=64))
    backend = make_model_backend(enc, resolve_bands(["sentinel2:B02", "sentinel2:B03", "sentinel2:B04"]), 64,
                                 device="cpu")
    p = _raster(tmp_path, shape=(3, 100, 140))
    with RasterSource(str(p)) as src:
        norm = Normalizer(compute_stats(src))
        grid = WindowGrid(src.width, src.height, 64, 0.25)
        host, _, _ = _run(src, norm, backend, grid, path="host")
        dev, stats, _ = _run(src, norm, backend, grid, path="auto")
        forced, _, _ = _run(src, norm, backend, grid, path="device")
    assert stats.extra["path"] == "host"  # auto keeps the host path off CUDA
    np.testing.assert_allclose(forced, host, atol=1e-5, rtol=0, equal_nan=True)


def test_device_path_refuses_backends_without_tensors(tmp_path):
    class NumpyOnly:
        embed_dim = 4

        def run(self, x):
            return np.zeros((x.shape[0], 4, x.shape[2] // 16, x.shape[3] // 16), np.float32)

    p = _raster(tmp_path, shape=(3, 64, 64))
    with RasterSource(str(p)) as src:
        grid = WindowGrid(64, 64, 64, 0.0)
        with pytest.raises(EngineError, match="torch backend"):
            _run(src, Normalizer(compute_stats(src)), NumpyOnly(), grid, path="device")


def test_parse_devices():
    assert parse_devices("cuda:0,1") == ["cuda:0", "cuda:1"]
    assert parse_devices("cuda:0, cuda:2") == ["cuda:0", "cuda:2"]
    assert parse_devices("cpu") == ["cpu"] and parse_devices(None) == ["auto"]
    with pytest.raises(EngineError, match="kind"):
        parse_devices("0,1")
    if not torch.cuda.is_available():
        with pytest.raises(EngineError, match="CUDA"):
            parse_devices("all")


def test_embeddings_file_is_the_same_on_both_paths(tmp_path):
    from osgeo import gdal

    from engine.jobs import JobSpec, RasterInput
    from engine.model.checkpoint import save_encoder
    from engine.model.encoder import SpectralEncoder
    from engine.model.vit import Architecture
    from engine.products.embeddings import compute_embeddings

    torch.manual_seed(0)
    enc = SpectralEncoder(Architecture(embed_dim=16, depth=1, num_heads=2, img_size=64))
    model = str(save_encoder(enc, tmp_path / "m.safetensors", card={"id": "m"}))
    p = _raster(tmp_path, shape=(3, 120, 150))
    arrays = {}
    for path, dtype in (("host", "float32"), ("device", "float32"), ("device", "float16"), ("cpu,cpu", "float32")):
        out = tmp_path / f"{path.replace(',', '_')}_{dtype}.tif"
        job = JobSpec(product="embeddings", inputs=[RasterInput([str(p)], ["sentinel2:B02", "sentinel2:B03",
                      "sentinel2:B04"])], output=str(out), model=model, window=64, overlap=0.25, batch_size=3,
                      device="cpu,cpu" if "," in path else "cpu", embedding_dtype=dtype)
        info = compute_embeddings(job, 0, str(out), window_path="host" if path == "host" else "device")
        assert info.run["path"] == ("host" if path == "host" else "device")
        arrays[(path, dtype)] = gdal.Open(str(out)).ReadAsArray()
    host = arrays[("host", "float32")]
    assert np.isnan(host).any() and np.isfinite(host).any()
    np.testing.assert_allclose(arrays[("device", "float32")], host, atol=1e-5, rtol=0, equal_nan=True)
    np.testing.assert_allclose(arrays[("cpu,cpu", "float32")], host, atol=1e-5, rtol=0, equal_nan=True)
    np.testing.assert_allclose(arrays[("device", "float16")], host, atol=2e-3, rtol=2e-3, equal_nan=True)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("factor", [1.87, 0.75])
def test_model_scale_on_the_device_path_equals_the_host_path(tmp_path, factor, device):
    from engine.inference.scale import ScaledWindows

    p = _raster(tmp_path, dtype=np.int16, nodata=-9999, scale=(0.25, 5.0), shape=(3, 90, 130))
    with RasterSource(str(p)) as src:
        norm = Normalizer(compute_stats(src))
        scaler = ScaledWindows(src.width, src.height, factor)
        grid = WindowGrid(scaler.width, scaler.height, 64, 0.25)
        fake = TorchFake(src.count, device=device)
        host, hs, _ = _run(src, norm, fake, grid, path="host", scaler=scaler)
        dev, ds, _ = _run(src, norm, fake, grid, path="device", scaler=scaler, min_valid_share=0.5)
        host_half, _, _ = _run(src, norm, fake, grid, path="host", scaler=scaler, min_valid_share=0.5)
        dev_any, _, _ = _run(src, norm, fake, grid, path="device", scaler=scaler)
    assert (hs.extra["path"], ds.extra["path"]) == ("host", "device") and hs.windows == ds.windows > 1
    assert not (host == -7.0).any() and np.isnan(host).any() and np.isfinite(host).any()
    np.testing.assert_allclose(dev_any, host, atol=1e-5, rtol=0, equal_nan=True)
    np.testing.assert_allclose(dev, host_half, atol=1e-5, rtol=0, equal_nan=True)
    assert np.isnan(host_half).sum() > np.isnan(host).sum()  # the valid share did remove edge tokens


@pytest.mark.parametrize("device", DEVICES)
def test_valid_pixel_share_is_the_same_on_both_paths(tmp_path, device):
    """Tokens below the valid-pixel share are nodata on the device path exactly as on the host path."""
    data = np.random.default_rng(4).integers(1, 5000, (3, 150, 230)).astype(np.uint16)
    data[:, 40:150, 100:140] = 0  # token column 6 (96..111 px) keeps 4 of 16 pixel columns: 25 % valid
    p = make_tif(tmp_path / "share.tif", data, nodata=0)
    with RasterSource(str(p)) as src:
        norm = Normalizer(compute_stats(src))
        grid = WindowGrid(src.width, src.height, 64, 0.25)
        fake = TorchFake(src.count, device=device)
        any_host, _, _ = _run(src, norm, fake, grid, path="host")
        host, _, _ = _run(src, norm, fake, grid, path="host", min_valid_share=0.5)
        dev, _, _ = _run(src, norm, fake, grid, path="device", min_valid_share=0.5)
    assert np.isnan(host[0]).sum() > np.isnan(any_host[0]).sum()  # the share masked more tokens
    np.testing.assert_array_equal(np.isnan(dev[0]), np.isnan(host[0]))
    np.testing.assert_allclose(dev, host, atol=1e-5, rtol=0, equal_nan=True)
