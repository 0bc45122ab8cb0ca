"""Small classifiers on frozen embeddings (logistic / kNN / MLP), stratified group CV and metrics
(rendered for people by engine.products.classify_report).

numpy + torch only (no scikit-learn). Every classifier standardises its features with the training
mean/std, is deterministic for a given seed, and exposes `scores` (logits for the linear head) and
`predict_proba`. State is plain numpy arrays + JSON parameters so a trained head can be saved.
"""
from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from .errors import JobError

CLASSIFIERS = ("logistic", "knn", "mlp")


def _torch():
    import torch

    return torch


class _few_threads:
    """Run small fits on one torch thread: thread start-up dominates tiny problems (25x on busy CPUs)."""

    def __init__(self, work: float):
        self.small = work < 5e7

    def __enter__(self):
        torch = _torch()
        self.before = torch.get_num_threads()
        if self.small:
            torch.set_num_threads(1)

    def __exit__(self, *exc):
        if self.small:
            _torch().set_num_threads(self.before)


class Classifier:
    """Base: feature standardisation, probability from scores, state round trip."""

    kind = "base"
    linear = False  # True when scores are an affine function of the features

    def __init__(self, seed: int = 0, **params):
        self.seed = int(seed)
        self.params = dict(params)
        self.mean: Optional[np.ndarray] = None
        self.scale: Optional[np.ndarray] = None
        self.n_classes = 0

    # -- standardisation -------------------------------------------------------------------
    def _fit_standardiser(self, x: np.ndarray) -> np.ndarray:
        self.mean = x.mean(axis=0)
        std = x.std(axis=0)
        # Constant features (e.g. a dead embedding channel) would divide by zero.
        self.scale = np.where(std > 1e-8, std, 1.0)
        return self._standardise(x)

    def _standardise(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.scale

    # -- API ---------------------------------------------------------------------------------
    def fit(self, x: np.ndarray, y: np.ndarray, n_classes: Optional[int] = None) -> "Classifier":
        """Train on features x [N, D] and class indices y [N] (0..n_classes-1)."""
        x = np.asarray(x)
        with _few_threads(x.shape[0] * max(x.shape[1], 1) * 128):
            return self._fit(x, np.asarray(y, dtype=np.int64), n_classes)

    def _fit(self, x: np.ndarray, y: np.ndarray, n_classes: Optional[int]) -> "Classifier":
        raise NotImplementedError

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Per-class scores [N, C]; higher means more likely (logits for logistic/MLP)."""
        raise NotImplementedError

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities [N, C]."""
        return softmax(self.scores(x))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Most likely class index per row."""
        return np.argmax(self.scores(x), axis=1)

    def arrays(self) -> dict[str, np.ndarray]:
        """Learned arrays for saving (float32 where exactness is not needed)."""
        return {"mean": self.mean.astype(np.float64), "scale": self.scale.astype(np.float64)}

    def config(self) -> dict:
        """JSON-able description (kind, seed, parameters, classes)."""
        return {"kind": self.kind, "seed": self.seed, "params": self.params, "n_classes": self.n_classes}

    def _load(self, arrays: dict[str, np.ndarray]) -> None:
        self.mean = np.asarray(arrays["mean"], dtype=np.float64)
        self.scale = np.asarray(arrays["scale"], dtype=np.float64)


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable."""
    s = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=1, keepdims=True)


def _class_weights(y: np.ndarray, n_classes: int) -> np.ndarray:
    """Balanced weights n / (C * count) so a rare class is not drowned by a common one."""
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    present = counts > 0
    w = np.zeros(n_classes)
    w[present] = counts.sum() / (present.sum() * counts[present])
    return w


