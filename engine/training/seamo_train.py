"""SeaMo training: the progressive schedule (stage 1: one date, no TM block; stage 2: all dates with
the TM block, from stage 1), checkpoints in safe formats (safetensors + JSON) and resume.

`python -m engine.training seamo --config engine/training/configs/seamo.json [--set train.seed=1 ...]`
"""
from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import torch

from ..errors import EngineError
from ..model.vit import Architecture
from .seamo import SeaMoMAE, fusion_state
from .series_data import SeriesBatcher, SyntheticSeriesDataset

DEFAULTS: dict = {
    "model": {"embed_dim": 64, "depth": 2, "num_heads": 2, "patch_size": 16, "img_size": 64,
              "decoder_dim": 48, "decoder_depth": 1, "decoder_heads": 2, "tm_depth": 1, "tm_variant": "section"},
    "data": {"n_places": 160, "size": 96, "dates": 4, "sensors": ["sentinel2_l2a", "sentinel1_grd"], "seed": 0,
             "jitter": 20, "modalities": None, "cache": None},
    "train": {"crop": 64, "crop_scale": [0.5, 1.0], "aligned": False, "batch_size": 8, "mask_ratio": 0.75,
              "stage1_steps": 300, "stage2_steps": 2000, "lr": 1e-3, "min_lr": 0.0, "weight_decay": 0.05,
              "warmup_steps": 50, "seed": 0, "threads": 1, "checkpoint_every": 200, "log_every": 50,
              "time_limit_min": 0, "init_from": None, "stop_at_step": 0},
    "output": {"dir": "runs/seamo"},
}


def merge(base: dict, override: dict) -> dict:
    out = json.loads(json.dumps(base))
    for k, v in (override or {}).items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_config(path: Optional[str], sets: tuple = ()) -> dict:
    """DEFAULTS merged with a JSON file and `section.key=value` overrides (values parsed as JSON)."""
    cfg = merge(DEFAULTS, json.loads(Path(path).read_text()) if path else {})
    for item in sets:
        key, _, value = item.partition("=")
        section, _, name = key.partition(".")
        if section not in cfg or not name:
            raise EngineError(f"--set {item}: write section.key=value with a section of {', '.join(cfg)}.")
        try:
            cfg[section][name] = json.loads(value)
        except json.JSONDecodeError:
            cfg[section][name] = value
    return cfg


def build_model(cfg: dict) -> SeaMoMAE:
    m = cfg["model"]
    arch = Architecture(embed_dim=m["embed_dim"], depth=m["depth"], num_heads=m["num_heads"],
                        patch_size=m["patch_size"], img_size=m["img_size"])
    mods = cfg["data"].get("modalities")
    n_mod = len(mods) if mods else len(cfg["data"]["sensors"])
    return SeaMoMAE(arch, n_mod, m["decoder_dim"], m["decoder_depth"], m["decoder_heads"], m["tm_depth"],
                    m["tm_variant"])


def build_dataset(cfg: dict, log=None) -> SyntheticSeriesDataset:
    d = cfg["data"]
    return SyntheticSeriesDataset(d["n_places"], d["size"], d["dates"], d["sensors"], d["seed"], d["jitter"],
                                  progress=log, cache=d.get("cache"))


def lr_at(step: int, stage_steps: int, t: dict) -> float:
    """Linear warm-up then half-cosine to min_lr, per stage (as the paper's half-cycle cosine)."""
    if step < t["warmup_steps"]:
        return t["lr"] * (step + 1) / t["warmup_steps"]
    frac = min(1.0, (step - t["warmup_steps"]) / max(1, stage_steps - t["warmup_steps"]))
    return t["min_lr"] + (t["lr"] - t["min_lr"]) * 0.5 * (1 + math.cos(math.pi * frac))


def make_optimizer(model: torch.nn.Module, t: dict) -> torch.optim.Optimizer:
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            (no_decay if p.ndim < 2 or name.endswith(("token", "_embed")) else decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": t["weight_decay"]},
                              {"params": no_decay, "weight_decay": 0.0}], lr=t["lr"], betas=(0.9, 0.95))


