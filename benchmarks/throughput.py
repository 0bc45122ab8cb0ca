"""Sliding-window throughput on a synthetic Sentinel-2 tile: end to end vs model only, peak memory.

    .venv/bin/python benchmarks/throughput.py                       # full 10980 x 10980 x 12 tile
    .venv/bin/python benchmarks/throughput.py --size 2048 --model random-small
    .venv/bin/python benchmarks/throughput.py --model smarties-v1-vitb --dtype bf16   # on CUDA
    .venv/bin/python benchmarks/throughput.py --size 2048 --model random-vitb --baseline --json

The tile is a VRT that repeats one generated 1024 x 1024 x 12 uint16 GeoTIFF over the whole
extent, so it is made in a second yet every window is a real GDAL read. The run is the engine's
own `compute_embeddings` (reading, normalisation, model, blending, GeoTIFF writing). "Model only"
is the time spent inside the model calls of the same run with the same model; `--model-loop N`
adds the rate of N batches run back to back on a batch already on the device (the model alone),
and `--baseline` the per-tile sequential runner of benchmarks/baseline.py on the same tile.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from osgeo import gdal  # noqa: E402

S2_BANDS = ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B11", "B12"]
TILE = 1024
RANDOM_MODELS = {  # random weights with a given shape, for when no trained file is at hand
    "random-tiny": dict(embed_dim=32, depth=1, num_heads=2),  # I/O-bound: checks memory at full size
    "random-small": dict(embed_dim=192, depth=4, num_heads=3),
    "random-vitb": dict(embed_dim=768, depth=12, num_heads=12),
    "random-vitl": dict(embed_dim=1024, depth=24, num_heads=16),
}


def make_tile(folder: str, size: int, bands: int, seed: int = 0) -> str:
    """A size x size x bands uint16 VRT made of one repeated 1024 x 1024 GeoTIFF (fast to create)."""
    rng = np.random.default_rng(seed)
    t = min(TILE, size)
    coarse = rng.random((bands, t // 32 + 1, t // 32 + 1))
    smooth = np.kron(coarse, np.ones((32, 32)))[:, :t, :t]  # field-like patches
    data = (500 + 4000 * smooth + rng.normal(0, 150, (bands, t, t))).clip(1, 10000).astype(np.uint16)
    base = os.path.join(folder, "tile.tif")
    ds = gdal.GetDriverByName("GTiff").Create(base, t, t, bands, gdal.GDT_UInt16, ["TILED=YES"])
    ds.SetGeoTransform((300000.0, 10.0, 0.0, 5000040.0, 0.0, -10.0))
    ds.SetProjection('PROJCS["WGS 84 / UTM zone 32N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
                     'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
                     'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",9],PARAMETER["scale_factor",0.9996],'
                     'PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AUTHORITY["EPSG","32632"]]')
    ds.WriteRaster(0, 0, t, t, data.tobytes())
    wkt = ds.GetProjection()
    ds = None
    parts = [f'<VRTDataset rasterXSize="{size}" rasterYSize="{size}">',
             f"<SRS>{wkt.replace('&', '&amp;').replace('<', '&lt;')}</SRS>",
             "<GeoTransform>300000.0, 10.0, 0.0, 5000040.0, 0.0, -10.0</GeoTransform>"]
    for b in range(1, bands + 1):
        parts.append(f'<VRTRasterBand dataType="UInt16" band="{b}"><Description>{S2_BANDS[(b - 1) % 12]}</Description>'
                     "<NoDataValue>0</NoDataValue>")
        for y in range(0, size, t):
            for x in range(0, size, t):
                w, h = min(t, size - x), min(t, size - y)
                parts.append(f'<SimpleSource><SourceFilename relativeToVRT="0">{base}</SourceFilename>'
                             f"<SourceBand>{b}</SourceBand><SrcRect xOff=\"0\" yOff=\"0\" xSize=\"{w}\" ySize=\"{h}\"/>"
                             f"<DstRect xOff=\"{x}\" yOff=\"{y}\" xSize=\"{w}\" ySize=\"{h}\"/></SimpleSource>")
        parts.append("</VRTRasterBand>")
    parts.append("</VRTDataset>")
    path = os.path.join(folder, "tile.vrt")
    Path(path).write_text("\n".join(parts))
    return path


def model_path(name: str, folder: str) -> str:
    """A registry id/path as given, or a random encoder of a named shape saved to `folder`."""
    if name not in RANDOM_MODELS:
        return name
    import torch

    from engine.model.checkpoint import save_encoder
    from engine.model.encoder import SpectralEncoder
    from engine.model.vit import Architecture

    torch.manual_seed(0)
    enc = SpectralEncoder(Architecture(**RANDOM_MODELS[name]))
    return str(save_encoder(enc, os.path.join(folder, f"{name}.safetensors"), card={"id": name}))


def machine_line() -> str:
    """CPU model and count, GPU name when there is one: which machine a row came from."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    line = f"{cpu} x {os.cpu_count()} threads"
    try:
        import torch

        if torch.cuda.is_available():
            line += ", " + ", ".join(torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count()))
        line += f", torch {torch.__version__}"
    except ImportError:
        pass
    return line


