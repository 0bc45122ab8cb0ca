"""Model-only windows/s on CPU for the settings the CPU path can choose, interleaved in one process.

    .venv/bin/python benchmarks/cpu_model.py --model default --batches 4
    .venv/bin/python benchmarks/cpu_model.py --model random-vitb --batches 1 --compile --bf16

Every variant runs the same random batch [B, 12, 224, 224] through the same baked encoder; the
variants take turns, `--rounds` times, and the median of each is reported (on a machine shared
with other jobs, the turns keep the comparison fair where absolute rates drift). Variants: torch
with 1 and 2 threads, channels-last input or not, onnxruntime with batch B and batch 1, and on
request torch.compile (its compile time printed) and bfloat16 autocast, both with the thread
count a run would choose now (engine.inference.cpu_threads), (its largest difference
from float32 printed: a speed option, not the default).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="default")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--batches", type=int, default=4, help="batches per timed turn")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--compile", action="store_true", help="also torch.compile (default mode)")
    p.add_argument("--bf16", action="store_true", help="also bfloat16 autocast on CPU")
    p.add_argument("--no-onnx", action="store_true")
    args = p.parse_args(argv)

    import torch

    from engine.inference.backend import load_model
    from engine.model.backends import make_backend
    from throughput import S2_BANDS, machine_line, model_path

    folder = tempfile.mkdtemp(prefix="smarties-cpu-model-")
    bands = [f"sentinel2_l2a:{b}" for b in S2_BANDS]
    encoder = load_model(model_path(args.model, folder))
    tb = make_backend(encoder, bands, 224, backend="torch", device="cpu")
    x = np.random.default_rng(0).standard_normal((args.batch_size, 12, 224, 224)).astype(np.float32)
    xt = torch.from_numpy(x)
    cores = torch.get_num_threads()
    from engine.inference.cpu_threads import choose_threads

    team = choose_threads(cores)  # what a run would use now (1 when other jobs hold the cores)

    def torch_variant(threads: int, channels_last: bool):
        def run(arr):
            torch.set_num_threads(threads)
            tb._channels_last = channels_last
            return tb.run(arr)
        return run

    variants = {f"torch {t} thr{' channels-last' if cl else ''}": torch_variant(t, cl)
                for t in sorted({1, cores}) for cl in (False, True)}
    notes = {}
    if not args.no_onnx:
        ob = make_backend(encoder, bands, 224, backend="onnxruntime", device="cpu", cache_dir=folder)
        variants[f"onnxruntime batch {args.batch_size}"] = ob.run
        variants["onnxruntime batch 1"] = lambda arr: np.concatenate([ob.run(arr[i:i + 1]) for i in range(len(arr))])
    ref = torch_variant(cores, False)(x)
    if args.compile:
        t0 = time.perf_counter()
        compiled = torch.compile(tb.baked, dynamic=False)
        with torch.inference_mode():
            compiled(xt.contiguous(memory_format=torch.channels_last))
        notes["compile_seconds"] = time.perf_counter() - t0

        def run_compiled(arr):
            torch.set_num_threads(team)
            with torch.inference_mode():
                return compiled(torch.from_numpy(arr).contiguous(memory_format=torch.channels_last))[1].numpy()
        variants[f"torch.compile {team} thr"] = run_compiled
    if args.bf16:
        def run_bf16(arr):
            torch.set_num_threads(team)
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
                return tb.baked(torch.from_numpy(arr))[1].float().numpy()
        notes["bf16_max_abs_diff"] = float(np.abs(run_bf16(x) - ref).max())
        notes["float32_mean_abs"] = float(np.abs(ref).mean())
        variants[f"torch bf16 autocast {team} thr"] = run_bf16
    rates: dict = {k: [] for k in variants}
    loads = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        for name, fn in variants.items():
            fn(x)  # warm-up of this turn
            t0 = time.perf_counter()
            for _ in range(args.batches):
                fn(x)
            rates[name].append(args.batches * args.batch_size / (time.perf_counter() - t0))
            loads.append(os.getloadavg()[0])
    torch.set_num_threads(cores)
    result = {"model": args.model, "batch_size": args.batch_size, "rounds": args.rounds,
              "windows_per_s": {k: float(np.median(v)) for k, v in rates.items()},
              "load_average_1min": [min(loads), max(loads)], "machine": machine_line(), "chosen_threads": team,
              **notes}
    for name, rate in result["windows_per_s"].items():
        print(f"{name:<28} {rate:8.2f} windows/s")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
