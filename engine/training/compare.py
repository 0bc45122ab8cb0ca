"""One command for the recipe comparison table: train every recipe x seed at the same budget
(steps x batch) on the same data, probe every encoder with the same probes, write the table.

    python -m engine.training compare --config engine/training/configs/compare_recipes.json

Finished runs are reused (their summary.json says they reached train.steps), unfinished ones
resume from their checkpoint, so the command can be stopped and run again. The report goes to
<output.dir>/compare.json and compare.md (the table of docs/training_recipes.md).
"""
from __future__ import annotations

import json
import time
from copy import deepcopy
from pathlib import Path
from typing import Callable, Optional

from ..errors import EngineError
from .pretrain import DEFAULT_CONFIG, dataset_from_config, merge_config, pretrain

# What a comparison config holds besides the base training config.
COMPARE_KEYS = ("recipes", "seeds", "base", "probe")


def load_compare_config(path: str) -> dict:
    """The comparison config: {"base": a pretraining config, "recipes": {name: overrides},
    "seeds": [...], "probe": {...}, "output": {"dir"}}."""
    try:
        cmp = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise EngineError(f"Cannot read the comparison config {path}: {exc}") from exc
    for key in ("base", "recipes", "seeds"):
        if key not in cmp:
            raise EngineError(f"comparison config {path} lacks '{key}' (see engine/training/configs/compare_recipes.json).")
    return cmp


def run_config(cmp: dict, recipe: str, seed: int) -> dict:
    """The full pretraining config of one (recipe, seed) run of a comparison."""
    cfg = merge_config(DEFAULT_CONFIG, cmp["base"])
    over = deepcopy(cmp["recipes"][recipe] or {})
    over.setdefault("train", {})
    over["train"]["seed"] = int(seed)
    over["train"].setdefault("recipe", recipe.split("@")[0])
    cfg = merge_config(cfg, over)
    root = Path(cmp.get("output", {}).get("dir", "runs/compare"))
    cfg["output"] = {**cfg["output"], "dir": str(root / f"{recipe}-s{seed}")}
    return cfg


def finished(cfg: dict) -> bool:
    """True when the run's summary says it reached its steps."""
    path = Path(cfg["output"]["dir"]) / "summary.json"
    if not path.is_file():
        return False
    try:
        return int(json.loads(path.read_text()).get("steps", 0)) >= int(cfg["train"]["steps"])
    except (OSError, ValueError):
        return False


def _claim(run_dir: Path) -> bool:
    """Mark a run as being trained by this process (two compare processes can share the work,
    e.g. one per seed); False when a live process already holds it."""
    import os

    run_dir.mkdir(parents=True, exist_ok=True)
    mark = run_dir / ".training.pid"
    if mark.is_file():
        try:
            os.kill(int(mark.read_text().strip()), 0)
            return False
        except (ValueError, ProcessLookupError, PermissionError):
            pass  # a stale mark of a process that is gone
    mark.write_text(str(os.getpid()))
    return True


def train_all(cmp: dict, log: Callable[[str], None] = print, only: Optional[list] = None,
              seeds: Optional[list] = None) -> list[dict]:
    """Train (or reuse) every (recipe, seed) run in turns of `turn_steps` (each run pauses at the
    end of a turn with its schedule unchanged), so all recipes advance together and a stopped
    comparison leaves every run at about the same step; one dataset is shared by all runs."""
    dataset = None
    plan = [(recipe, seed) for seed in cmp["seeds"] for recipe in cmp["recipes"]
            if (not seeds or seed in seeds) and (not only or recipe in only)]
    total = int(merge_config(DEFAULT_CONFIG, cmp["base"])["train"]["steps"])
    turn = int(cmp.get("turn_steps") or total)
    for stop in list(range(turn, total, turn)) + [total]:
        for recipe, seed in plan:
            cfg = run_config(cmp, recipe, seed)
            if finished(cfg) or _reached(cfg, stop):
                continue
            if not _claim(Path(cfg["output"]["dir"])):
                log(json.dumps({"event": "busy", "run": cfg["output"]["dir"], "why": "another process trains it"}))
                continue
            if dataset is None:
                t0 = time.time()
                dataset = dataset_from_config(cfg)
                log(json.dumps({"event": "data", "items": len(dataset), "seconds": round(time.time() - t0, 1)}))
            log(json.dumps({"event": "train", "recipe": recipe, "seed": seed, "until": stop}))
            cfg["train"]["stop_at_step"] = stop if stop < total else None
            try:
                pretrain(cfg, resume=True, dataset=dataset, log=lambda s, r=recipe, sd=seed: log(f"[{r} s{sd}] {s}"))
            finally:
                (Path(cfg["output"]["dir"]) / ".training.pid").unlink(missing_ok=True)
    return run_list(cmp, plan)


def _reached(cfg: dict, step: int) -> bool:
    path = Path(cfg["output"]["dir"]) / "summary.json"
    try:
        return int(json.loads(path.read_text()).get("steps", 0)) >= step
    except (OSError, ValueError):
        return False


def run_list(cmp: dict, plan: Optional[list] = None) -> list[dict]:
    """The runs of a comparison that have a checkpoint, with the step each reached."""
    plan = plan or [(r, s) for s in cmp["seeds"] for r in cmp["recipes"]]
    out = []
    for recipe, seed in plan:
        cfg = run_config(cmp, recipe, seed)
        path = Path(cfg["output"]["dir"]) / "summary.json"
        if not path.is_file():
            continue
        summary = json.loads(path.read_text())
        out.append({"recipe": recipe, "seed": seed, "dir": cfg["output"]["dir"], "steps": summary.get("steps"),
                    "train_seconds": summary.get("train_seconds")})
    return out

def compare(config_path: str, train_only: bool = False, only: Optional[list] = None, seeds: Optional[list] = None,
            probe_only: bool = False, merge_seeds: bool = False,
            log: Callable[[str], None] = lambda s: print(s, flush=True)) -> str:
    """Train (or reuse) all runs, then probe them and write compare.json / compare.md; returns
    the path of the table (or the run list with train_only). With `seeds`, only those seeds are
    probed, into compare_s<seeds>.json (one process per seed); merge_seeds joins those files."""
    cmp = load_compare_config(config_path)
    root = Path(cmp.get("output", {}).get("dir", "runs/compare"))
    from .compare_probes import merge_reports, probe_runs, write_table

    if merge_seeds:
        report = merge_reports([json.loads((root / f"compare_s{s}.json").read_text()) for s in cmp["seeds"]])
    else:
        runs = run_list(cmp) if probe_only else train_all(cmp, log, only, seeds)
        if train_only:
            return json.dumps(runs)
        report = probe_runs(cmp, [r for r in runs if not seeds or r["seed"] in seeds], log, seeds)
        if seeds and sorted(seeds) != sorted(cmp["seeds"]):
            path = root / f"compare_s{'-'.join(str(s) for s in seeds)}.json"
            path.write_text(json.dumps(report, indent=1))
            return str(path)
    root.mkdir(parents=True, exist_ok=True)
    report["probe_checkpoint"] = (cmp.get("probe") or {}).get("checkpoint", "checkpoint.pt")
    (root / "compare.json").write_text(json.dumps(report, indent=1))
    return write_table(report, root / "compare.md")
