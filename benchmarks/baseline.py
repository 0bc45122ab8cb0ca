"""The baseline to beat: a per-tile, sequential runner as QGIS deep-learning plugins commonly do it.

One tile at a time: read it with GDAL, normalise it in numpy, run it through onnxruntime with a
batch of one, write its tokens into the output raster; no reading ahead, no batching, no overlap
blending (a later tile simply overwrites the tokens it shares with an earlier one). It uses the
same raster, window grid, normalisation statistics, model and device as the engine's run, so the
two rates compare like with like. onnxruntime is used where it can run on the asked device; on a
GPU without onnxruntime's CUDA provider the same loop runs the torch model (float32, batch 1) and
the result says so (`baseline_backend`).

    from baseline import run_per_tile
    result = run_per_tile(raster, model, bands, window=224, overlap=0.25, device="cpu", limit=200)
"""
from __future__ import annotations

import os
import tempfile
import time
from typing import Optional, Sequence

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def _per_tile_backend(model: str, bands: Sequence[str], window: int, device: str, threads: Optional[int] = None):
    """(backend, name): onnxruntime on the device when it can, else torch float32 on that device."""
    from engine.inference.backend import load_model
    from engine.model.backends import make_backend
    from engine.model.onnx_backend import providers_for

    encoder = load_model(model)
    wants_gpu = device.startswith("cuda") or (device == "auto" and _cuda())
    try:
        gpu_ort = "CUDAExecutionProvider" in providers_for("auto")
    except Exception:  # onnxruntime missing: the torch loop still gives a per-tile figure
        gpu_ort = False
    if not wants_gpu or gpu_ort:
        backend = make_backend(encoder, list(bands), window, backend="onnxruntime",
                               device="cuda" if wants_gpu else "cpu")
        if threads:  # the same session options, a fixed intra-op team
            from engine.model.onnx_backend import OnnxEncoder

            backend.encoder = OnnxEncoder(backend.path, device="cuda" if wants_gpu else "cpu", threads=threads)
        return backend, "onnxruntime"
    return make_backend(encoder, list(bands), window, backend="torch", device=device,
                        dtype="float32"), "torch-fp32 (no onnxruntime CUDA provider)"


def _export_once(model: str, bands: Sequence[str], window: int, device: str) -> None:
    """Write the ONNX graph into the cache (engine.model.export) so the timed setup only loads it."""
    wants_gpu = device.startswith("cuda") or (device == "auto" and _cuda())
    try:
        from engine.model.onnx_backend import providers_for

        if wants_gpu and "CUDAExecutionProvider" not in providers_for("auto"):
            return  # the torch loop runs instead
    except Exception:
        return
    try:
        from engine.inference.backend import load_model
        from engine.model.export import export_cached

        export_cached(load_model(model), list(bands), window)
    except Exception:  # no exporter: the backend's own error comes from the timed step
        pass


def _cuda() -> bool:
    try:
        import torch

        return torch.cuda.is_available()
    except ImportError:
        return False


def run_per_tile(raster: str, model: str, bands: Sequence[str], window: int = 224, overlap: float = 0.25,
                 device: str = "cpu", limit: Optional[int] = None, output: Optional[str] = None,
                 threads: Optional[int] = None) -> dict:
    """Run the first `limit` tiles (all when None) one by one; returns counts, timings and windows/s.

    `threads`: onnxruntime intra-op threads (None: onnxruntime's default, one per core)."""
    from engine.inference.tiling import WindowGrid, pad_window
    from engine.raster.io import RasterSource
    from engine.raster.normalize import Normalizer, compute_stats

    t_export = time.perf_counter()
    _export_once(model, bands, window, device)  # a peer plugin loads a ready .onnx file: not timed
    export_s = time.perf_counter() - t_export
    t_setup = time.perf_counter()
    backend, name = _per_tile_backend(model, bands, window, device, threads)
    src = RasterSource(raster)
    normalize = Normalizer(compute_stats(src))
    grid = WindowGrid(src.width, src.height, window, overlap)
    windows = grid.windows()[:limit] if limit else grid.windows()
    n = grid.tokens_per_window
    folder = None
    if output is None:
        folder = tempfile.mkdtemp(prefix="smarties-baseline-")
        output = os.path.join(folder, "tiles.tif")
    out = gdal.GetDriverByName("GTiff").Create(output, grid.token_width, grid.token_height, backend.embed_dim,
                                               gdal.GDT_Float32, ["TILED=YES", "INTERLEAVE=BAND"])
    setup_s = time.perf_counter() - t_setup
    model_s = 0.0
    t0 = time.perf_counter()
    try:
        for x, y in windows:
            w, h = min(window, grid.width - x), min(window, grid.height - y)
            data, valid = src.read(x, y, w, h)
            data, valid = pad_window(data, valid, window)
            normalize(data, valid)
            t_model = time.perf_counter()
            tokens = np.asarray(backend.run(data[None]), np.float32)[0]
            model_s += time.perf_counter() - t_model
            r, c = y // grid.patch, x // grid.patch
            rows, cols = min(n, grid.token_height - r), min(n, grid.token_width - c)
            out.WriteRaster(c, r, cols, rows, np.ascontiguousarray(tokens[:, :rows, :cols]).tobytes(),
                            buf_type=gdal.GDT_Float32, band_list=list(range(1, backend.embed_dim + 1)))
        out.FlushCache()
        wall = time.perf_counter() - t0
    finally:
        out = None
        src.close()
        if folder:
            for f in os.listdir(folder):
                os.remove(os.path.join(folder, f))
            os.rmdir(folder)
    return {"baseline_backend": name, "baseline_device": str(getattr(backend, "device", device)),
            "baseline_windows": len(windows), "baseline_wall_s": wall, "baseline_model_s": model_s,
            "baseline_setup_s": setup_s, "baseline_threads": threads,
            "baseline_onnx_export_s": export_s, "baseline_windows_per_s": len(windows) / wall if wall else None,
            # with its setup (model, session, statistics; not the one-off ONNX export) as our
            # end-to-end figure has it
            "baseline_with_setup_windows_per_s": len(windows) / (wall + setup_s) if wall else None}
