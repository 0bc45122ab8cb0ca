"""Scores of the real-data probes: standardised features, a cosine kNN vote and a logistic
regression (scikit-learn), balanced accuracy and micro average precision, and their noise (95 %
bootstrap intervals over the test items, paired bootstrap margins between feature sets)."""
from __future__ import annotations

from typing import Callable, Optional

import numpy as np

N_BOOT = 500
MAX_FIT_PIXELS = 6000  # per-pixel kNN: a seeded random subset of the fit pixels (the vote needs no more)


def standardise(fit: np.ndarray, *others: np.ndarray, per_domain: bool = False) -> list[np.ndarray]:
    if per_domain:
        return [standardise(a)[0] for a in (fit,) + others]
    mu, sd = fit.mean(0, keepdims=True), fit.std(0, keepdims=True)
    live = sd > 1e-6
    return [np.where(live, (a - mu) / np.where(live, sd, 1.0), 0.0).astype(np.float32) for a in (fit,) + others]


def _dino_weights(dist: np.ndarray) -> np.ndarray:
    return np.exp((1.0 - dist) / 0.07)  # cosine distance -> exp(similarity / 0.07), as in DINO


def knn_scores(ftr: np.ndarray, ytr: np.ndarray, fte: np.ndarray, k: int, n_classes: int) -> np.ndarray:
    """Class scores of a cosine kNN vote (weights exp(sim / 0.07); scikit-learn KNeighborsClassifier);
    ytr [N] ints -> scores [M, n_classes], or [N, L] multi-hot -> per-label scores [M, L]."""
    from sklearn.neighbors import KNeighborsClassifier

    knn = KNeighborsClassifier(n_neighbors=min(k, len(ftr)), metric="cosine", algorithm="brute", weights=_dino_weights)
    knn.fit(ftr, ytr)
    # Rounded to float32 precision: votes of equal neighbours (e.g. all five with a label) must tie
    # exactly, or the rank metrics (mAP) would order them by rounding noise.
    proba = [np.round(p, 6) for p in knn.predict_proba(fte)] if ytr.ndim > 1 else np.round(knn.predict_proba(fte), 6)
    if ytr.ndim == 1:
        scores = np.zeros((fte.shape[0], n_classes))
        scores[:, knn.classes_] = proba
        return scores
    # Multi-label: one vote per label; a label constant on the fit set scores that constant.
    return np.stack([p[:, list(c).index(1)] if 1 in c else np.zeros(len(fte)) for p, c in zip(proba, knn.classes_)], 1)


def fit_subset(n: int, seed: int = 0) -> np.ndarray:
    """Indices of at most MAX_FIT_PIXELS fit rows (seeded, sorted)."""
    if n <= MAX_FIT_PIXELS:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, MAX_FIT_PIXELS, replace=False))


def linear_predict(ftr: np.ndarray, ytr: np.ndarray, fte: np.ndarray, multilabel: bool = False) -> np.ndarray:
    """Class scores (multi-label: per-class probabilities) of L2-regularised logistic regression."""
    from sklearn.linear_model import LogisticRegression

    if not multilabel:
        clf = LogisticRegression(C=0.1, max_iter=2000, class_weight="balanced")
        clf.fit(ftr, ytr)
        scores = np.zeros((fte.shape[0], int(ytr.max()) + 1))
        scores[:, clf.classes_] = clf.predict_proba(fte)
        return scores
    scores = np.zeros((fte.shape[0], ytr.shape[1]))
    for c in range(ytr.shape[1]):
        pos = ytr[:, c]
        if pos.min() == pos.max():
            scores[:, c] = pos[0]
            continue
        clf = LogisticRegression(C=0.1, max_iter=2000).fit(ftr, pos)
        scores[:, c] = clf.predict_proba(fte)[:, 1]
    return scores


def balanced_accuracy(y: np.ndarray, pred: np.ndarray) -> float:
    """Mean recall over the classes present in y (scikit-learn)."""
    import warnings

    from sklearn.metrics import balanced_accuracy_score

    with warnings.catch_warnings():  # a resample may predict a class it does not contain: ignored, as intended
        warnings.simplefilter("ignore", UserWarning)
        return float(balanced_accuracy_score(y, pred))


def micro_ap(y: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y.ravel(), scores.ravel()))


def bootstrap(metric: Callable, y: np.ndarray, preds: dict, seed: int = 0, groups: Optional[np.ndarray] = None) -> dict:
    """{name: the metric over N_BOOT resamples of the test items} (for intervals and paired margins)."""
    rng = np.random.default_rng(seed)
    n = len(y)
    draws = {k: [] for k in preds}
    for _ in range(N_BOOT):
        idx = rng.integers(0, n, n)
        if y.ndim == 1 and len(np.unique(y[idx])) < 2:
            continue
        for k, p in preds.items():
            draws[k].append(metric(y[idx], p[idx]))
    return {k: np.array(v) for k, v in draws.items()}


def summary(point: float, draws: np.ndarray) -> dict:
    lo, hi = np.percentile(draws, [2.5, 97.5]) if draws.size else (np.nan, np.nan)
    return {"value": round(point, 4), "ci95": [round(float(lo), 4), round(float(hi), 4)]}


def add_scores(section: dict, key: str, metric: Callable, y: np.ndarray, preds: dict) -> None:
    """section[key] = {name: value and 95 % interval of metric(y, prediction)}; the bootstrap draws
    go to section["_draws_" + key] (for the paired margins, dropped from the report)."""
    draws = bootstrap(metric, y, preds)
    section[key] = {k: summary(metric(y, p), draws[k]) for k, p in preds.items()}
    section[f"_draws_{key}"] = draws


def margins(section: dict, model: str, baselines: tuple) -> dict:
    """Paired bootstrap margins of `model` over each baseline, per metric with draws."""
    out = {}
    for key in [k for k in section if k.startswith("_draws_")]:
        draws = section[key]
        metric = key[len("_draws_"):]
        if model not in draws:
            continue
        for b in baselines:
            if b in draws and len(draws[b]) == len(draws[model]):
                d = draws[model] - draws[b]
                point = section[metric][model]["value"] - section[metric][b]["value"]
                out.setdefault(metric, {})[b] = {"margin": round(point, 4),
                                                 "ci95": [round(float(q), 4) for q in np.percentile(d, [2.5, 97.5])]}
    return out