# -- checkpoints (safetensors for tensors, JSON for the rest; never pickle) ----------------------------
def _flatten_optimizer(opt: torch.optim.Optimizer) -> tuple[dict, dict]:
    sd = opt.state_dict()
    tensors, scalars = {}, {}
    for pid, st in sd["state"].items():
        for k, v in st.items():
            if torch.is_tensor(v) and v.ndim > 0:
                tensors[f"opt.{pid}.{k}"] = v.contiguous()
            else:
                scalars[f"{pid}.{k}"] = float(v)
    return tensors, {"scalars": scalars, "param_groups": sd["param_groups"]}


def _restore_optimizer(opt: torch.optim.Optimizer, tensors: dict, meta: dict) -> None:
    state: dict = {}
    for key, v in tensors.items():
        if key.startswith("opt."):
            _, pid, k = key.split(".", 2)
            state.setdefault(int(pid), {})[k] = v
    for key, v in meta["scalars"].items():
        pid, k = key.split(".", 1)
        state.setdefault(int(pid), {})[k] = torch.tensor(v)
    opt.load_state_dict({"state": state, "param_groups": meta["param_groups"]})


def save_state(folder: Path, model: SeaMoMAE, opt, progress: dict, cfg: dict) -> None:
    """checkpoint.safetensors (weights + optimiser) and state.json, each written then renamed."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    opt_t, opt_meta = _flatten_optimizer(opt)
    tensors = {f"model.{k}": v.detach().contiguous() for k, v in model.state_dict().items()}
    tensors.update(opt_t)
    tmp = folder / "checkpoint.safetensors.partial"
    save_file(tensors, str(tmp))
    meta = {"progress": progress, "config": cfg, "optimizer": opt_meta}
    tmp_json = folder / "state.json.partial"
    tmp_json.write_text(json.dumps(meta, indent=1))
    os.replace(tmp, folder / "checkpoint.safetensors")
    os.replace(tmp_json, folder / "state.json")


def load_state(folder: Path) -> tuple[dict, dict]:
    from safetensors.torch import load_file

    try:
        return load_file(str(folder / "checkpoint.safetensors")), json.loads((folder / "state.json").read_text())
    except Exception as exc:  # noqa: BLE001 - any unreadable file: one message
        raise EngineError(f"Cannot resume from {folder}: {exc}. Delete the folder to start over.") from None


def load_model(folder: str | Path) -> tuple[SeaMoMAE, dict]:
    """The trained SeaMo model and its config from a run folder."""
    tensors, meta = load_state(Path(folder))
    model = build_model(meta["config"])
    model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    model.eval()
    return model, meta


def export(folder: str | Path, weights: str | Path) -> Path:
    """Encoder in the released layout (loads with load_encoder) + `<stem>.seamo.safetensors` (TM fusion)."""
    model, meta = load_model(folder)
    return save_seamo(model, meta["config"], weights)


def save_seamo(model: SeaMoMAE, cfg: dict, weights: str | Path) -> Path:
    """Write a SeaMo model as an engine model plus its fusion file; returns the weights path."""
    from safetensors.torch import save_file

    from ..model.checkpoint import save_encoder

    m = cfg["model"]
    card = {"id": Path(weights).stem, "recipe": "SeaMo (synthetic seasonal S2+S1 series)",
            "seamo": {"tm_depth": m["tm_depth"], "tm_variant": m["tm_variant"], "heads": m["num_heads"],
                      "sensors": cfg["data"].get("modalities") or cfg["data"]["sensors"]}}
    path = save_encoder(model.encoder, weights, card=card)
    tmp = fusion_path(path).with_name(fusion_path(path).name + ".partial")
    save_file({k: v.detach().contiguous() for k, v in fusion_state(model).items()}, str(tmp),
              metadata={"tm_depth": str(m["tm_depth"]), "tm_variant": m["tm_variant"], "heads": str(m["num_heads"]),
                        "embed_dim": str(m["embed_dim"])})
    os.replace(tmp, fusion_path(path))
    return path


def fusion_path(weights: str | Path) -> Path:
    p = Path(weights)
    return p.with_name(p.stem + ".seamo.safetensors")


# -- the loop ----------------------------------------------------------------------------------------
def train(cfg: dict, resume: bool = True, dataset=None, log: Optional[Callable[[str], None]] = None) -> dict:
    """Run (or resume) both stages; returns {stage1_loss, stage2_loss, steps, seconds, dir}."""
    log = log or (lambda s: print(s, flush=True))
    t = cfg["train"]
    torch.set_num_threads(int(t.get("threads") or 1))
    torch.manual_seed(t["seed"])
    folder = Path(cfg["output"]["dir"])
    model = build_model(cfg)
    opt = make_optimizer(model, t)
    prog = {"stage": 1, "step": 0, "history": [], "seconds": 0.0}
    if resume and (folder / "state.json").exists():
        tensors, meta = load_state(folder)
        model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
        _restore_optimizer(opt, tensors, meta["optimizer"])
        prog = meta["progress"]
        log(f"resumed {folder} at stage {prog['stage']} step {prog['step']}")
    elif t.get("init_from"):
        # Stage 2 from another run's stage 1 (runs that differ only in stage 2 share their stage 1).
        tensors, meta = load_state(Path(t["init_from"]))
        if meta["progress"]["stage"] < 2:
            raise EngineError(f"init_from {t['init_from']} has not finished stage 1; run it first.")
        model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
        prog = {"stage": 2, "step": 0, "history": list(meta["progress"]["history"]), "seconds": meta["progress"]["seconds"],
                "init_from": str(t["init_from"])}
        log(f"stage 2 from the stage-1 weights of {t['init_from']}")
    if prog["stage"] > 2:
        return {"dir": str(folder), **prog}
    dataset = dataset or build_dataset(cfg, log)
    mods = cfg["data"].get("modalities")
    mod_idx = [dataset.sensors.index(s) for s in mods] if mods else None
    batcher = SeriesBatcher(dataset, t["crop"], t["crop_scale"], t["aligned"],
                            seed=t["seed"] * 7919 + prog["stage"] * 131 + prog["step"], modalities=mod_idx)
    gen = torch.Generator().manual_seed(t["seed"] * 104729 + prog["step"] + 1000 * prog["stage"])
    start, limit = time.time(), float(t.get("time_limit_min") or 0) * 60
    base_seconds = prog["seconds"]
    while prog["stage"] <= 2:
        stage_steps = t["stage1_steps"] if prog["stage"] == 1 else t["stage2_steps"]
        recent = []
        stop = int(t.get("stop_at_step") or 0)
        if prog["stage"] == 2 and stop and prog["step"] >= stop:
            return {"dir": str(folder), "stopped": True, **prog}
        while prog["step"] < stage_steps:
            for g in opt.param_groups:
                g["lr"] = lr_at(prog["step"], stage_steps, t)
            series = batcher.sample(t["batch_size"], 1 if prog["stage"] == 1 else None)
            loss, details = model(series, batcher.mixes, t["mask_ratio"], fusion=prog["stage"] == 2, generator=gen)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            prog["step"] += 1
            recent.append(float(loss.detach()))
            if prog["step"] % t["log_every"] == 0 or prog["step"] == stage_steps:
                prog["history"].append({"stage": prog["stage"], "step": prog["step"], "loss": float(np.mean(recent)),
                                        "per_modality": details["per_modality"]})
                log(f"stage {prog['stage']} step {prog['step']}/{stage_steps} loss {np.mean(recent):.4f} "
                    f"({(time.time() - start):.0f}s)")
                recent = []
            prog["seconds"] = base_seconds + time.time() - start
            if prog["step"] % t["checkpoint_every"] == 0 or prog["step"] == stage_steps:
                save_state(folder, model, opt, prog, cfg)
            stop = int(t.get("stop_at_step") or 0)
            at_stop = prog["stage"] == 2 and stop and prog["step"] >= stop
            if (limit and time.time() - start > limit) or at_stop:
                # Stops without touching the schedule: runs compared at equal steps, resumed later.
                save_state(folder, model, opt, prog, cfg)
                log(f"{'stop step' if at_stop else 'time limit'} reached at stage {prog['stage']} step {prog['step']}; "
                    "run again to resume")
                return {"dir": str(folder), "stopped": True, **prog}
        # Stage 2 starts from stage 1's weights with a fresh optimiser and schedule.
        prog = {**prog, "stage": prog["stage"] + 1, "step": 0}
        opt = make_optimizer(model, t)
        save_state(folder, model, opt, prog, cfg)
    return {"dir": str(folder), **prog}
