"""Dask batch throughput: the same scenes with a LocalCluster of N worker processes, N = 1, 2, ...

    .venv/bin/python benchmarks/batch_throughput.py --scenes 6 --size 640 --workers 1 2 --json

Each run gets a fresh output folder (nothing skipped) and a fresh cluster; the figure excludes the
cluster's start-up (reported separately) but includes each worker's first model load.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from osgeo import gdal, osr  # noqa: E402


def make_scenes(folder: str, count: int, size: int) -> list[str]:
    """`count` size x size x 4 uint16 Sentinel-2-like GeoTIFFs (B02, B03, B04, B08)."""
    rng = np.random.default_rng(0)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    paths = []
    for i in range(count):
        coarse = rng.random((4, size // 32 + 1, size // 32 + 1))
        data = (500 + 4000 * np.kron(coarse, np.ones((32, 32)))[:, :size, :size]
                + rng.normal(0, 150, (4, size, size))).clip(1, 10000).astype(np.uint16)
        path = os.path.join(folder, f"scene{i:02d}.tif")
        ds = gdal.GetDriverByName("GTiff").Create(path, size, size, 4, gdal.GDT_UInt16, ["TILED=YES"])
        ds.SetGeoTransform((500000.0 + i * size * 10, 10.0, 0.0, 5100000.0, 0.0, -10.0))
        ds.SetProjection(srs.ExportToWkt())
        for b, name in enumerate(("B02", "B03", "B04", "B08")):
            ds.GetRasterBand(b + 1).SetDescription(name)
            ds.GetRasterBand(b + 1).WriteArray(data[b])
        ds = None
        paths.append(path)
    return paths


def main(argv=None) -> list[dict]:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scenes", type=int, default=6)
    p.add_argument("--size", type=int, default=640)
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    p.add_argument("--model", default="default")
    p.add_argument("--product", default="embeddings")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    from distributed import Client, LocalCluster

    from engine.batch import run_batch
    from engine.jobs import JobSpec, RasterInput

    folder = tempfile.mkdtemp(prefix="smarties-batch-bench-")
    os.environ.setdefault("SMARTIES_CACHE_DIR", os.path.join(folder, "cache"))
    scenes = make_scenes(folder, args.scenes, args.size)
    bands = ["sentinel2_l2a:B02", "sentinel2_l2a:B03", "sentinel2_l2a:B04", "sentinel2_l2a:B08"]
    template = JobSpec(product=args.product, inputs=[RasterInput(["x.tif"], bands)], output="x.tif",
                       model=args.model, device="cpu")
    results = []
    try:
        for n in args.workers:
            out = os.path.join(folder, f"out{n}")
            os.makedirs(out)
            t0 = time.perf_counter()
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=50)
            client = Client(cluster)
            start_s = time.perf_counter() - t0
            load = os.getloadavg()[0]
            t0 = time.perf_counter()
            report = run_batch(scenes, template, out, client=client)
            wall = time.perf_counter() - t0
            client.close()
            cluster.close()
            row = {"workers": n, "scenes": args.scenes, "size": args.size, "model": args.model,
                   "done": report["done"], "failed": report["failed"], "batch_s": wall,
                   "scenes_per_min": 60 * report["done"] / wall, "cluster_start_s": start_s,
                   "load_average_1min_before_after": [round(load, 2), round(os.getloadavg()[0], 2)],
                   "cpu_threads": os.cpu_count()}
            results.append(row)
            print(json.dumps(row) if args.json else
                  f"{n} worker(s): {report['done']} scenes in {wall:.1f} s = {row['scenes_per_min']:.1f} scenes/min "
                  f"(cluster start {start_s:.1f} s, load {row['load_average_1min_before_after']})", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


if __name__ == "__main__":
    main()
