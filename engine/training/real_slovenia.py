"""Real-data probe (a): Slovenia Sentinel-2 L1C land cover (s2_l1c_slovenia, 5 dates, per-pixel labels).

Fit on the west half, test on the east half, all dates pooled. Per pixel: kNN (k=20, fit on a seeded
random MAX_FIT_PIXELS of the west pixels), on each feature set and on raw bands + each encoder's
embeddings. Per 16x16 patch (majority label, tilings shifted by 0/8 px, patches lying wholly on one
side): kNN and a linear probe. Balanced accuracy. An evaluation set only: never train on it.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..products.features import combine_blocks
from .real_features import Featurizer
from .real_scores import add_scores, balanced_accuracy, fit_subset, knn_scores, linear_predict, standardise
from .realdata import load_image

SLOVENIA_DIR = "realdata/s2_l1c_slovenia"


def slovenia_land_cover(shared: Path, featurizers: list[Featurizer], normalization: dict, log) -> dict:
    """The "slovenia" section of the real-data report."""
    from osgeo import gdal

    folder = shared / SLOVENIA_DIR
    labels = gdal.Open(str(folder / "LULC_labels.tif")).ReadAsArray().astype(np.int64)
    dates = sorted(folder.glob("S2_L1C_slovenia_*_13b.tif"))
    imgs = [load_image(p, "sentinel2_l1c", normalization) for p in dates]
    h, w = labels.shape
    mid = w // 2
    classes = sorted(int(c) for c in np.unique(labels) if c != 0)
    lab_idx = np.full(labels.max() + 1, -1)
    lab_idx[classes] = np.arange(len(classes))
    y = lab_idx[labels]
    # per-pixel sets
    ok = (y >= 0)
    fit_px, test_px = ok & (np.arange(w)[None, :] < mid), ok & (np.arange(w)[None, :] >= mid)
    # per-patch sets: 16x16 patches of tilings shifted by 0/8 px, wholly west or wholly east
    patch_sets = []
    for oy in (0, 8):
        for ox in (0, 8):
            gh, gw = (h - oy) // 16, (w - ox) // 16
            for i in range(gh):
                for j in range(gw):
                    blk = y[oy + 16 * i: oy + 16 * i + 16, ox + 16 * j: ox + 16 * j + 16]
                    known = blk[blk >= 0]
                    if known.size < 128:
                        continue
                    x0, x1 = ox + 16 * j, ox + 16 * j + 16
                    side = "fit" if x1 <= mid else ("test" if x0 >= mid else None)
                    if side:
                        patch_sets.append((oy, ox, i, j, int(np.bincount(known).argmax()), side))
    res: dict = {"classes": classes, "dates": [p.name for p in dates],
                 "pixels": {"fit": int(fit_px.sum()) * len(dates), "test": int(test_px.sum()) * len(dates)},
                 "patches": {"fit": sum(s[-1] == "fit" for s in patch_sets) * len(dates),
                             "test": sum(s[-1] == "test" for s in patch_sets) * len(dates)}}
    pix, pat = {}, {}
    for fz in featurizers:
        fp_fit, fp_test, fq_fit, fq_test = [], [], [], []
        for im in imgs:
            x = im.data.astype(np.float32)
            f = fz.pixels(x, im.bands, im.mixes)
            fp_fit.append(f[:, fit_px].T)
            fp_test.append(f[:, test_px].T)
            cache = {}
            for oy, ox, i, j, lab, side in patch_sets:
                if (oy, ox) not in cache:
                    cache[(oy, ox)] = fz.patches(x[:, oy:, ox:], im.bands, im.mixes)
                (fq_fit if side == "fit" else fq_test).append(cache[(oy, ox)][:, i, j])
        pix[fz.name] = (np.concatenate(fp_fit), np.concatenate(fp_test))
        pat[fz.name] = (np.stack(fq_fit), np.stack(fq_test))
    ypx_fit = np.tile(y[fit_px], len(imgs))
    ypx_test = np.tile(y[test_px], len(imgs))
    ypt_fit = np.array([s[4] for s in patch_sets if s[-1] == "fit"] * len(imgs))
    ypt_test = np.array([s[4] for s in patch_sets if s[-1] == "test"] * len(imgs))
    nc = len(classes)
    # per pixel: kNN on each feature set, and raw bands + each encoder's embeddings
    combos = {f"raw_bands+{fz.name}": (pix["raw_bands"], pix[fz.name]) for fz in featurizers if fz.encoder is not None}
    preds_px = {}
    for name, (a, b) in list(pix.items()) + list(combos.items()):
        if isinstance(a, np.ndarray):
            ftr, fte = standardise(a, b)
        else:
            ftr, fte = combine_blocks([standardise(*a), standardise(*b)])
        sub = fit_subset(len(ypx_fit))
        preds_px[name] = knn_scores(ftr[sub], ypx_fit[sub], fte, 20, nc).argmax(1)
    add_scores(res, "per_pixel_knn", balanced_accuracy, ypx_test, preds_px)
    for probe in ("knn", "linear"):
        preds = {}
        for name, (a, b) in pat.items():
            ftr, fte = standardise(a, b)
            s = knn_scores(ftr, ypt_fit, fte, 20, nc) if probe == "knn" else linear_predict(ftr, ypt_fit, fte)
            preds[name] = s.argmax(1)
        add_scores(res, f"per_patch_{probe}", balanced_accuracy, ypt_test, preds)
    log("probe slovenia done")
    return res