class LogisticClassifier(Classifier):
    """Multinomial logistic regression (linear probe), L2, balanced class weights, L-BFGS."""

    kind = "logistic"
    linear = True

    def __init__(self, seed: int = 0, l2: float = 1.0, max_iter: int = 200, balanced: bool = True):
        super().__init__(seed, l2=float(l2), max_iter=int(max_iter), balanced=bool(balanced))
        self.weight: Optional[np.ndarray] = None  # [C, D] on standardised features
        self.bias: Optional[np.ndarray] = None

    def _fit(self, x, y, n_classes=None):
        torch = _torch()
        y = np.asarray(y, dtype=np.int64)
        self.n_classes = int(n_classes or y.max() + 1)
        xs = torch.from_numpy(self._fit_standardiser(np.asarray(x)))
        yt = torch.from_numpy(y)
        n, d = xs.shape
        cw = torch.from_numpy(_class_weights(y, self.n_classes) if self.params["balanced"] else np.ones(self.n_classes))
        # Zero init + full-batch L-BFGS in float64: the optimum is unique (strictly convex), so the
        # result does not depend on the seed at all.
        w = torch.zeros(self.n_classes, d, dtype=torch.float64, requires_grad=True)
        b = torch.zeros(self.n_classes, dtype=torch.float64, requires_grad=True)
        # sklearn-like scaling: sum of losses + l2/2 |W|^2, divided by n to keep the step sizes sane.
        lam = self.params["l2"] / n
        opt = torch.optim.LBFGS([w, b], lr=1.0, max_iter=self.params["max_iter"], line_search_fn="strong_wolfe",
                                tolerance_grad=1e-7, tolerance_change=1e-10, history_size=20)

        def closure():
            opt.zero_grad()
            logits = xs @ w.T + b
            loss = torch.nn.functional.cross_entropy(logits, yt, weight=cw, reduction="sum") / cw[yt].sum()
            loss = loss + 0.5 * lam * (w * w).sum()
            loss.backward()
            return loss

        opt.step(closure)
        self.weight = w.detach().numpy().copy()
        self.bias = b.detach().numpy().copy()
        return self

    def scores(self, x):
        return self._standardise(x) @ self.weight.T + self.bias

    def arrays(self):
        return {**super().arrays(), "weight": self.weight, "bias": self.bias}

    def _load(self, arrays):
        super()._load(arrays)
        self.weight = np.asarray(arrays["weight"], dtype=np.float64)
        self.bias = np.asarray(arrays["bias"], dtype=np.float64)


class KNNClassifier(Classifier):
    """k nearest neighbours by cosine similarity of standardised features; probability = vote share.

    With balanced=True each vote counts 1 / (samples of its class), so a class with 7 samples is
    not outvoted by a class with 30 among the k=20 neighbours (the same idea as the class weights
    of the logistic and MLP heads).
    """

    kind = "knn"

    def __init__(self, seed: int = 0, k: Optional[int] = None, balanced: bool = True):
        super().__init__(seed, k=None if k is None else int(k), balanced=bool(balanced))
        self.train_x: Optional[np.ndarray] = None
        self.train_y: Optional[np.ndarray] = None

    @property
    def k(self) -> int:
        n = 0 if self.train_y is None else len(self.train_y)
        return max(1, min(self.params["k"] or 20, n))

    @staticmethod
    def _unit(x: np.ndarray) -> np.ndarray:
        return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)

    def _fit(self, x, y, n_classes=None):
        y = np.asarray(y, dtype=np.int64)
        self.n_classes = int(n_classes or y.max() + 1)
        self.train_x = self._unit(self._fit_standardiser(np.asarray(x))).astype(np.float32)
        self.train_y = y
        return self

    def predict_proba(self, x):
        out = np.zeros((len(x), self.n_classes))
        k = self.k
        for start in range(0, len(x), 4096):  # bounded memory: 4096 x N similarities at a time
            q = self._unit(self._standardise(x[start:start + 4096])).astype(np.float32)
            sim = q @ self.train_x.T
            idx = np.argpartition(-sim, k - 1, axis=1)[:, :k] if k < sim.shape[1] else np.argsort(-sim, axis=1)
            votes = self.train_y[idx]
            near_sim = np.take_along_axis(sim, idx, axis=1)
            block = np.zeros((len(q), self.n_classes))
            rows = np.repeat(np.arange(len(q)), idx.shape[1])
            np.add.at(block, (rows, votes.ravel()), self._vote_weight[votes.ravel()])
            # Equal vote counts are broken by the summed similarity (tiny, so shares stay k-based).
            tie = np.zeros_like(block)
            np.add.at(tie, (rows, votes.ravel()), near_sim.ravel().astype(np.float64))
            out[start:start + len(q)] = block + 1e-6 * tie / idx.shape[1]
        return out / out.sum(axis=1, keepdims=True)

    @property
    def _vote_weight(self) -> np.ndarray:
        if not self.params.get("balanced", True):
            return np.ones(self.n_classes)
        return _class_weights(self.train_y, self.n_classes)

    def scores(self, x):
        return self.predict_proba(x)

    def arrays(self):
        return {**super().arrays(), "train_x": self.train_x, "train_y": self.train_y}

    def _load(self, arrays):
        super()._load(arrays)
        self.train_x = np.asarray(arrays["train_x"], dtype=np.float32)
        self.train_y = np.asarray(arrays["train_y"], dtype=np.int64)


