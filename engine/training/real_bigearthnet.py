"""Real-data probe (b): BigEarthNet v2 (realdata_train/bigearthnet_v2, 19-class multi-label per 120x120 patch).

The mean of the patch tokens per patch; micro average precision of a kNN (k=5) and a one-vs-rest
linear probe, for Sentinel-2, Sentinel-1, and Sentinel-2 -> Sentinel-1 transfer. Test: fit on the
train+validation splits, test on the test split; validation: fit on train, test on validation.
Outside validation also the held-out patches estimate (`bigearthnet_heldout`).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .real_features import Featurizer
from .real_scores import add_scores, knn_scores, linear_predict, micro_ap, standardise
from .realdata import load_image

BEN_DIR = "realdata_train/bigearthnet_v2"


def ben_heldout_patches(shared: Path) -> list[str]:
    """Names of the BigEarthNet v2 patches of the validation and test splits (kept out of pretraining)."""
    out = []
    for lab in sorted((shared / BEN_DIR).glob("*/labels.json")):
        if json.loads(lab.read_text()).get("split") in ("validation", "test"):
            out.append(lab.parent.name)
    return out


def bigearthnet_labels(shared: Path, featurizers: list[Featurizer], normalization: dict, validation: bool, log) -> dict:
    """The "bigearthnet" section of the real-data report."""
    folder = shared / BEN_DIR
    rows = []
    for lab in sorted(folder.glob("*/labels.json")):
        meta = json.loads(lab.read_text())
        rows.append((lab.parent, meta["split"], np.array(meta["multi_hot_19"], np.int64)))
    fit_splits, test_split = (("train",), "validation") if validation else (("train", "validation"), "test")
    fit = [r for r in rows if r[1] in fit_splits]
    test = [r for r in rows if r[1] == test_split]
    s2 = {r[0]: load_image(r[0] / "s2.tif", "sentinel2_l2a", normalization) for r in fit + test}
    s1 = {r[0]: load_image(r[0] / "s1.tif", "sentinel1_grd", normalization) for r in fit + test}
    yfit, ytest = np.stack([r[2] for r in fit]), np.stack([r[2] for r in test])
    res: dict = {"fit_patches": len(fit), "test_patches": len(test), "fit_splits": list(fit_splits),
                 "test_split": test_split, "labels_in_test": int(ytest.sum())}
    tasks = {"sentinel2": ("s2", "s2"), "sentinel1": ("s1", "s1"), "transfer sentinel2 -> sentinel1": ("s2", "s1")}
    feats = {}
    for fz in featurizers:
        for key, imgs in (("s2", s2), ("s1", s1)):
            def f(rs):
                return np.stack([fz.pooled(imgs[r[0]].data.astype(np.float32), imgs[r[0]].bands, imgs[r[0]].mixes)
                                 for r in rs])
            feats[(fz.name, key)] = (f(fit), f(test))
    for task, (kf, kt) in tasks.items():
        for probe in ("knn", "linear"):
            preds = {}
            for fz in featurizers:
                ftr, fte = standardise(feats[(fz.name, kf)][0], feats[(fz.name, kt)][1], per_domain=kf != kt)
                preds[fz.name] = (knn_scores(ftr, yfit, fte, 5, yfit.shape[1]) if probe == "knn"
                                  else linear_predict(ftr, yfit, fte, multilabel=True))
            add_scores(res, f"{task} ({probe}, micro mAP)", micro_ap, ytest, preds)
    if not validation:
        res.update(bigearthnet_heldout(rows, featurizers, feats, fit, test, tasks))
    log("probe bigearthnet done")
    return res


def bigearthnet_heldout(rows: list, featurizers: list[Featurizer], feats: dict, fit: list, test: list,
                        tasks: dict, probes: tuple = ("knn", "linear")) -> dict:
    """A less noisy second estimate: every patch that pretraining never saw (the validation and test
    splits, 16 patches) is predicted in turn by a probe fitted on all 23 other patches (leave one
    patch out; the train-split patches, seen in pretraining, are only ever fitted on). Micro mAP over
    the 16 predictions with bootstrap intervals over patches. The validation patches also chose the
    checkpoint, so read the test-split rows as the untouched estimate and these as the tighter one."""
    order = fit + test
    held = [i for i, r in enumerate(order) if r[1] in ("validation", "test")]
    y = np.stack([r[2] for r in order])
    out: dict = {"heldout_patches": len(held)}
    for task, (kf, kt) in tasks.items():
        for probe in probes:
            preds = {}
            for fz in featurizers:
                a = np.concatenate(feats[(fz.name, kf)])
                b = np.concatenate(feats[(fz.name, kt)])
                rows_out = []
                for i in held:
                    tr = np.array([j for j in range(len(order)) if j != i])
                    if kf == kt:
                        ftr, fte = standardise(a[tr], b[[i]])
                    else:  # each sensor standardised with its own statistics (the held-out target set)
                        ftr = standardise(a[tr])[0]
                        fte = standardise(b[held])[0][[held.index(i)]]
                    rows_out.append(knn_scores(ftr, y[tr], fte, 5, y.shape[1]) if probe == "knn"
                                    else linear_predict(ftr, y[tr], fte, multilabel=True))
                preds[fz.name] = np.concatenate(rows_out)
            add_scores(out, f"heldout16 {task} ({probe}, micro mAP)", micro_ap, y[held], preds)
    return out