def model_loop(model: str, bands: list, window: int, batch: int, device: str, dtype: str, repeats: int,
               compile_mode=None) -> dict:
    """Windows/s of the model alone: `repeats` batches back to back on one batch already on the device."""
    import torch

    from engine.inference.backend import load_model
    from engine.model.backends import make_backend

    with compile_env(compile_mode):
        backend = make_backend(load_model(model), bands, window, backend="torch", device=device, dtype=dtype)
    x = torch.randn(batch, len(bands), window, window, device=backend.dev)
    backend.run_tensor(x)  # warm-up (kernel selection, lazy init)
    if backend.dev.type == "cuda":
        torch.cuda.synchronize(backend.dev)
    t0 = time.perf_counter()
    for _ in range(repeats):
        backend.run_tensor(x)
    if backend.dev.type == "cuda":
        torch.cuda.synchronize(backend.dev)
    dt = time.perf_counter() - t0
    return {"model_loop_windows_per_s": repeats * batch / dt, "model_loop_batches": repeats}


def one_run(job, dtype: str, args, threads, rep: int) -> dict:
    """One engine run over the tile (compute_embeddings); `threads` sets SMARTIES_TORCH_THREADS (None: as is)."""
    from engine.inference.cpu_threads import ENV
    from engine.products.embeddings import compute_embeddings

    saved = os.environ.get(ENV)
    if threads is not None:
        os.environ[ENV] = str(threads)
    try:
        if os.path.exists(job.output):
            os.remove(job.output)
        load_before = os.getloadavg()
        t0 = time.perf_counter()
        with compile_env(args.compile):
            info = compute_embeddings(job, 0, job.output, model_dtype=dtype, reader_threads=args.reader_threads,
                                      window_path=args.path)
        wall = time.perf_counter() - t0
        load_after = os.getloadavg()
    finally:
        if saved is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = saved
    run = info.run
    n = run["windows"]
    return {
        "repeat": rep, "threads_asked": threads, "cpu_threads_used": run.get("cpu_threads"),
        "cpu_threads_batches": run.get("cpu_threads_batches"),
        "embed_dim": info.embed_dim, "device": run.get("device"), "windows": n,
        "end_to_end_windows_per_s": n / wall,
        "model_only_windows_per_s": n / run["model_seconds"] if run["model_seconds"] else None,
        "ratio_end_to_end_over_model": run["model_seconds"] / wall,
        "ratio_runner_over_model": run["model_seconds"] / run["total_seconds"],
        "runner_windows_per_s": n / run["total_seconds"],
        "wall_s": wall, "setup_s": wall - run["total_seconds"], "model_s": run["model_seconds"],
        "reader_wait_s": run["wait_seconds"], "path": run.get("path"), "scale": run.get("scale", 1.0),
        "peak_device_memory_mib": run.get("peak_device_memory_mib"),
        "load_average_1min_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
    }


@contextlib.contextmanager
def compile_env(mode):
    """$SMARTIES_TORCH_COMPILE set to `mode` for our backends (None: left as it is)."""
    from engine.model.backends import COMPILE_ENV

    saved = os.environ.get(COMPILE_ENV)
    if mode is not None:
        os.environ[COMPILE_ENV] = mode
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(COMPILE_ENV, None)
        else:
            os.environ[COMPILE_ENV] = saved


def median_of(rows: list) -> dict:
    """Field-wise median of the float results (the first row's value for the rest)."""
    out = dict(rows[0])
    for key, value in rows[0].items():
        if isinstance(value, float):
            vals = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
            out[key] = float(np.median(vals)) if vals else value
    loads = [r["load_average_1min_before_after"] for r in rows if r.get("load_average_1min_before_after")]
    if loads:
        out["load_average_1min_before_after"] = [min(v[0] for v in loads), max(v[1] for v in loads)]
    out.pop("repeat", None)
    return out


