"""Real-data probe (c): Landsat-8 SR Porto Velho points (realdata/l8_sr_brazil, 91 labelled points, 4 classes).

5-fold stratified cross-validation repeated over 5 seeds; kNN (k=5) and linear, on each feature set
and on raw bands + each encoder's embeddings; balanced accuracy, the spread over the seeds as noise.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..products.features import combine_blocks
from .real_features import Featurizer
from .real_scores import balanced_accuracy, knn_scores, linear_predict, standardise
from .realdata import load_image

BRAZIL_DIR = "realdata/l8_sr_brazil"
BRAZIL_BANDS = ["landsat8:B2", "landsat8:B3", "landsat8:B4", "landsat8:B5", "landsat8:B6", "landsat8:B7"]


def porto_velho_points(shared: Path, featurizers: list[Featurizer], normalization: dict, log) -> dict:
    """The "l8_sr_brazil" section of the real-data report."""
    from osgeo import ogr
    from sklearn.model_selection import StratifiedKFold

    folder = shared / BRAZIL_DIR
    # Surface reflectance, not the Landsat-8 L1 DN the card's real-data statistics describe: the
    # scene's own statistics (what `--normalization raster` does at inference).
    img = load_image(next(folder.glob("LC08_*.tif")), "landsat8", {}, bands=BRAZIL_BANDS)
    gt = img.grid[0]
    ds = ogr.Open(str(folder / "endmembers.shp"))
    pts, ys = [], []
    for feat in ds.GetLayer():
        g = feat.GetGeometryRef()
        col, row = int((g.GetX() - gt[0]) / gt[1]), int((g.GetY() - gt[3]) / gt[5])
        if 0 <= row < img.data.shape[1] and 0 <= col < img.data.shape[2] and img.valid[row, col]:
            pts.append((row, col))
            ys.append(int(feat.GetField("class")))
    y = np.array(ys)
    rr, cc = np.array([p[0] for p in pts]), np.array([p[1] for p in pts])
    x = img.data.astype(np.float32)
    feats = {fz.name: fz.pixels(x, img.bands, img.mixes)[:, rr, cc].T for fz in featurizers}
    combos = {f"raw_bands+{fz.name}": (feats["raw_bands"], feats[fz.name]) for fz in featurizers if fz.encoder is not None}
    res: dict = {"points": len(y), "classes": sorted(set(ys)), "protocol": "5-fold stratified CV x 5 seeds"}
    for probe in ("knn", "linear"):
        scores: dict = {}
        for seed in range(5):
            for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(y, y):
                for name, f in list(feats.items()) + list(combos.items()):
                    if isinstance(f, tuple):
                        a = standardise(f[0][tr], f[0][te])
                        b = standardise(f[1][tr], f[1][te])
                        ftr, fte = combine_blocks([a, b])
                    else:
                        ftr, fte = standardise(f[tr], f[te])
                    s = knn_scores(ftr, y[tr], fte, 5, int(y.max()) + 1) if probe == "knn" else linear_predict(ftr, y[tr], fte)
                    scores.setdefault(name, {}).setdefault(seed, []).append((y[te], s.argmax(1)))
        out = {}
        for name, by_seed in scores.items():
            vals = [balanced_accuracy(np.concatenate([a for a, _ in v]), np.concatenate([b for _, b in v]))
                    for v in by_seed.values()]
            out[name] = {"value": round(float(np.mean(vals)), 4), "sd_over_seeds": round(float(np.std(vals)), 4)}
        res[f"points_{probe}"] = out
    log("probe brazil done")
    return res

