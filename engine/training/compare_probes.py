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
            name = (cmp.get("probe") or {}).get("checkpoint", "checkpoint.pt")  # e.g. a copy kept at a step
            out[r["recipe"]] = load_checkpoint(str(Path(r["dir"]) / name)).eval()
    for row, recipe in RANDOM_ROWS.items():
        if recipe in cmp["recipes"]:
            torch.manual_seed(10_000 + seed)
            out[row] = build_recipe_model(run_config(cmp, recipe, seed)).eval()
    return out


def _real_section(encoders: dict, normalization: dict, log) -> dict:
    """{row: {metric: value}} from the real-data probes, or {"_skipped": why}."""
    try:
        from .realprobe import Featurizer, run_real_probes, shared_dir
    except ImportError as exc:
        return {"_skipped": f"real-data probes not available ({exc})"}
    shared = shared_dir()
    if not (shared / "realdata").is_dir() or not (shared / "realdata_train").is_dir():
        return {"_skipped": f"no real data under {shared}"}
    fz = [Featurizer(name, enc) for name, enc in encoders.items()] + [Featurizer("raw_bands"), Featurizer("band_means")]
    report = run_real_probes(fz, shared, normalization, False, log, model=next(iter(encoders)))
    out: dict = {}
    for sec in ("bigearthnet", "slovenia"):
        for key, cell in (report.get(sec) or {}).items():
            if not isinstance(cell, dict) or key.startswith(("margins", "_")):
                continue
            for name, v in cell.items():
                if isinstance(v, dict) and "value" in v and "+" not in name:  # not the raw+embedding combinations
                    out.setdefault(name, {})[f"{sec}: {key}"] = float(v["value"])
    return out


def probe_runs(cmp: dict, runs: list[dict], log: Callable[[str], None] = print, seeds=None) -> dict:
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

    for seed in [s for s in cmp["seeds"] if not seeds or s in seeds]:
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
            norm_file = next((Path(r["dir"]) / "normalization.json" for r in runs
                              if (Path(r["dir"]) / "normalization.json").is_file()), None)
            try:
                real = _real_section(encoders, json.loads(norm_file.read_text()) if norm_file else {}, lambda s: None)
            except Exception as exc:  # the synthetic table must survive a failure of the real-data part
                real = {"_skipped": f"real-data probes failed: {type(exc).__name__}: {exc}"}
            if "_skipped" in real:
                rows.setdefault("_notes", {})["real"] = real["_skipped"]
            else:
                for name, metrics in real.items():
                    if name in ("raw_bands", "band_means") and seed != cmp["seeds"][0]:
                        continue
                    for metric, v in metrics.items():
                        put(name, metric, v)
            log(json.dumps({"event": "probed_real", "seed": seed, "seconds": round(time.time() - t1, 1)}))
    return {"rows": rows, "seeds": [s for s in cmp["seeds"] if not seeds or s in seeds], "scenes": n_scenes, "scene_size": size, "window": window,
            "runs": runs, "probe_seconds": round(time.time() - t0, 1)}


def merge_reports(reports: list[dict]) -> dict:
    """One report from per-seed reports (values appended in the order given)."""
    out = {k: v for k, v in reports[0].items() if k not in ("rows", "seeds", "runs", "probe_seconds")}
    out.update({"rows": {}, "seeds": [], "runs": [], "probe_seconds": 0.0})
    for rep in reports:
        out["seeds"] += rep["seeds"]
        out["runs"] += rep["runs"]
        out["probe_seconds"] += rep.get("probe_seconds", 0.0)
        for row, metrics in rep["rows"].items():
            for metric, values in metrics.items():
                if row.startswith("_"):
                    out["rows"].setdefault(row, {})[metric] = values
                else:
                    out["rows"].setdefault(row, {}).setdefault(metric, []).extend(values)
    return out


def _cell(values: list) -> str:
    if not values:
        return ""
    m = float(np.mean(values))
    if len(values) == 1:
        return f"{m:.3f}"
    return f"{m:.3f} ± {(max(values) - min(values)) / 2:.3f}"


CLAIMS = (
    ("AuxMAE beats the Sentinel-2-only MAE with a frozen encoder (paper, BigEarthNet frozen: 76.05 -> 78.99)",
     "auxmae", "s2_mae", ("s2 knn", "s2 linear", "bigearthnet: sentinel2")),
    ("MixMAE beats the Sentinel-2-only MAE with a frozen encoder (paper: 76.05 -> 79.11)",
     "mixmae", "s2_mae", ("s2 knn", "s2 linear", "bigearthnet: sentinel2")),
    ("Optical-only channel-separated pretraining beats scratch on radar after fine-tuning (paper: 71.02 vs 68.47)",
     "channel_mae", "random_init (channel-separated)", ("s1 fine-tune full", "s1 fine-tune entry")),
    ("... but not with a frozen encoder (paper: frozen 56.58)",
     "channel_mae", "random_init (channel-separated)", ("s1 fine-tune frozen", "s1 knn", "s1 linear",
                                                       "bigearthnet: sentinel1")),
)


def verdict(a: list, b: list) -> str:
    """Direction of mean(a) - mean(b), and whether the seed ranges overlap."""
    d = float(np.mean(a)) - float(np.mean(b))
    if len(a) < 2 or len(b) < 2:
        return f"{'higher' if d > 0 else 'lower'} by {abs(d):.3f} (one seed: no spread)"
    apart = min(a) > max(b) or max(a) < min(b)
    return f"{'higher' if d > 0 else 'lower'} by {abs(d):.3f} ({'seed ranges apart' if apart else 'within the seed ranges'})"


def claims_text(report: dict) -> str:
    """Each paper claim next to what the table shows, metric by metric."""
    rows = report["rows"]
    lines = []
    for text, a, b, prefixes in CLAIMS:
        if a not in rows or b not in rows:
            continue
        lines.append(f"- {text}: {a} vs {b}:")
        for metric in rows[a]:
            if metric.startswith(prefixes) and rows[b].get(metric):
                lines.append(f"  - {metric}: {verdict(rows[a][metric], rows[b][metric])}")
    return "\n".join(lines) + "\n"


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
    steps = sorted({r.get("steps") for r in report.get("runs", [])} - {None})
    kept = report.get("probe_checkpoint", "checkpoint.pt")
    if kept != "checkpoint.pt":
        text += f"\nEvery run was probed at its checkpoint copy {kept}.\n"
    elif steps:
        text += f"\nTraining steps reached by the runs: {', '.join(str(x) for x in steps)}.\n"
    text += "\nClaims (direction of the mean over seeds; 'apart' when the two seed ranges do not overlap):\n" + claims_text(report)
    Path(path).write_text(text)
    return str(path)