def peak_rss_mib() -> float:
    """High-water mark of this process's resident memory (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def build_parser() -> argparse.ArgumentParser:
    """The command line (benchmarks/gpu_check.sh's flags are checked against it in the tests)."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size", type=int, default=10980, help="tile width/height in pixels (default %(default)s)")
    p.add_argument("--bands", type=int, default=12)
    p.add_argument("--model", default="default", help=f"registry id, path, or one of {', '.join(RANDOM_MODELS)}")
    p.add_argument("--window", type=int, default=224)
    p.add_argument("--overlap", type=float, default=0.25)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--device", default="auto")
    p.add_argument("--backend", default="torch", choices=["torch", "onnxruntime"])
    p.add_argument("--dtype", default="auto", help="CUDA compute precision: auto | float32 | bf16 | fp16")
    p.add_argument("--reader-threads", type=int, default=None)
    p.add_argument("--path", default="auto", choices=["auto", "host", "device"],
                   help="window path: host (numpy) or device (normalise/blend on the model's device)")
    p.add_argument("--baseline", action="store_true", help="also run the per-tile sequential baseline")
    p.add_argument("--baseline-limit", type=int, default=None,
                   help="baseline: only the first N windows (default: all)")
    p.add_argument("--model-loop", type=int, default=0, metavar="N",
                   help="also time N batches through the model alone, on a batch already on the device")
    p.add_argument("--scale", default=None,
                   help="model scale: auto (the model card's), native, or a factor such as 1.87 (JobSpec.scale)")
    p.add_argument("--repeat", type=int, default=1,
                   help="run ours (and the baseline) N times back to back in this process; medians reported")
    p.add_argument("--threads", type=int, nargs="+", default=None, metavar="N",
                   help="torch CPU threads for our run (SMARTIES_TORCH_THREADS; 0 = the engine chooses); "
                        "several values are each run in every repeat, e.g. --threads 0 2")
    p.add_argument("--baseline-threads", type=int, default=None,
                   help="onnxruntime intra-op threads of the baseline (default: onnxruntime's, all cores)")
    p.add_argument("--compile", nargs="?", const="1", default=None, metavar="MODE",
                   help="torch.compile our model (SMARTIES_TORCH_COMPILE): default mode, or e.g. reduce-overhead "
                        "(CUDA graphs); the compile time counts in end to end")
    p.add_argument("--keep", help="folder to keep the tile and output in (default: a temp folder)")
    p.add_argument("--json", action="store_true", help="print only the JSON result")
    return p


def main(argv=None) -> dict:
    args = build_parser().parse_args(argv)
    dtype = {"bf16": "bfloat16", "fp16": "float16", "fp32": "float32"}.get(args.dtype, args.dtype)
    gdal.SetCacheMax(256 * 1024 * 1024)  # GDAL's default (5 % of RAM) would dominate the memory figure

    from engine.jobs import JobSpec, RasterInput

    folder = args.keep or tempfile.mkdtemp(prefix="smarties-bench-")
    os.makedirs(folder, exist_ok=True)
    t0 = time.perf_counter()
    vrt = make_tile(folder, args.size, args.bands)
    make_s = time.perf_counter() - t0
    model = model_path(args.model, folder)
    bands = [f"sentinel2_l2a:{S2_BANDS[i % 12]}" for i in range(args.bands)]
    job = JobSpec(product="embeddings", inputs=[RasterInput([vrt], bands)], output=os.path.join(folder, "emb.tif"),
                  model=model, window=args.window, overlap=args.overlap, batch_size=args.batch_size,
                  device=args.device, backend=args.backend, normalization="percentiles",
                  **({"scale": args.scale} if args.scale is not None else {}))
    job.validate()
    try:
        import torch  # noqa: F401  (interpreter start-up cost, not part of a job)
    except ImportError:
        pass
    rss_before = peak_rss_mib()
    settings = args.threads or [None]
    runs, bases = [], []
    for rep in range(max(1, args.repeat)):  # ours (each thread setting), then the baseline: same process
        for threads in settings:
            runs.append(one_run(job, dtype, args, threads, rep))
        if args.baseline:
            from baseline import run_per_tile

            bases.append(run_per_tile(vrt, model, bands, args.window, args.overlap, args.device,
                                      args.baseline_limit, threads=args.baseline_threads))
            bases[-1]["repeat"] = rep
    first = [r for r in runs if r["threads_asked"] == settings[0]]
    result = {"size": args.size, "bands": args.bands, "model": args.model, "window": args.window,
              "overlap": args.overlap, "batch_size": args.batch_size, "dtype": dtype,
              "repeats": max(1, args.repeat), "compile": args.compile, **median_of(first)}
    result.update({"peak_rss_mib": peak_rss_mib(), "rss_before_run_mib": rss_before, "tile_made_in_s": make_s,
                   "cpu_threads": os.cpu_count(), "machine": machine_line()})
    if len(settings) > 1:
        result["by_threads"] = {str(t if t is not None else "auto"): median_of([r for r in runs if r["threads_asked"] == t])
                                for t in settings}
    if args.repeat > 1 or len(settings) > 1:
        result["runs"] = runs
    if args.model_loop:
        result.update(model_loop(model, bands, args.window, args.batch_size, args.device, dtype, args.model_loop,
                                 args.compile))
    if bases:
        result.update(median_of(bases))
        if len(bases) > 1:
            result["baseline_runs"] = bases
        base = result["baseline_windows_per_s"]
        # ratios per repeat (ours and the baseline measured back to back), then their median
        pair = [(r, b) for r in first for b in bases if b["repeat"] == r["repeat"]]
        # end to end (setup included) against the baseline with its setup when it ran every window;
        # with --baseline-limit against its loop alone (its setup is not spread over the same windows)
        e2e_base = "baseline_with_setup_windows_per_s" if args.baseline_limit is None else "baseline_windows_per_s"
        result["baseline_end_to_end_field"] = e2e_base
        result["ratio_end_to_end_over_baseline"] = float(np.median(
            [r["end_to_end_windows_per_s"] / b[e2e_base] for r, b in pair])) if base else None
        result["ratio_runner_over_baseline"] = float(np.median(
            [r["runner_windows_per_s"] / b["baseline_windows_per_s"] for r, b in pair])) if base else None
        for key, sub in result.get("by_threads", {}).items():
            sub["ratio_end_to_end_over_baseline"] = float(np.median(
                [r["end_to_end_windows_per_s"] / b[e2e_base] for r in runs for b in bases
                 if str(r["threads_asked"] if r["threads_asked"] is not None else "auto") == key
                 and b["repeat"] == r["repeat"]]))
    n = result["windows"]
    wall = result["wall_s"]
    if not args.keep:
        for f in os.listdir(folder):
            os.remove(os.path.join(folder, f))
        os.rmdir(folder)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"tile {args.size}x{args.size}x{args.bands} uint16, model {args.model} (D={result['embed_dim']}), "
              f"window {args.window}, overlap {args.overlap}, batch {args.batch_size}, device {result['device']}")
        print(f"windows                 {n}")
        print(f"end to end              {result['end_to_end_windows_per_s']:.2f} windows/s ({wall:.1f} s)")
        if result["model_only_windows_per_s"]:
            print(f"model only (same run)   {result['model_only_windows_per_s']:.2f} windows/s ({result['model_s']:.1f} s)")
        print(f"runner loop only        {result['runner_windows_per_s']:.2f} windows/s "
              f"({result['ratio_runner_over_model'] * 100:.1f} % of model only)")
        print(f"end to end / model only {result['ratio_end_to_end_over_model'] * 100:.1f} %  "
              f"(setup: model load, statistics, baking {result['setup_s']:.1f} s; model waited on reads "
              f"{result['reader_wait_s']:.1f} s)")
        print(f"peak memory (RSS)       {result['peak_rss_mib']:.0f} MiB (before the run {rss_before:.0f} MiB)")
        if result["peak_device_memory_mib"]:
            print(f"peak device memory      {result['peak_device_memory_mib']:.0f} MiB")
        if "model_loop_windows_per_s" in result:
            print(f"model alone (loop)      {result['model_loop_windows_per_s']:.2f} windows/s")
        if "baseline_windows_per_s" in result:
            print(f"per-tile baseline       {result['baseline_windows_per_s']:.2f} windows/s loop, "
                  f"{result['baseline_with_setup_windows_per_s']:.2f} with its setup "
                  f"({result['baseline_backend']}, {result['baseline_windows']} windows); end to end is "
                  f"{result['ratio_end_to_end_over_baseline']:.2f}x, runner loop "
                  f"{result['ratio_runner_over_baseline']:.2f}x")
        for key, sub in result.get("by_threads", {}).items():
            print(f"  torch threads {key:>4}: end to end {sub['end_to_end_windows_per_s']:.2f} windows/s, "
                  f"model only {sub['model_only_windows_per_s']:.2f}, ratio {sub['ratio_end_to_end_over_model'] * 100:.1f} %"
                  + (f", {sub['ratio_end_to_end_over_baseline']:.2f}x baseline" if 'ratio_end_to_end_over_baseline' in sub else ""))
        print(f"window path {result['path']}; torch CPU threads {result.get('cpu_threads_used')}; "
              f"load average (1 min) before/after {result['load_average_1min_before_after']}"
              + (f"; medians of {result['repeats']} repeats" if result['repeats'] > 1 else ""))
        print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
