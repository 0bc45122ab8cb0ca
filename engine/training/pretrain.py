"""SMARTIES pretraining loop: mixed-pair MAE on co-registered pairs, AdamW with warm-up and
half-cosine, checkpoint + resume, DistributedDataParallel under torchrun (gloo on CPU, nccl on GPU).

    python -m engine.training pretrain --config engine/training/configs/default.json
    torchrun --nproc_per_node 2 -m engine.training pretrain --config ...
"""
from __future__ import annotations

import json
import math
import os
import shutil
import time
from copy import deepcopy
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import torch
import torch.nn.functional as F

from ..errors import EngineError
from .mae import DecoderConfig, PretrainObjective, SmartiesMAE, ViewProjector, build_mae
from .views import (SpectralClusters, check_statistics_blocks, invariance_views, patch_statistics,
                    reflectance_gain_offsets, statistics_width)

DEFAULT_CONFIG: dict = {
    "model": {"embed_dim": 192, "depth": 4, "num_heads": 3, "patch_size": 16, "img_size": 224,
              "decoder_dim": 128, "decoder_depth": 2, "decoder_heads": 4},
    "data": {"kind": "synthetic", "n_scenes": 160, "scene_size": 256, "seed": 0},
    "train": {"steps": 2000, "batch_size": 32, "crop": 96, "crop_scale": [0.3, 1.0], "lr": 1e-3,
              "min_lr": 1e-5, "weight_decay": 0.05, "warmup_steps": 100, "mask_ratio": 0.75,
              "mixup_ratio": 0.5, "cross_weight": 0.0, "cross_start_step": 0, "align_weight": 0.0, "align_start_step": 0,
              "vicreg_weight": 0.0, "vicreg_start_step": 0, "vicreg_subsets": 1, "vicreg_transform": False, "vicreg_coarse": False, "vicreg_shuffle": False,
              "vicreg_noise": 0.0, "vicreg_brightness": 0.0, "vicreg_coarsen": False, "vicreg_stack": False, "mae_weight": 1.0, "invariance": "vicreg", "temperature": 0.1,
              "cluster_weight": 0.0, "clusters": 64, "cluster_texture": False, "cluster_crops": 256, "distill_weight": 0.0, "distill_temperature": 0.1,
              "distill_blocks": ["means", "sds", "shape", "level"],
              "projector_dims": [512, 512],
              "init_from": None, "seed": 0, "log_every": 20, "checkpoint_every": 200, "threads": 0,
              "time_limit_min": None, "misalign_px": 0,
              # Other recipes (engine/training/recipes.py): auxmae, s2_mae, mixmae, channel_mae.
              "recipe": "smarties", "aux_share": 0.5, "mix_share": 0.5, "recipe_norm_pix": False,
              "spectrum_weight": 1.0, "stop_at_step": None,
              # Real-data stage 8: linear read-out of the patch statistics, a frozen teacher on
              # synthetic batches (teacher.py), checkpoints kept every snapshot_every steps.
              "readout_weight": 0.0, "teacher_from": None, "teacher_weight": 0.0, "teacher_views": [0, 1],
              "snapshot_every": 0, "head_warmup_steps": 0, "zero_heads": False},
    # card_synthetic_stats: sensors whose card statistics stay the synthetic ones at export although
    # training pooled real ones (inference converts their files to other units first, see export.py).
    "output": {"dir": "runs/default", "export": None, "notes": None, "verdict": None, "card_synthetic_stats": []},
    "eval": {"scenes": 24, "scene_size": 288, "window": 96},
}


def merge_config(base: dict, override: dict) -> dict:
    """Deep-merge `override` into a copy of `base` (unknown sections/keys are errors)."""
    out = deepcopy(base)
    for key, value in (override or {}).items():
        if key not in out:
            raise EngineError(f"Unknown config section or key '{key}'; known: {', '.join(out)}.")
        if isinstance(out[key], dict) and isinstance(value, dict) and key != "data":
            out[key] = merge_config(out[key], value)
        else:
            out[key] = deepcopy(value) if not isinstance(out[key], dict) else {**out[key], **value}
    return out


