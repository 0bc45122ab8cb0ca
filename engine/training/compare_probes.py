"""Probes of the recipe comparison and its table: every trained run and a random encoder of each
architecture per seed, on the same held-out synthetic scenes (S2 kNN/linear, S1 -> S1, S2 -> S1,
S1 prediction, S1 fine-tuning) and, when the real-data probes (engine.training.realprobe) and
../shared are available, on real BigEarthNet patches and the Slovenia land cover."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from .probe import band_mean_features, encoder_features
from .probe_recipes import SyntheticProbeSet, classification_tasks, finetune_tasks, s1_prediction_skill

RANDOM_ROWS = {"random_init (ViT)": "smarties", "random_init (channel-separated)": "channel_mae"}


def _encoders(cmp: dict, runs: list[dict], seed: int) -> dict:
    """{row name: encoder} of one seed: trained runs and random encoders of both architectures."""
    from ..model.checkpoint import load_checkpoint
    from .compare import run_config
    from .recipes import build_recipe_model

    out = {}
    for r in runs:
        if r["seed"] == seed:
            out[r["recipe"]] = load_checkpoint(str(Path(r["dir"]) / "checkpoint.pt")).eval()
    for row, recipe in RANDOM_ROWS.items():
        if recipe in cmp["recipes"]:
            torch.manual_seed(10_000 + seed)
            out[row] = build_recipe_model(run_config(cmp, recipe, seed)).eval()
    return out


def _real_section(encoders: dict, log) -> dict:
    """{row: {metric: value}} from the real-data probes, or {"_skipped": why}."""
    try:
        from .realprobe import Featurizer, run_real_probes, shared_dir
    except ImportError as exc:
        return {"_skipped": f"real-data probes not available ({exc})"}
    shared = shared_dir()
    if not (shared / "realdata").is_dir() or not (shared / "realdata_train").is_dir():
        return {"_skipped": f"no real data under {shared}"}
    from .datasets import synthetic_normalization

    fz = [Featurizer(name, enc) for name, enc in encoders.items()] + [Featurizer("raw_bands"), Featurizer("band_means")]
    report = run_real_probes(fz, shared, synthetic_normalization(("sentinel2_l2a", "sentinel2_l1c", "sentinel1_grd")),
                             False, log, model=next(iter(encoders)))
    out: dict = {}
    for sec in ("bigearthnet", "slovenia"):
        for key, cell in (report.get(sec) or {}).items():
            if not isinstance(cell, dict) or key.startswith(("margins", "_")):
                continue
            for name, v in cell.items():
                if isinstance(v, dict) and "value" in v:
                    out.setdefault(name, {})[f"{sec}: {key}"] = float(v["value"])
    return out


def probe_runs(cmp: dict, runs: list[dict], log: Callable[[str], None] = print) -> dict:
    """Every probe for every row and seed: {"rows": {row: {metric: [value per seed]}}, ...}."""
    pcfg = {"scenes": 72, "scene_size": 256, "window": 64, "finetune_steps": 200, "real": True, **(cmp.get("probe") or {})}
    base_eval = cmp["base"].get("eval", {})
    n_scenes = int(base_eval.get("scenes", pcfg["scenes"]))
    size = int(base_eval.get("scene_size", pcfg["scene_size"]))
    window = int(base_eval.get("window", pcfg["window"]))
    t0 = time.time()
    data = SyntheticProbeSet(n_scenes, size)
    log(json.dumps({"event": "probe_scenes", "scenes": n_scenes, "seconds": round(time.time() - t0, 1)}))
    rows: dict = {}

    def put(row, metric, value):
        rows.setdefault(row, {}).setdefault(metric, []).append(round(float(value), 4))

    for seed in cmp["seeds"]:
        encoders = _encoders(cmp, runs, seed)
        feature_fns = {name: encoder_features(enc, window) for name, enc in encoders.items()}
        if seed == cmp["seeds"][0]:
            feature_fns["band_means"] = band_mean_features()
        for name, fn in feature_fns.items():
            t1 = time.time()
            for task, res in classification_tasks(fn, data).items():
                for probe, v in res.items():
                    put(name, f"{task} {probe}", v)
            sk = s1_prediction_skill(fn, data)
            put(name, "s1 prediction skill", sk["skill"])
            put(name, "s1 prediction skill (patch means)", sk["mean_skill"])
            if name in encoders:
                for mode, acc in finetune_tasks(encoders[name], data, steps=int(pcfg["finetune_steps"]), seed=seed,
                                                 window=window).items():
                    put(name, f"s1 fine-tune {mode}", acc)
            log(json.dumps({"event": "probed", "row": name, "seed": seed, "seconds": round(time.time() - t1, 1)}))
        if pcfg.get("real"):
            t1 = time.time()
            real = _real_section(encoders, lambda s: None)
            if "_skipped" in real:
                rows.setdefault("_notes", {})["real"] = real["_skipped"]
            else:
                for name, metrics in real.items():
                    if name in ("raw_bands", "band_means") and seed != cmp["seeds"][0]:
                        continue
                    for metric, v in metrics.items():
                        put(name, metric, v)
            log(json.dumps({"event": "probed_real", "seed": seed, "seconds": round(time.time() - t1, 1)}))
    return {"rows": rows, "seeds": cmp["seeds"], "scenes": n_scenes, "scene_size": size, "window": window,
            "runs": runs, "probe_seconds": round(time.time() - t0, 1)}


def _cell(values: list) -> str:
    if not values:
        return ""
    m = float(np.mean(values))
    if len(values) == 1:
        return f"{m:.3f}"
    return f"{m:.3f} ± {(max(values) - min(values)) / 2:.3f}"


def write_table(report: dict, path: Path) -> str:
    """Markdown table (rows: recipes and baselines; cells: mean ± half the range over seeds)."""
    rows = {k: v for k, v in report["rows"].items() if not k.startswith("_")}
    metrics = []
    for v in rows.values():
        metrics += [m for m in v if m not in metrics]
    lines = ["| metric | " + " | ".join(rows) + " |", "|---|" + "---|" * len(rows)]
    for m in metrics:
        lines.append(f"| {m} | " + " | ".join(_cell(rows[r].get(m, [])) for r in rows) + " |")
    notes = report["rows"].get("_notes", {})
    text = "\n".join(lines) + "\n"
    if notes:
        text += "\n" + "\n".join(f"- {k}: {v}" for k, v in notes.items()) + "\n"
    Path(path).write_text(text)
    return str(path)