class MLPClassifier(Classifier):
    """One hidden layer (ReLU, dropout), AdamW, full batch, balanced class weights, seeded."""

    kind = "mlp"

    def __init__(self, seed: int = 0, hidden: int = 128, epochs: int = 300, lr: float = 3e-3,
                 weight_decay: float = 1e-2, dropout: float = 0.2, balanced: bool = True):
        super().__init__(seed, hidden=int(hidden), epochs=int(epochs), lr=float(lr),
                         weight_decay=float(weight_decay), dropout=float(dropout), balanced=bool(balanced))
        self.layers: dict[str, np.ndarray] = {}

    def _fit(self, x, y, n_classes=None):
        torch = _torch()
        y = np.asarray(y, dtype=np.int64)
        self.n_classes = int(n_classes or y.max() + 1)
        xs = torch.from_numpy(self._fit_standardiser(np.asarray(x)).astype(np.float32))
        yt = torch.from_numpy(y)
        p = self.params
        gen = torch.Generator().manual_seed(self.seed)
        d = xs.shape[1]
        w1 = torch.randn(p["hidden"], d, generator=gen) * math.sqrt(2.0 / d)
        w2 = torch.randn(self.n_classes, p["hidden"], generator=gen) * math.sqrt(1.0 / p["hidden"])
        params = [t.requires_grad_() for t in (w1, torch.zeros(p["hidden"]), w2, torch.zeros(self.n_classes))]
        cw = torch.from_numpy(_class_weights(y, self.n_classes) if p["balanced"] else np.ones(self.n_classes)).float()
        opt = torch.optim.AdamW(params, lr=p["lr"], weight_decay=p["weight_decay"])
        for _ in range(p["epochs"]):
            opt.zero_grad()
            h = torch.relu(xs @ params[0].T + params[1])
            if p["dropout"] > 0:  # dropout mask from our generator, so runs repeat exactly
                keep = (torch.rand(h.shape, generator=gen) >= p["dropout"]).float()
                h = h * keep / (1.0 - p["dropout"])
            loss = torch.nn.functional.cross_entropy(h @ params[2].T + params[3], yt, weight=cw)
            loss.backward()
            opt.step()
        self.layers = {name: t.detach().numpy().astype(np.float64)
                       for name, t in zip(("w1", "b1", "w2", "b2"), params)}
        return self

    def scores(self, x):
        h = np.maximum(self._standardise(x) @ self.layers["w1"].T + self.layers["b1"], 0.0)
        return h @ self.layers["w2"].T + self.layers["b2"]

    def arrays(self):
        return {**super().arrays(), **self.layers}

    def _load(self, arrays):
        super()._load(arrays)
        self.layers = {k: np.asarray(arrays[k], dtype=np.float64) for k in ("w1", "b1", "w2", "b2")}


_KINDS = {"logistic": LogisticClassifier, "knn": KNNClassifier, "mlp": MLPClassifier}


def make_classifier(kind: str = "logistic", seed: int = 0, **params) -> Classifier:
    """A fresh classifier by name: logistic | knn | mlp."""
    if kind not in _KINDS:
        raise JobError(f"Unknown classifier '{kind}'. Choose one of: {', '.join(CLASSIFIERS)}.")
    return _KINDS[kind](seed=seed, **params)


def classifier_from_state(config: dict, arrays: dict[str, np.ndarray]) -> Classifier:
    """Rebuild a trained classifier from config() and arrays()."""
    clf = make_classifier(config["kind"], seed=config.get("seed", 0), **config.get("params", {}))
    clf.n_classes = int(config["n_classes"])
    clf._load(arrays)
    return clf


def fit_classifier(x: np.ndarray, y: np.ndarray, n_classes: int, kind: str = "logistic", seed: int = 0,
                   **params) -> Classifier:
    """Train one classifier on all samples."""
    return make_classifier(kind, seed, **params).fit(np.asarray(x), np.asarray(y), n_classes)


# -- evaluation ------------------------------------------------------------------------------

def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """cm[i, j] = samples of true class i predicted as j."""
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(cm, (np.asarray(y_true, int), np.asarray(y_pred, int)), 1)
    return cm


def metrics_from_confusion(cm: np.ndarray, class_names: Sequence[str]) -> dict:
    """Overall accuracy, kappa, balanced accuracy, macro F1, per-class precision/recall/F1/support."""
    cm = np.asarray(cm, dtype=np.float64)
    total = cm.sum()
    tp = np.diag(cm)
    pred = cm.sum(axis=0)
    true = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(pred > 0, tp / pred, np.nan)
        recall = np.where(true > 0, tp / true, np.nan)
        f1 = np.where((precision + recall) > 0, 2 * precision * recall / (precision + recall), 0.0)
    f1 = np.where(np.isnan(precision) | np.isnan(recall), np.nan, f1)
    oa = float(tp.sum() / total) if total else float("nan")
    pe = float((pred * true).sum() / total ** 2) if total else float("nan")
    kappa = (oa - pe) / (1 - pe) if total and pe < 1 else float("nan")
    tested = true > 0

    def clean(v):
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), 4)

    per_class = {name: {"precision": clean(precision[i]), "recall": clean(recall[i]), "f1": clean(f1[i]),
                        "support": int(true[i])} for i, name in enumerate(class_names)}
    return {
        "overall_accuracy": clean(oa),
        "balanced_accuracy": clean(np.nanmean(recall[tested])) if tested.any() else None,
        "macro_f1": clean(np.nanmean(np.nan_to_num(f1[tested], nan=0.0))) if tested.any() else None,
        "kappa": clean(kappa),
        "per_class": per_class,
        "confusion_matrix": cm.astype(np.int64).tolist(),
        "n_tested": int(total),
    }


