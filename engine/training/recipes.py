"""Pretraining recipes other than SMARTIES, on the same data, batches, schedule and checkpoints:

    auxmae       Sentinel-2 MAE + auxiliary Sentinel-1 prediction, alternating tasks (auxmae.py)
    s2_mae       the same model with the auxiliary task off: a plain Sentinel-2-only MAE
    mixmae       complementary token mixing of the pair, two decoders (mixmae.py)
    channel_mae  channel-separated encoder, band-token masking, optical only (channel_mae.py)

Selected by train.recipe in a config of `python -m engine.training pretrain` ("smarties", the
default, runs pretrain.pretrain's own loop). Step budget = train.steps x train.batch_size for all.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import torch

from ..errors import EngineError
from .pretrain import (PairBatcher, _atomic_torch_save, dataset_from_config, load_training_state, lr_at,
                       make_optimizer)

RECIPES = ("smarties", "s2_mae", "auxmae", "mixmae", "channel_mae")
NEEDS_PAIRS = ("mixmae",)


def recipe_of(cfg: dict) -> str:
    """The configured recipe, checked."""
    name = str(cfg["train"].get("recipe", "smarties"))
    if name not in RECIPES:
        raise EngineError(f"train.recipe '{name}' is not a recipe; use one of {', '.join(RECIPES)}.")
    return name


def build_recipe_model(cfg: dict) -> torch.nn.Module:
    """The training model of cfg's recipe (encoder + its decoders), freshly initialised."""
    from ..model.vit import Architecture
    from .pretrain import model_from_config

    name = recipe_of(cfg)
    m = cfg["model"]
    dec = (m["decoder_dim"], m["decoder_depth"], m["decoder_heads"])
    if name == "smarties":
        return model_from_config(cfg)
    if name == "channel_mae":
        from ..model.channel_encoder import ChannelArchitecture
        from .channel_mae import ChannelMAE

        arch = ChannelArchitecture(embed_dim=m["embed_dim"], depth=m["depth"], num_heads=m["num_heads"],
                                   patch_size=m["patch_size"], img_size=m["img_size"])
        return ChannelMAE(arch, *dec, spectrum_weight=float(cfg["train"].get("spectrum_weight", 1.0)))
    arch = Architecture(embed_dim=m["embed_dim"], depth=m["depth"], num_heads=m["num_heads"],
                        patch_size=m["patch_size"], img_size=m["img_size"])
    if name == "mixmae":
        from .mixmae import MixMAE

        return MixMAE(arch, *dec)
    from .auxmae import AuxMAE

    return AuxMAE(arch, *dec)


class RecipeBatcher(PairBatcher):
    """PairBatcher that also serves single-sensor scenes (no sensor b) and can ask for pairs only."""

    def sample(self, batch_size: int, paired_only: bool = False):
        """(xa, xb or None, mixes_a, mixes_b); paired_only draws from scenes that have sensor b."""
        kinds = [k for k in self.kinds if k[1]] if paired_only else self.kinds
        if not kinds:
            raise EngineError("this recipe needs co-registered pairs, but the data has only single-sensor scenes.")
        w = np.array([len(self.groups[k]) for k in kinds], dtype=np.float64)
        kind = kinds[self.rng.choice(len(kinds), p=w / w.sum())]
        idx = self.rng.choice(self.groups[kind], size=batch_size, replace=True)
        xa, xb = [], []
        for i in idx:
            it = self._item(int(i))
            out = self._augment([it.a] if it.b is None else [it.a, it.b])
            xa.append(out[0])
            if len(out) > 1:
                xb.append(out[1])
        it = self._item(int(idx[0]))
        self.last_sensors = getattr(it, "sensors", None)
        return torch.cat(xa), (torch.cat(xb) if xb else None), it.mixes_a, it.mixes_b


def aux_task(step: int, aux_share: float) -> str:
    """Alternating schedule: with aux_share 0.5, even steps MAE and odd steps auxiliary; in general
    the auxiliary task on a steady aux_share of the steps (0 = Sentinel-2-only MAE)."""
    if aux_share <= 0:
        return "mae"
    return "aux" if int((step + 1) * aux_share) > int(step * aux_share) else "mae"


