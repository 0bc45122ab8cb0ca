"""Frozen-feature probes on held-out synthetic scenes: kNN (k=20) and a linear probe on patch
tokens vs the majority label of each 16x16 patch (scikit-learn KNeighborsClassifier and
LogisticRegression), for a seen sensor (Sentinel-2 L2A), a sensor
never seen in pretraining (Landsat-8 with thermal B10/B11 through interpolated layers), and
cross-sensor transfer (fit on Sentinel-2 tokens, test on Sentinel-1 / Landsat-8 tokens).
Baselines: a randomly initialised encoder of the same size, and raw per-patch band means placed
on the 17 spectral layers (so that different sensors share one feature space)."""
from __future__ import annotations

import time
import warnings
from typing import Callable, Optional, Sequence

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning

from .datasets import normalize, stats_for, synthetic_normalization, usable_bands
from .real_scores import standardise as _standardise  # fit-set statistics; constant features -> 0
from .simulate import render
from .synthetic import CLASSES, make_scene

PROBE_SEED = 500000  # far from the pretraining seeds (0 .. n_scenes * 100003)
FeatureFn = Callable[[np.ndarray, str, list], np.ndarray]  # (x [C,H,W], sensor, band names) -> [F, gh, gw]


def patch_majority(labels: np.ndarray, p: int = 16) -> np.ndarray:
    """Majority label of each p x p patch: [H, W] -> [H/p, W/p]."""
    h, w = labels.shape[0] // p, labels.shape[1] // p
    blocks = labels[: h * p, : w * p].reshape(h, p, w, p).transpose(0, 2, 1, 3).reshape(h, w, p * p)
    counts = np.stack([(blocks == c).sum(-1) for c in range(len(CLASSES))], -1)
    return counts.argmax(-1)