def load_config(path: Optional[str]) -> dict:
    """DEFAULT_CONFIG merged with a JSON config file."""
    if not path:
        return deepcopy(DEFAULT_CONFIG)
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise EngineError(f"Cannot read the config file {path}: {exc}") from exc
    return merge_config(DEFAULT_CONFIG, data)


def model_from_config(cfg: dict) -> SmartiesMAE:
    """The MAE described by cfg["model"]."""
    m = cfg["model"]
    return build_mae(m["embed_dim"], m["depth"], m["num_heads"], m["patch_size"], m["img_size"],
                     DecoderConfig(m["decoder_dim"], m["decoder_depth"], m["decoder_heads"]))


def dataset_from_config(cfg: dict, progress: Optional[Callable] = None):
    """SyntheticPairDataset or FolderPairDataset from cfg["data"]."""
    from .datasets import DEFAULT_PAIRS, FolderPairDataset, SyntheticPairDataset

    d = cfg["data"]
    if d.get("kind", "synthetic") == "synthetic":
        pairs = [tuple(p) for p in d.get("pairs", DEFAULT_PAIRS)]
        return SyntheticPairDataset(d.get("n_scenes", 64), d.get("scene_size", 256), pairs, d.get("seed", 0),
                                    d.get("normalization"), progress=progress)
    if d["kind"] == "folder_optional_pairs":  # some scenes of sensor a without a pair (AuxMAE)
        from .optional_pairs import OptionalPairFolderDataset

        return OptionalPairFolderDataset(d["root"], d.get("a", "s2"), d.get("b", "s1"), d.get("sensor_a"),
                                         d.get("sensor_b"), d.get("normalization"))
    if d["kind"] == "folder":
        return FolderPairDataset(d["root"], d.get("a", "s2"), d.get("b", "s1"), d.get("sensor_a"),
                                 d.get("sensor_b"), d.get("normalization"))
    if d["kind"] == "real":
        from .realdata import real_dataset_from_config

        return real_dataset_from_config(d, progress=progress)
    raise EngineError(f"Unknown data kind '{d['kind']}' in the config; use 'synthetic', 'folder', "
                      "'folder_optional_pairs' or 'real'.")


# --------------------------------------------------------------------------- batches
class PairBatcher:
    """Random batches of one band layout, with the same crop/flip/rotation for both images."""

    def __init__(self, dataset, crop: int, scale=(0.3, 1.0), seed: int = 0, cache: bool = True,
                 shift_b: int = 0):
        self.dataset = dataset
        self.shift_b = int(shift_b)  # misalignment: sensor b's crop moved by this many pixels
        self.crop = crop
        self.scale = scale
        self.rng = np.random.default_rng(seed)
        self.cache = cache
        self._items: dict = {}
        self.groups: dict = {}
        self.last_sensors: Optional[tuple] = None
        for i in range(len(dataset)):
            self.groups.setdefault(self._item(i).kind, []).append(i)
        self.kinds = list(self.groups)
        self.weights = np.array([len(self.groups[k]) for k in self.kinds], dtype=np.float64)

    def _item(self, i: int):
        if not self.cache:
            return self.dataset[i]
        if i not in self._items:
            self._items[i] = self.dataset[i]
        return self._items[i]

    def _box(self, h: int, w: int) -> tuple[int, int, int, int]:
        area = h * w * self.rng.uniform(*self.scale)
        ratio = math.exp(self.rng.uniform(math.log(3 / 4), math.log(4 / 3)))
        ch = int(min(h, max(16, round(math.sqrt(area / ratio)))))
        cw = int(min(w, max(16, round(math.sqrt(area * ratio)))))
        y, x = int(self.rng.integers(0, h - ch + 1)), int(self.rng.integers(0, w - cw + 1))
        return y, x, ch, cw

    def _augment(self, arrs: list[np.ndarray]) -> list[torch.Tensor]:
        h, w = arrs[0].shape[-2:]
        s = self.shift_b
        y, x, ch, cw = self._box(h - 2 * s, w - 2 * s)
        offsets = [(s, s)] * len(arrs)
        if s:
            # Sensor b (the second image) is cropped s pixels away in a random direction.
            angle = self.rng.uniform(0, 2 * math.pi)
            offsets[1:] = [(s + int(round(s * math.sin(angle))), s + int(round(s * math.cos(angle))))] * (len(arrs) - 1)
        k, flip = int(self.rng.integers(0, 4)), bool(self.rng.random() < 0.5)
        out = []
        for a, (oy, ox) in zip(arrs, offsets):
            t = torch.from_numpy(np.ascontiguousarray(a[:, y + oy:y + oy + ch, x + ox:x + ox + cw])).float().unsqueeze(0)
            if (ch, cw) != (self.crop, self.crop):
                t = F.interpolate(t, size=(self.crop, self.crop), mode="bilinear", align_corners=False)
            t = torch.rot90(t, k, dims=(2, 3))
            out.append(torch.flip(t, dims=(3,)) if flip else t)
        return out

    def sample(self, batch_size: int):
        """(xa [B, Ca, crop, crop], xb, mixes_a, mixes_b)."""
        kind = self.kinds[self.rng.choice(len(self.kinds), p=self.weights / self.weights.sum())]
        idx = self.rng.choice(self.groups[kind], size=batch_size, replace=True)
        xa, xb = [], []
        for i in idx:
            it = self._item(int(i))
            a, b = self._augment([it.a, it.b])
            xa.append(a)
            xb.append(b)
        it = self._item(int(idx[0]))
        self.last_sensors = getattr(it, "sensors", None)
        return torch.cat(xa), torch.cat(xb), it.mixes_a, it.mixes_b


