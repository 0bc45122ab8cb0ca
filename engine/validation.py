"""Honest accuracy for a classifier head: stratified group k-fold CV and the usual metrics (scikit-learn).

Folds are scikit-learn's StratifiedGroupKFold, so the tokens of one labelled polygon never sit on
both sides of a split. Two label situations get special handling first: a class with a single
sample is always trained on and never tested, and a class drawn as a single polygon has that
polygon's tokens split sample by sample (its accuracy is then optimistic; the report says so).
"""
from __future__ import annotations

import math
import warnings
from typing import Optional, Sequence

import numpy as np

from .classifiers import make_classifier


def stratified_group_folds(y: np.ndarray, groups: Optional[np.ndarray], n_classes: int, k: int = 5,
                           seed: int = 0) -> tuple[list[np.ndarray], list[int], list[int]]:
    """Test-index arrays of k stratified folds that keep whole groups (label features) together.

    Returns (folds, untestable classes, split classes). k shrinks to the largest number of groups
    of any class (and at least 2).
    """
    from sklearn.model_selection import StratifiedGroupKFold

    y = np.asarray(y, dtype=np.int64)
    groups = np.arange(len(y)) if groups is None else np.asarray(groups)
    groups = np.unique(groups, return_inverse=True)[1].astype(np.int64)  # 0..G-1
    untestable, split = [], []
    testable = np.zeros(len(y), bool)
    groups_per_class = []
    for c in range(n_classes):
        idx = np.flatnonzero(y == c)
        if len(idx) == 1:
            untestable.append(c)
            continue
        if len(idx) == 0:
            continue
        testable[idx] = True
        if len(np.unique(groups[idx])) == 1:
            split.append(c)
            groups[idx] = groups.max() + 1 + np.arange(len(idx))  # each token its own group
        groups_per_class.append(len(np.unique(groups[idx])))
    if not groups_per_class:
        return [], untestable, split
    k = max(2, min(k, max(groups_per_class)))
    sel = np.flatnonzero(testable)
    k = min(k, len(np.unique(groups[sel])))
    if k < 2:
        return [], untestable, split
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*least populated class.*")
        folds = [np.sort(sel[test]) for _, test in splitter.split(sel, y[sel], groups[sel])]
    return [f for f in folds if len(f)], untestable, split


def _clean(v) -> Optional[float]:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), 4)


def metrics(y_true: np.ndarray, y_pred: np.ndarray, class_names: Sequence[str]) -> dict:
    """Overall accuracy, kappa, balanced accuracy, macro F1 (tested classes), per-class table, confusion matrix."""
    from sklearn.metrics import (accuracy_score, balanced_accuracy_score, classification_report,
                                 cohen_kappa_score, confusion_matrix, f1_score)

    labels = list(range(len(class_names)))
    y_true, y_pred = np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)
    cm = confusion_matrix(y_true, y_pred, labels=labels)
    tested = sorted(set(y_true.tolist()))
    if not len(y_true):
        return {"overall_accuracy": None, "balanced_accuracy": None, "macro_f1": None, "kappa": None,
                "per_class": {n: {"precision": None, "recall": None, "f1": None, "support": 0} for n in class_names},
                "confusion_matrix": cm.tolist(), "n_tested": 0}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(y_pred contains classes|ill-defined).*")
        table = classification_report(y_true, y_pred, labels=labels, target_names=list(class_names),
                                      output_dict=True, zero_division=np.nan)
        kappa = cohen_kappa_score(y_true, y_pred, labels=labels) if len(set(y_true) | set(y_pred)) > 1 else math.nan
        out = {"overall_accuracy": _clean(accuracy_score(y_true, y_pred)),
               "balanced_accuracy": _clean(balanced_accuracy_score(y_true, y_pred)),
               "macro_f1": _clean(f1_score(y_true, y_pred, labels=tested, average="macro", zero_division=0)),
               "kappa": _clean(kappa)}
    out["per_class"] = {n: {"precision": _clean(table[n]["precision"]) if table[n]["support"] else None,
                            "recall": _clean(table[n]["recall"]) if table[n]["support"] else None,
                            "f1": _clean(table[n]["f1-score"]) if table[n]["support"] else None,
                            "support": int(table[n]["support"])} for n in class_names}
    out["confusion_matrix"] = cm.astype(np.int64).tolist()
    out["n_tested"] = int(len(y_true))
    return out


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
    out = metrics(y[tested], pred[tested], class_names)
    out.update({"n_folds": len(fold_list), "grouped": groups is not None, "warnings": warnings_out,
                "untested_classes": [class_names[c] for c in untestable],
                "single_polygon_classes": [class_names[c] for c in split] if groups is not None else []})
    return out