def recipe_step(model, name: str, batcher: RecipeBatcher, step: int, t_cfg: dict, device) -> tuple:
    """(loss, details) of one optimiser step of recipe `name`."""
    bs, norm_pix = int(t_cfg["batch_size"]), bool(t_cfg.get("recipe_norm_pix", False))
    if name in ("auxmae", "s2_mae"):
        share = float(t_cfg.get("aux_share", 0.5)) if name == "auxmae" else 0.0
        task = aux_task(step, share)
        xa, xb, ma, mb = batcher.sample(bs, paired_only=task == "aux")
        xb = xb.to(device) if xb is not None else None
        loss, det = model(task, xa.to(device), xb, ma, mb, float(t_cfg["mask_ratio"]), norm_pix)
        det["paired"] = xb is not None
        return loss, det
    if name == "mixmae":
        xa, xb, ma, mb = batcher.sample(bs, paired_only=True)
        return model(xa.to(device), xb.to(device), ma, mb, float(t_cfg.get("mix_share", 0.5)), norm_pix)
    if name == "channel_mae":
        from .channel_mae import ranges_of_mixes

        xa, _, ma, _ = batcher.sample(bs)  # optical sensor a only: sensor b is never seen
        return model(xa.to(device), ranges_of_mixes(ma), float(t_cfg["mask_ratio"]), norm_pix)
    raise EngineError(f"recipe '{name}' has no training step here")


def pretrain_recipe(cfg: dict, resume: bool = True, dataset=None, log: Optional[Callable[[str], None]] = None) -> dict:
    """Train (or resume) one non-SMARTIES recipe; single process. Returns the run summary."""
    t_cfg = cfg["train"]
    name = recipe_of(cfg)
    log = log or (lambda s: print(s, flush=True))
    if t_cfg.get("threads"):
        torch.set_num_threads(int(t_cfg["threads"]))
    torch.manual_seed(int(t_cfg["seed"]))
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    out_dir = Path(cfg["output"]["dir"])
    ckpt_path = out_dir / "checkpoint.pt"
    if dataset is None:
        dataset = dataset_from_config(cfg)
    if getattr(dataset, "normalization", None):
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "normalization.json").write_text(json.dumps(dataset.normalization, indent=1))
    model = build_recipe_model(cfg).to(device)
    opt = make_optimizer(model, cfg)
    step, history = 0, []
    if resume and ckpt_path.is_file():
        state = load_training_state(ckpt_path)
        if state.get("recipe", "smarties") != name:
            raise EngineError(f"{ckpt_path} was trained with recipe '{state.get('recipe', 'smarties')}', not "
                              f"'{name}'; use another output.dir or --no-resume.")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        step, history = int(state["step"]), json.loads(state["history"])
        log(json.dumps({"event": "resume", "recipe": name, "step": step}))
    batcher = RecipeBatcher(dataset, t_cfg["crop"], tuple(t_cfg["crop_scale"]), seed=int(t_cfg["seed"]) * 1000 + step,
                            shift_b=int(t_cfg.get("misalign_px") or 0))
    model.train()
    t_start, running, parts, tasks = time.time(), [], {}, {}
    limit = t_cfg.get("time_limit_min")
    while step < t_cfg["steps"]:
        for g in opt.param_groups:
            g["lr"] = lr_at(step, cfg)
        loss, det = recipe_step(model, name, batcher, step, t_cfg, device)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 3.0)
        opt.step()
        step += 1
        running.append(float(loss.detach()))
        for k in ("mae", "aux", "loss_a", "loss_b", "token", "spectrum"):
            if k in det:
                parts.setdefault(k, []).append(det[k])
        if "task" in det:
            key = f"{det['task']}_{'paired' if det.get('paired') else 'single'}"
            tasks[key] = tasks.get(key, 0) + 1
        if step % t_cfg["log_every"] == 0 or step == t_cfg["steps"]:
            rec = {"step": step, "loss": round(float(np.mean(running)), 5), "lr": round(lr_at(step - 1, cfg), 7),
                   "elapsed_s": round(time.time() - t_start, 1)}
            rec.update({k: round(float(np.mean(v)), 5) for k, v in parts.items()})
            if tasks:
                rec["tasks"] = dict(tasks)
            history.append(rec)
            running, parts, tasks = [], {}, {}
            log(json.dumps(rec))
        out_of_time = limit is not None and (time.time() - t_start) > 60 * float(limit)
        out_of_time = out_of_time or step == int(t_cfg.get("stop_at_step") or -1)  # pause, schedule unchanged
        if step % t_cfg["checkpoint_every"] == 0 or step == t_cfg["steps"] or out_of_time:
            save_recipe_checkpoint(ckpt_path, model, opt, step, cfg, history, name)
        if out_of_time:
            log(json.dumps({"event": "time_limit", "step": step}))
            break
    summary = {"recipe": name, "steps": step, "history": history, "checkpoint": str(ckpt_path),
               "train_seconds": round(time.time() - t_start, 1), "device": str(device)}
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


def save_recipe_checkpoint(path: Path, model, opt, step: int, cfg: dict, history: list, recipe: str) -> None:
    """Training state of a recipe (weights, optimiser, step, config, history, recipe name)."""
    _atomic_torch_save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                        "config": json.dumps(cfg), "history": json.dumps(history), "recipe": recipe}, path)


def load_recipe_encoder(path: str):
    """The encoder of a recipe's training checkpoint or exported file (any architecture)."""
    from ..model.checkpoint import load_checkpoint

    return load_checkpoint(path).eval()


RECIPE_TEXT = {
    "s2_mae": "Sentinel-2-only MAE (random masking 0.75, MSE on the masked patches)",
    "auxmae": ("AuxMAE (Linial et al.): Sentinel-2 MAE plus an auxiliary decoder predicting the whole Sentinel-1 "
               "image from the unmasked Sentinel-2 image, alternating tasks step by step; Sentinel-1 never enters "
               "the encoder"),
    "mixmae": ("MixMAE (Linial et al.): no masking, each token position from Sentinel-2 or Sentinel-1 at random "
               "(half each), two decoders, MSE on the patches each source did not contribute"),
    "channel_mae": ("channel-separated MAE (Zhambulova et al.): one token per (band, patch), spatial + spectral "
                    "encodings, band-token masking, token + spectrum reconstruction; optical bands only"),
}


def export_recipe(cfg: dict, checkpoint: Optional[str] = None, output: Optional[str] = None) -> str:
    """Write a recipe run's encoder (.safetensors, float32) and its card (architecture with its
    kind, the training normalisation, the recipe); returns the weights path."""
    from ..model.channel_encoder import ChannelSeparatedEncoder
    from ..model.checkpoint import save_encoder
    from ..model.encoder import SpectralEncoder

    name = recipe_of(cfg)
    out_dir = Path(cfg["output"]["dir"])
    ckpt = Path(checkpoint) if checkpoint else out_dir / "checkpoint.pt"
    state = load_training_state(ckpt)
    model = build_recipe_model(cfg)
    model.load_state_dict(state["model"])
    enc_sd = {k: v for k, v in state["model"].items() if not k.startswith(("decoder_", "mask_token"))}
    encoder = (ChannelSeparatedEncoder if name == "channel_mae" else SpectralEncoder)(model.arch)
    encoder.load_state_dict(enc_sd)
    norm_path = ckpt.parent / "normalization.json"
    card = {"id": Path(output or out_dir / f"{name}.safetensors").stem,
            "title": f"{name} recipe encoder (comparison run)",
            "architecture": model.arch.to_card(),
            "normalization": json.loads(norm_path.read_text()) if norm_path.is_file() else {},
            "training": {"recipe": name, "objective": RECIPE_TEXT.get(name, name), "steps": int(state["step"]),
                         "batch_size": cfg["train"]["batch_size"], "crop_px": cfg["train"]["crop"],
                         "data": cfg["data"].get("kind"), "seed": cfg["train"]["seed"]},
            "license": "Apache-2.0",
            "intended_use": "comparing pretraining recipes (docs/training_recipes.md); not a shipped default",
            "limitations": "trained at CPU scale (tiny ViT, a few thousand steps); see docs/training_recipes.md"}
    path = save_encoder(encoder, output or out_dir / f"{name}.safetensors", card)
    return str(path)