def stratified_group_folds(y: np.ndarray, groups: Optional[np.ndarray], n_classes: int, k: int = 5,
                           seed: int = 0) -> tuple[list[np.ndarray], list[int], list[int]]:
    """Test-index arrays for k folds that keep whole groups (label features) together, per class.

    Returns (folds, untestable classes, split classes). A class with a single sample cannot be
    both trained and tested: it never enters a test split (it is always trained on). A class
    whose samples all come from one group (one polygon) has that group split sample by sample
    (its accuracy is then optimistic: neighbouring tokens of one polygon look alike). k shrinks
    to the largest number of groups of any class; each class's groups are spread over the folds.
    """
    y = np.asarray(y)
    groups = np.arange(len(y)) if groups is None else np.asarray(groups)
    rng = np.random.default_rng(seed)
    members: dict[int, list[np.ndarray]] = {}
    untestable, split = [], []
    for c in range(n_classes):
        idx = np.flatnonzero(y == c)
        if len(idx) == 0:
            continue
        if len(idx) == 1:
            untestable.append(c)
            continue
        g = np.unique(groups[idx])
        if len(g) == 1:
            split.append(c)
            members[c] = [np.array([i]) for i in idx]
        else:
            members[c] = [idx[groups[idx] == gid] for gid in g]
    if not members:
        return [], untestable, split
    k = max(2, min(k, max(len(m) for m in members.values())))
    folds: list[list[np.ndarray]] = [[] for _ in range(k)]
    for c, parts in members.items():
        order = rng.permutation(len(parts))
        # Largest groups first (stable on the shuffled order), each to the fold with the fewest
        # samples of this class so far.
        order = sorted(order, key=lambda i: -len(parts[i]))
        load = np.zeros(k)
        start = int(rng.integers(k))  # rotate so small classes do not always land in fold 0
        for i in order:
            f = int(np.argmin(np.roll(load, -start))) + start
            f %= k
            folds[f].append(parts[i])
            load[f] += len(parts[i])
    return [np.sort(np.concatenate(f)) for f in folds if f], untestable, split


def cross_validate(x: np.ndarray, y: np.ndarray, class_names: Sequence[str], kind: str = "logistic",
                   groups: Optional[np.ndarray] = None, folds: int = 5, seed: int = 0, **params) -> dict:
    """Stratified (group) k-fold CV: pooled out-of-fold confusion matrix and metrics, plus warnings."""
    x = np.asarray(x)
    y = np.asarray(y, dtype=np.int64)
    n_classes = len(class_names)
    fold_list, untestable, split = stratified_group_folds(y, groups, n_classes, folds, seed)
    warnings_out = []
    if untestable:
        names = ", ".join(f"'{class_names[c]}'" for c in untestable)
        warnings_out.append(f"Class(es) {names} have a single labelled sample: they are used for training "
                            "but cannot be tested; add more labels for an honest accuracy.")
    if split and groups is not None:
        names = ", ".join(f"'{class_names[c]}'" for c in split)
        warnings_out.append(f"Class(es) {names} are labelled by a single polygon: its tokens were split between "
                            "folds, so their accuracy is optimistic. Label more, separate areas.")
    if not fold_list:
        return {"n_folds": 0, "warnings": warnings_out + ["Not enough labels for cross-validation."],
                "untested_classes": [class_names[c] for c in untestable]}
    pred = np.full(len(y), -1, dtype=np.int64)
    for test in fold_list:
        train = np.setdiff1d(np.arange(len(y)), test)
        clf = make_classifier(kind, seed, **params).fit(x[train], y[train], n_classes)
        pred[test] = clf.predict(x[test])
    tested = pred >= 0
    cm = confusion_matrix(y[tested], pred[tested], n_classes)
    out = metrics_from_confusion(cm, class_names)
    out.update({"n_folds": len(fold_list), "grouped": groups is not None, "warnings": warnings_out,
                "untested_classes": [class_names[c] for c in untestable],
                "single_polygon_classes": [class_names[c] for c in split] if groups is not None else []})
    return out