def encoder_features(encoder, window: int = 96) -> FeatureFn:
    """Patch tokens of a frozen encoder, computed on non-overlapping windows and stitched."""

    @torch.no_grad()
    def fn(x: np.ndarray, sensor: str, names: list) -> np.ndarray:
        bands = [f"{sensor}:{n}" for n in names]
        c, h, w = x.shape
        p = encoder.patch_size
        out = np.zeros((encoder.embed_dim, h // p, w // p), np.float32)
        tiles, where = [], []
        for y in range(0, h - window + 1, window):
            for xx in range(0, w - window + 1, window):
                tiles.append(x[:, y:y + window, xx:xx + window])
                where.append((y // p, xx // p))
        for i in range(0, len(tiles), 16):
            batch = torch.from_numpy(np.stack(tiles[i:i + 16]))
            tok = encoder.patch_tokens(batch, bands).numpy()
            for t, (gy, gx) in zip(tok, where[i:i + 16]):
                out[:, gy:gy + window // p, gx:gx + window // p] = t
        return out

    return fn


def band_mean_features(p: int = 16) -> FeatureFn:
    """Raw per-patch band means, each added into the spectral layers its band maps to (17 dims)."""

    def fn(x: np.ndarray, sensor: str, names: list) -> np.ndarray:
        _, _, mixes = usable_bands(sensor, names)
        c, h, w = x.shape
        means = x[:, : h // p * p, : w // p * p].reshape(c, h // p, p, w // p, p).mean(axis=(2, 4))
        out = np.zeros((17, h // p, w // p), np.float32)
        for band, mix in zip(means, mixes):
            for k, wt in mix:
                out[k] += wt * band
        return out

    return fn


def spectral_shape_features(p: int = 16) -> FeatureFn:
    """Reference features, not a baseline of the issue: the input of the default model's pseudo-label
    clustering (engine.training.views.spectral_shape), i.e. per-patch band means standardised across
    the bands, placed on the 17 spectral layers, plus half their mean (18 dims)."""

    def fn(x: np.ndarray, sensor: str, names: list) -> np.ndarray:
        _, _, mixes = usable_bands(sensor, names)
        c, h, w = x.shape
        means = x[:, : h // p * p, : w // p * p].reshape(c, h // p, p, w // p, p).mean(axis=(2, 4))
        level = means.mean(0)
        shape = (means - level) / (means.std(0, ddof=1 if c > 1 else 0) + 1e-3)
        out = np.zeros((18, h // p, w // p), np.float32)
        for band, mix in zip(shape, mixes):
            for k, wt in mix:
                out[k] += wt * band
        out[17] = 0.5 * level
        return out

    return fn


def patch_statistics_features(p: int = 16) -> FeatureFn:
    """Reference features, not a baseline of the issue: the default model's distillation target
    (engine.training.views.patch_statistics: band means, within-patch standard deviations,
    spectral shape and level on the 17 spectral layers), computed from the probed sensor itself."""
    from .views import patch_statistics

    def fn(x: np.ndarray, sensor: str, names: list) -> np.ndarray:
        _, _, mixes = usable_bands(sensor, names)
        c, h, w = x.shape
        f = patch_statistics(torch.from_numpy(np.ascontiguousarray(x[:, : h // p * p, : w // p * p]))[None], mixes, p)
        return f.T.reshape(f.shape[1], h // p, w // p).numpy()

    return fn


def scene_inputs(scenes, sensor: str, normalization: dict) -> list[tuple[np.ndarray, list]]:
    """Normalised model inputs of each scene as seen by `sensor` (usable bands only)."""
    idx, names, _ = usable_bands(sensor)
    stats = stats_for(normalization, sensor, names)
    out = []
    for s in scenes:
        im = render(s, sensor)
        out.append((normalize(im.data[idx], stats, im.nodata), names))
    return out


def _stack(feature_fn: FeatureFn, inputs, sensor: str, labels: Sequence[np.ndarray], p: int):
    feats, ys = [], []
    for (x, names), lab in zip(inputs, labels):
        f = feature_fn(x, sensor, names)
        y = patch_majority(lab, p)[: f.shape[1], : f.shape[2]]
        feats.append(f.reshape(f.shape[0], -1).T)
        ys.append(y.ravel())
    return np.concatenate(feats).astype(np.float32), np.concatenate(ys)


def knn_accuracy(ftr: np.ndarray, ytr: np.ndarray, fte: np.ndarray, yte: np.ndarray, k: int = 20,
                 per_domain: bool = False) -> float:
    """Accuracy of a cosine-similarity kNN vote (weights exp(sim / 0.07), as in DINO; scikit-learn)."""
    from sklearn.neighbors import KNeighborsClassifier

    ftr, fte = _standardise(ftr, fte, per_domain=per_domain)
    knn = KNeighborsClassifier(n_neighbors=min(k, len(ftr)), metric="cosine", algorithm="brute",
                               weights=lambda dist: np.exp((1.0 - dist) / 0.07)).fit(ftr, ytr)
    pred = knn.predict(fte)
    # A test vector orthogonal to every fit vector (e.g. band means on layers the fit sensor
    # lacks) carries no information: predict the majority class instead of an arbitrary tie.
    shared = (ftr != 0).any(axis=0)
    blind = ~(fte[:, shared] != 0).any(axis=1)
    pred[blind] = np.bincount(ytr, minlength=len(CLASSES)).argmax()
    return float((pred == yte).mean()) if len(yte) else 0.0


def linear_probe_accuracy(ftr: np.ndarray, ytr: np.ndarray, fte: np.ndarray, yte: np.ndarray,
                          weight_decay: float = 1e-4, seed: int = 0, per_domain: bool = False) -> float:
    """Accuracy of multinomial logistic regression on standardised features (scikit-learn, L-BFGS).

    `weight_decay` is the L2 penalty on the mean cross-entropy (mean CE + weight_decay/2 * |W|^2),
    i.e. scikit-learn's C = 1 / (weight_decay * number of fit rows)."""
    from sklearn.linear_model import LogisticRegression

    ftr, fte = _standardise(ftr, fte, per_domain=per_domain)
    if len(np.unique(ytr)) < 2:  # one class in the fit set: the only possible answer
        return float((yte == ytr[0]).mean()) if len(yte) and len(ytr) else 0.0
    clf = LogisticRegression(C=1.0 / (weight_decay * len(ftr)), max_iter=1000, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=ConvergenceWarning)  # max_iter bounds the probe's cost
        clf.fit(ftr, ytr)
    return float((clf.predict(fte) == yte).mean()) if len(yte) else 0.0


def run_probes(feature_fns: dict[str, FeatureFn], n_scenes: int = 24, size: int = 288, normalization: Optional[dict] = None,
               p: int = 16, k: int = 20, seed: int = PROBE_SEED, log: Callable[[str], None] = lambda s: None) -> dict:
    """Accuracies {task: {feature name: {"knn", "linear"}}} on held-out scenes (2/3 fit, 1/3 test)."""
    norm = normalization or synthetic_normalization(("sentinel2_l2a", "sentinel1_grd", "landsat8"))
    rng = np.random.default_rng(seed)
    # Cloud-free dates: Sentinel-1 sees through clouds, so cloud labels would not transfer.
    scenes = [make_scene(seed + i, size=size, doy=int(rng.integers(60, 330)), cloud_cover=0.0) for i in range(n_scenes)]
    n_fit = (2 * n_scenes) // 3
    fit, test = scenes[:n_fit], scenes[n_fit:]
    sensors = ("sentinel2_l2a", "sentinel1_grd", "landsat8")
    inputs = {s: (scene_inputs(fit, s, norm), scene_inputs(test, s, norm)) for s in sensors}
    lab_fit, lab_test = [s.labels for s in fit], [s.labels for s in test]
    tasks = {  # name: (fit sensor, test sensor)
        "sentinel2_l2a (seen sensor)": ("sentinel2_l2a", "sentinel2_l2a"),
        "landsat8 (unseen sensor, thermal via interpolated layers)": ("landsat8", "landsat8"),
        "transfer sentinel2_l2a -> sentinel1_grd": ("sentinel2_l2a", "sentinel1_grd"),
        "transfer sentinel2_l2a -> landsat8": ("sentinel2_l2a", "landsat8"),
    }
    report: dict = {"classes": list(CLASSES),
                    "protocol": ("features standardised with the fit set's statistics; in cross-sensor tasks "
                                 "each sensor's features with their own statistics (no target labels used)"), "scenes_fit": n_fit, "scenes_test": n_scenes - n_fit,
                    "scene_size_px": size, "k": k, "tasks": {}}
    for name, fn in feature_fns.items():
        t0 = time.time()
        cache = {}
        for s in sensors:
            cache[s] = (_stack(fn, inputs[s][0], s, lab_fit, p), _stack(fn, inputs[s][1], s, lab_test, p))
        for task, (sf, st) in tasks.items():
            (ftr, ytr), (fte, yte) = cache[sf][0], cache[st][1]
            res = report["tasks"].setdefault(task, {})
            cross = sf != st
            res[name] = {"knn": round(knn_accuracy(ftr, ytr, fte, yte, k, per_domain=cross), 4),
                         "linear": round(linear_probe_accuracy(ftr, ytr, fte, yte, per_domain=cross), 4)}
            res.setdefault("majority_class", round(float((yte == np.bincount(ytr).argmax()).mean()), 4))
        report.setdefault("patches", {"fit": int(cache[sensors[0]][0][1].size), "test": int(cache[sensors[0]][1][1].size)})
        log(f"probe features '{name}' done in {time.time() - t0:.1f}s")
    return report


def beats_baselines(report: dict, model: str = "pretrained", baselines=("random_init", "band_means")) -> dict:
    """{task: {"knn": bool, "linear": bool}}: does `model` beat every baseline on that task?"""
    out = {}
    for task, res in report["tasks"].items():
        out[task] = {m: all(res[model][m] > res[b][m] for b in baselines if b in res) for m in ("knn", "linear")}
    return out


VALIDATION_SEED = 700000  # a second held-out scene set, for choosing between recipes/checkpoints


def evaluate_checkpoint(path: str, cfg: Optional[dict] = None, n_scenes: Optional[int] = None,
                        log: Callable[[str], None] = print, seed: int = PROBE_SEED) -> dict:
    """Probe a checkpoint against a random encoder of the same size and raw band means."""
    from ..model.checkpoint import encoder_from_state_dict, read_card, read_tensors
    from .pretrain import DEFAULT_CONFIG, model_from_config

    cfg = cfg or DEFAULT_CONFIG
    torch.manual_seed(1234)
    tensors, _ = read_tensors(path)
    trained = encoder_from_state_dict(tensors, read_card(path) if str(path).endswith(".safetensors") else {}).eval()
    random_enc = model_from_config(cfg).eval()  # same architecture, MAE initialisation, no training
    ev = cfg.get("eval", {}) if isinstance(cfg, dict) else {}
    window = int(ev.get("window", cfg["train"].get("crop", 96)))
    t0 = time.time()
    report = run_probes({"pretrained": encoder_features(trained, window),
                         "random_init": encoder_features(random_enc, window),
                         "band_means": band_mean_features(trained.patch_size),
                         "spectral_shape": spectral_shape_features(trained.patch_size),
                         "patch_statistics": patch_statistics_features(trained.patch_size)},
                        n_scenes=n_scenes or int(ev.get("scenes", 24)), size=int(ev.get("scene_size", 288)), log=log,
                        seed=seed)
    report["checkpoint"] = str(path)
    report["scene_seed"] = seed
    report["window_px"] = window
    report["beats_baselines"] = beats_baselines(report)
    report["seconds"] = round(time.time() - t0, 1)
    return report
