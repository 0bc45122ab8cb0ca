"""Probe tasks the recipe comparison adds to probe.py: Sentinel-1 -> Sentinel-1, Sentinel-2 ->
Sentinel-1 transfer, the Sentinel-1 prediction probe, and fine-tuning probes, all on held-out
synthetic scenes with per-patch majority labels.

- S1 prediction: ridge regression from frozen Sentinel-2 patch tokens to the normalised
  Sentinel-1 pixels of the same patch (fit scenes -> test scenes); reported as skill
  1 - MSE / MSE(predict zero). AuxMAE never feeds Sentinel-1 into its encoder, so this, not an
  S2 -> S1 classifier transfer, is what its auxiliary task could have taught.
- Fine-tuning: a per-patch linear head on the patch tokens of Sentinel-1 windows, trained with
  labels for a fixed number of steps in three modes: "frozen" (head only), "entry" (the band entry
  layers, i.e. the spectrum projection or the channel projection + spectral encoding, plus the
  head) and "full" (every encoder weight plus the head).
"""
from __future__ import annotations

import copy
from typing import Callable, Optional, Sequence

import numpy as np
import torch

from .probe import PROBE_SEED, _stack, knn_accuracy, linear_probe_accuracy, patch_majority, scene_inputs
from .synthetic import CLASSES, make_scene

SENSORS = ("sentinel2_l2a", "sentinel1_grd")
FT_MODES = ("frozen", "entry", "full")


class SyntheticProbeSet:
    """Held-out synthetic scenes seen by Sentinel-2 L2A and Sentinel-1 GRD (2/3 fit, 1/3 test)."""

    def __init__(self, n_scenes: int = 72, size: int = 256, seed: int = PROBE_SEED, normalization: Optional[dict] = None):
        from .datasets import synthetic_normalization

        self.norm = normalization or synthetic_normalization(SENSORS)
        rng = np.random.default_rng(seed)
        scenes = [make_scene(seed + i, size=size, doy=int(rng.integers(60, 330)), cloud_cover=0.0) for i in range(n_scenes)]
        n_fit = (2 * n_scenes) // 3
        self.fit, self.test = scenes[:n_fit], scenes[n_fit:]
        self.inputs = {s: (scene_inputs(self.fit, s, self.norm), scene_inputs(self.test, s, self.norm)) for s in SENSORS}
        self.labels = ([s.labels for s in self.fit], [s.labels for s in self.test])
        self.size = size


def classification_tasks(feature_fn, data: SyntheticProbeSet, p: int = 16, k: int = 20) -> dict:
    """{"s2": {knn, linear}, "s1": ..., "s2_to_s1": ...} for one feature function."""
    cache = {s: (_stack(feature_fn, data.inputs[s][0], s, data.labels[0], p),
                 _stack(feature_fn, data.inputs[s][1], s, data.labels[1], p)) for s in SENSORS}
    out = {}
    for name, (sf, st) in {"s2": SENSORS[:1] * 2, "s1": SENSORS[1:] * 2, "s2_to_s1": SENSORS}.items():
        (ftr, ytr), (fte, yte) = cache[sf][0], cache[st][1]
        cross = sf != st
        out[name] = {"knn": knn_accuracy(ftr, ytr, fte, yte, k, per_domain=cross),
                     "linear": linear_probe_accuracy(ftr, ytr, fte, yte, per_domain=cross)}
    return out


def s1_patch_targets(inputs, p: int = 16) -> np.ndarray:
    """Normalised Sentinel-1 pixels of every patch [N, C * p * p] (scene order, row-major patches)."""
    rows = []
    for x, _ in inputs:
        c, h, w = x.shape
        gh, gw = h // p, w // p
        t = x[:, : gh * p, : gw * p].reshape(c, gh, p, gw, p).transpose(1, 3, 0, 2, 4).reshape(gh * gw, c * p * p)
        rows.append(t)
    return np.concatenate(rows).astype(np.float32)


def ridge_fit_predict(ftr: np.ndarray, ytr: np.ndarray, fte: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Ridge regression on standardised features (scikit-learn Ridge; penalty alpha per fit row, i.e.
    mean squared error + alpha * |w|^2)."""
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), Ridge(alpha=alpha * len(ftr), solver="cholesky"))
    model.fit(ftr.astype(np.float64), ytr.astype(np.float64))
    return model.predict(fte.astype(np.float64)).astype(np.float32)


def s1_prediction_skill(feature_fn, data: SyntheticProbeSet, p: int = 16, alpha: float = 1e-3) -> dict:
    """Skill 1 - MSE / MSE(zero) of predicting the test scenes' normalised S1 patches from S2 features."""
    s2 = SENSORS[0]
    ftr, _ = _stack(feature_fn, data.inputs[s2][0], s2, data.labels[0], p)
    fte, _ = _stack(feature_fn, data.inputs[s2][1], s2, data.labels[1], p)
    ytr, yte = s1_patch_targets(data.inputs[SENSORS[1]][0], p), s1_patch_targets(data.inputs[SENSORS[1]][1], p)
    pred = ridge_fit_predict(ftr, ytr, fte, alpha)
    mse, zero = float(((pred - yte) ** 2).mean()), float((yte ** 2).mean())
    # Patch means alone (the part a token can carry): skill on the per-patch mean of each band.
    c = data.inputs[SENSORS[1]][0][0][0].shape[0]
    pm, ym = pred.reshape(len(pred), c, -1).mean(-1), yte.reshape(len(yte), c, -1).mean(-1)
    return {"skill": 1 - mse / max(zero, 1e-12), "mse": mse, "mse_zero": zero,
            "mean_skill": 1 - float(((pm - ym) ** 2).mean()) / max(float((ym ** 2).mean()), 1e-12)}


# --------------------------------------------------------------------------- fine-tuning
def entry_parameters(encoder) -> list:
    """The band entry layers: spectrum projection (SMARTIES layout) or channel projection +
    spectral encoding (channel-separated encoder)."""
    names = ("spectrum_projection.", "channel_embed.", "spectral_encoding.")
    return [p for n, p in encoder.named_parameters() if n.startswith(names)]


def _windows(inputs, labels, window: int, p: int):
    xs, ys = [], []
    for (x, _), lab in zip(inputs, labels):
        y = patch_majority(lab, p)
        for r in range(0, x.shape[1] - window + 1, window):
            for c in range(0, x.shape[2] - window + 1, window):
                xs.append(x[:, r:r + window, c:c + window])
                ys.append(y[r // p:(r + window) // p, c // p:(c + window) // p])
    return torch.from_numpy(np.stack(xs)).float(), torch.from_numpy(np.stack(ys)).long()


def finetune_accuracy(encoder, data: SyntheticProbeSet, sensor: str, mode: str, steps: int = 200,
                      batch: int = 16, window: int = 64, lr: float = 1e-3, seed: int = 0, p: int = 16) -> float:
    """Per-patch accuracy on the test scenes after training a linear head (+ the layers of `mode`)
    on the fit scenes' windows of `sensor`; the encoder passed in is not changed (a copy is)."""
    if mode not in FT_MODES:
        raise ValueError(f"fine-tuning mode {mode!r}; use one of {FT_MODES}")
    torch.manual_seed(seed)
    enc = copy.deepcopy(encoder).train()
    names = data.inputs[sensor][0][0][1]
    bands = [f"{sensor}:{n}" for n in names]
    xtr, ytr = _windows(data.inputs[sensor][0], data.labels[0], window, p)
    xte, yte = _windows(data.inputs[sensor][1], data.labels[1], window, p)
    for prm in enc.parameters():
        prm.requires_grad_(False)
    train_params = {"frozen": [], "entry": entry_parameters(enc), "full": list(enc.parameters())}[mode]
    for prm in train_params:
        prm.requires_grad_(True)
    if hasattr(enc, "pos_embed"):
        enc.pos_embed.requires_grad_(False)
    head = torch.nn.Sequential(torch.nn.LayerNorm(enc.embed_dim, elementwise_affine=False),
                               torch.nn.Linear(enc.embed_dim, len(CLASSES)))
    opt = torch.optim.AdamW([{"params": [q for q in train_params if q.requires_grad], "lr": lr},
                             {"params": head.parameters(), "lr": 10 * lr}], weight_decay=0.01)
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        idx = torch.randint(0, len(xtr), (batch,), generator=g)
        tok = enc.patch_tokens(xtr[idx], bands).permute(0, 2, 3, 1)  # [B, gh, gw, D]
        loss = torch.nn.functional.cross_entropy(head(tok).reshape(-1, len(CLASSES)), ytr[idx].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    enc.eval()
    correct = total = 0
    with torch.no_grad():
        for i in range(0, len(xte), 64):
            tok = enc.patch_tokens(xte[i:i + 64], bands).permute(0, 2, 3, 1)
            pred = head(tok).argmax(-1)
            correct += int((pred == yte[i:i + 64]).sum())
            total += int(yte[i:i + 64].numel())
    return correct / max(1, total)


def finetune_tasks(encoder, data: SyntheticProbeSet, sensor: str = "sentinel1_grd", steps: int = 200,
                   seed: int = 0, modes: Sequence[str] = FT_MODES, log: Callable[[str], None] = lambda s: None,
                   window: int = 64) -> dict:
    """{mode: accuracy} of the fine-tuning probe on `sensor`."""
    out = {}
    for mode in modes:
        out[mode] = finetune_accuracy(encoder, data, sensor, mode, steps=steps, seed=seed, window=window)
        log(f"fine-tune {sensor} {mode}: {out[mode]:.4f}")
    return out