def lr_at(step: int, cfg: dict) -> float:
    """Linear warm-up, then half-cosine from lr to min_lr over the remaining steps."""
    t = cfg["train"]
    lr, min_lr, warm, total = t["lr"], t["min_lr"], t["warmup_steps"], t["steps"]
    if step < warm:
        return lr * (step + 1) / warm
    frac = min(1.0, (step - warm) / max(1, total - warm))
    return min_lr + (lr - min_lr) * 0.5 * (1 + math.cos(math.pi * frac))


def make_optimizer(model: torch.nn.Module, cfg: dict) -> torch.optim.Optimizer:
    """AdamW; no weight decay on biases, norms and tokens (model may be a PretrainObjective)."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (no_decay if p.ndim < 2 or name.endswith(("cls_token", "mask_token")) else decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": cfg["train"]["weight_decay"]},
                              {"params": no_decay, "weight_decay": 0.0}], lr=cfg["train"]["lr"], betas=(0.9, 0.95))


# --------------------------------------------------------------------------- checkpoints
def _atomic_torch_save(obj, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    try:
        torch.save(obj, tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def save_checkpoint(path: Path, model: SmartiesMAE, opt, step: int, cfg: dict, history: list,
                    projector: Optional[torch.nn.Module] = None,
                    cluster_head: Optional[torch.nn.Module] = None,
                    readout_head: Optional[torch.nn.Module] = None) -> None:
    """Training state: weights in the released layout, optimiser, step, config, loss history
    (+ the VICReg projector and the pseudo-label head, kept apart so "model" stays in the released
    layout)."""
    state = {"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
             "config": json.dumps(cfg), "history": json.dumps(history)}
    if projector is not None:
        state["projector"] = projector.state_dict()
    if cluster_head is not None:
        state["cluster_head"] = cluster_head.state_dict()
    if readout_head is not None:
        state["readout_head"] = readout_head.state_dict()
    _atomic_torch_save(state, path)


def load_training_state(path: Path) -> dict:
    """The dict written by save_checkpoint (weights_only: plain tensors and strings)."""
    try:
        return torch.load(str(path), map_location="cpu", weights_only=True)
    except Exception as exc:
        raise EngineError(f"Cannot resume from {path}: {exc}. Delete it to start over.") from exc


def initial_weights(path: Path) -> dict:
    """Weights to warm-start from: a training checkpoint (its "model") or an exported
    .safetensors in the released layout (fp16 tensors are cast to float32)."""
    if not path.is_file():
        raise EngineError(f"init_from: {path} does not exist; train the previous stage first "
                          "(see the config's output.notes) or point init_from at an exported .safetensors.")
    if path.suffix == ".safetensors":
        from ..model.checkpoint import read_tensors

        tensors, _ = read_tensors(path)
        return {k: v.float() for k, v in tensors.items()}
    return load_training_state(path)["model"]


# --------------------------------------------------------------------------- distributed
def _dist_env() -> tuple[int, int, int]:
    return int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1)), int(os.environ.get("LOCAL_RANK", 0))


def setup_distributed() -> tuple[int, int, torch.device]:
    """Init the process group when launched by torchrun; (rank, world size, device)."""
    rank, world, local = _dist_env()
    device = torch.device(f"cuda:{local}") if torch.cuda.is_available() else torch.device("cpu")
    if world > 1 and not torch.distributed.is_initialized():
        backend = "nccl" if device.type == "cuda" else "gloo"
        if device.type == "cuda":
            torch.cuda.set_device(device)
        torch.distributed.init_process_group(backend=backend)
    return rank, world, device


# --------------------------------------------------------------------------- training
def pretrain(cfg: dict, resume: bool = True, dataset=None, log: Optional[Callable[[str], None]] = None) -> dict:
    """Run (or resume) pretraining as configured; returns a summary (steps, losses, paths, time)."""
    if cfg["train"].get("recipe", "smarties") != "smarties":
        from .recipes import pretrain_recipe  # AuxMAE, MixMAE, channel-separated MAE, S2-only MAE

        return pretrain_recipe(cfg, resume=resume, dataset=dataset, log=log)
    rank, world, device = setup_distributed()
    t_cfg = cfg["train"]
    log = log or (lambda s: print(s, flush=True))
    say = (lambda s: log(s)) if rank == 0 else (lambda s: None)
    if t_cfg.get("threads"):
        torch.set_num_threads(int(t_cfg["threads"]))
    torch.manual_seed(int(t_cfg["seed"]))
    try:
        check_statistics_blocks(t_cfg.get("distill_blocks"))
    except ValueError as exc:
        raise EngineError(f"train.distill_blocks: {exc}.") from None
    out_dir = Path(cfg["output"]["dir"])
    ckpt_path = out_dir / "checkpoint.pt"
    t0 = time.time()
    if dataset is None:
        dataset = dataset_from_config(cfg)
    say(json.dumps({"event": "data", "pairs": len(dataset), "seconds": round(time.time() - t0, 1)}))
    if rank == 0 and getattr(dataset, "normalization", None):
        # The statistics the model was trained with travel to the model card at export.
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "normalization.json").write_text(json.dumps(dataset.normalization, indent=1))
        if getattr(dataset, "provenance", None):  # which statistics are real-data ones (export -> card)
            (out_dir / "normalization_provenance.json").write_text(json.dumps(dataset.provenance, indent=1))
    model = model_from_config(cfg).to(device)
    projector = None
    if float(t_cfg.get("vicreg_weight") or 0) > 0:
        dims = t_cfg.get("projector_dims")
        hid, out = (list(dims) + [512, 512])[:2] if dims else (0, 0)  # [] = no MLP (see ViewProjector)
        projector = ViewProjector(model.embed_dim, int(hid), int(out)).to(device)
    cluster_w_cfg = float(t_cfg.get("cluster_weight") or 0.0)
    objective = PretrainObjective(model, projector, str(t_cfg.get("invariance", "vicreg")),
                                  float(t_cfg.get("temperature", 0.1)),
                                  t_cfg.get("clusters", 64) if cluster_w_cfg > 0 else 0,
                                  readout_dim=(statistics_width(t_cfg.get("distill_blocks"))
                                               if float(t_cfg.get("readout_weight") or 0) > 0 else 0),
                                  zero_heads=bool(t_cfg.get("zero_heads", False))).to(device)
    teacher = None
    if float(t_cfg.get("teacher_weight") or 0) > 0:
        from .teacher import Teacher

        teacher = Teacher(t_cfg["teacher_from"], device, t_cfg.get("teacher_views", (0, 1)))
    opt = make_optimizer(objective, cfg)
    step, history = 0, []
    if resume and ckpt_path.is_file():
        state = load_training_state(ckpt_path)
        model.load_state_dict(state["model"])
        if projector is not None and "projector" in state:
            projector.load_state_dict(state["projector"])
        if objective.cluster_head is not None and "cluster_head" in state:
            objective.cluster_head.load_state_dict(state["cluster_head"])
        if objective.readout_head is not None and "readout_head" in state:
            objective.readout_head.load_state_dict(state["readout_head"])
        try:
            opt.load_state_dict(state["optimizer"])
        except ValueError:  # the parameter set changed (e.g. a projector was added): fresh moments
            say(json.dumps({"event": "optimizer_reset", "why": "parameter groups differ from the checkpoint"}))
        step, history = int(state["step"]), json.loads(state["history"])
        say(json.dumps({"event": "resume", "step": step, "from": str(ckpt_path)}))
    elif t_cfg.get("init_from"):
        # Warm start from another run's weights (fresh optimiser and schedule, step 0).
        model.load_state_dict(initial_weights(Path(t_cfg["init_from"])))
        say(json.dumps({"event": "init_from", "path": str(t_cfg["init_from"])}))
    objective.train()
    net = objective
    if world > 1:
        net = torch.nn.parallel.DistributedDataParallel(
            objective, device_ids=[device.index] if device.type == "cuda" else None, find_unused_parameters=True)
    if hasattr(dataset, "make_batcher"):  # real data (+ synthetic share): its own crops and weights
        batcher = dataset.make_batcher(t_cfg["crop"], tuple(t_cfg["crop_scale"]), seed=int(t_cfg["seed"]) * 1000 + rank + step)
    else:
        batcher = PairBatcher(dataset, t_cfg["crop"], tuple(t_cfg["crop_scale"]), seed=int(t_cfg["seed"]) * 1000 + rank + step,
                              shift_b=int(t_cfg.get("misalign_px") or 0))
    clusters = None
    if cluster_w_cfg > 0:
        t_fit = time.time()
        clusters = SpectralClusters(batcher, objective.cluster_sizes, crops=int(t_cfg.get("cluster_crops") or 256),
                                    patch=model.patch_size,
                                    seed=int(t_cfg["seed"]), texture=bool(t_cfg.get("cluster_texture", False)))
        say(json.dumps({"event": "clusters", "k": clusters.k, "layouts": len(clusters.centroids),
                        "seconds": round(time.time() - t_fit, 1)}))
    amp = torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else None
    limit = t_cfg.get("time_limit_min")
    offsets_cache: dict = {}

    def gain_offsets(sensors):
        if not sensors or float(t_cfg.get("vicreg_brightness", 0.0)) <= 0:
            return None
        if sensors[0] not in offsets_cache:
            offsets_cache[sensors[0]] = reflectance_gain_offsets(getattr(dataset, "normalization", None), sensors[0])
        return offsets_cache[sensors[0]]
    t_start, running, parts = time.time(), [], {}
    while step < t_cfg["steps"]:
        for g in opt.param_groups:
            g["lr"] = lr_at(step, cfg)
        xa, xb, ma, mb = batcher.sample(t_cfg["batch_size"])
        # Optional warm start: the plain SMARTIES objective first, the cross-sensor term after.
        cross_w = float(t_cfg.get("cross_weight", 0.0)) if step >= int(t_cfg.get("cross_start_step", 0)) else 0.0
        align_w = float(t_cfg.get("align_weight", 0.0)) if step >= int(t_cfg.get("align_start_step", 0)) else 0.0
        vic_w = float(t_cfg.get("vicreg_weight") or 0.0) if step >= int(t_cfg.get("vicreg_start_step", 0)) else 0.0
        distill_w = float(t_cfg.get("distill_weight") or 0.0)
        readout_w = float(t_cfg.get("readout_weight") or 0.0)
        # The teacher anchors synthetic batches only (real batches carry no "synthetic" origin).
        teach = teacher is not None and getattr(batcher, "last_origin", "synthetic") == "synthetic"
        xa, xb = xa.to(device, non_blocking=True), xb.to(device, non_blocking=True)
        views = (invariance_views(xa, xb, ma, mb, batcher.rng, int(t_cfg.get("vicreg_subsets", 1)),
                                 bool(t_cfg.get("vicreg_transform", False)), bool(t_cfg.get("vicreg_coarse", False)),
                                 model.patch_size, bool(t_cfg.get("vicreg_shuffle", False)),
                                 float(t_cfg.get("vicreg_noise", 0.0)), float(t_cfg.get("vicreg_brightness", 0.0)),
                                 gain_offsets(batcher.last_sensors), bool(t_cfg.get("vicreg_coarsen", False)),
                                 bool(t_cfg.get("vicreg_stack", False)))
                 if vic_w > 0 or clusters or distill_w > 0 or readout_w > 0 or teach else [])
        kw = dict(cross_weight=cross_w, align_weight=align_w, vicreg_weight=vic_w, views=views,
                  mae_weight=float(t_cfg.get("mae_weight", 1.0)), cluster_weight=cluster_w_cfg,
                  cluster_targets=clusters.assign(xa, ma) if clusters else None,
                  distill_weight=distill_w, distill_temperature=float(t_cfg.get("distill_temperature", 0.1)),
                  distill_targets=(patch_statistics(xa, ma, model.patch_size, blocks=tuple(t_cfg["distill_blocks"]))
                                   if distill_w > 0 or readout_w > 0 else None),
                  readout_weight=readout_w,
                  teacher_weight=float(t_cfg.get("teacher_weight") or 0.0) if teach else 0.0,
                  teacher_targets=teacher.targets(views) if teach else ())
        if amp is not None:
            with amp:
                loss, details = net(xa, xb, ma, mb, t_cfg["mask_ratio"], t_cfg["mixup_ratio"], **kw)
        else:
            loss, details = net(xa, xb, ma, mb, t_cfg["mask_ratio"], t_cfg["mixup_ratio"], **kw)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        # Encoder/decoder clipped as before; the projector apart, so its (large, early) VICReg
        # gradients do not shrink the encoder's step.
        if step < int(t_cfg.get("head_warmup_steps") or 0):
            # Fresh heads (pseudo-label, read-out) learn first; the encoder waits so that their
            # random initial gradients do not disturb the weights it starts from.
            model.zero_grad(set_to_none=True)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 3.0)
        if projector is not None and any(p.requires_grad for p in projector.parameters()):
            torch.nn.utils.clip_grad_norm_(projector.parameters(), 3.0)
        opt.step()
        step += 1
        running.append(float(loss.detach()))
        for k in ("mae", "invariance", "variance", "covariance", "infonce", "cluster", "distill", "readout", "teacher"):
            if k in details:
                parts.setdefault(k, []).append(details[k])
        if step % t_cfg["log_every"] == 0 or step == t_cfg["steps"]:
            rec = {"step": step, "loss": round(float(np.mean(running)), 5), "lr": round(lr_at(step - 1, cfg), 7),
                   "elapsed_s": round(time.time() - t_start, 1)}
            rec.update({k: round(float(np.mean(v)), 5) for k, v in parts.items()})
            history.append(rec)
            running, parts = [], {}
            say(json.dumps(rec))
        out_of_time = limit is not None and (time.time() - t_start) > 60 * float(limit)
        # stop_at_step: pause at that step, schedule unchanged (runs trained in turns, see compare.py).
        out_of_time = out_of_time or step == int(t_cfg.get("stop_at_step") or -1)
        if rank == 0 and (step % t_cfg["checkpoint_every"] == 0 or step == t_cfg["steps"] or out_of_time):
            save_checkpoint(ckpt_path, model, opt, step, cfg, history, projector, objective.cluster_head,
                            objective.readout_head)
            snap = int(t_cfg.get("snapshot_every") or 0)
            if snap and step % snap == 0:  # kept for choosing the checkpoint on validation probes
                shutil.copyfile(ckpt_path, out_dir / f"checkpoint_step{step}.pt")
        if out_of_time:
            say(json.dumps({"event": "time_limit", "step": step}))
            break
    if world > 1:
        torch.distributed.barrier()
    summary = {"steps": step, "history": history, "checkpoint": str(ckpt_path),
               "train_seconds": round(time.time() - t_start, 1), "world_size": world,
               "device": str(device),
               "param_checksum": float(sum(p.detach().double().sum() for p in model.parameters()))}
    if rank == 0:
        (out_dir / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary
