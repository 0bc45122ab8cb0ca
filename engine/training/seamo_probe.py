"""Probes for seasonal features on held-out synthetic series (places never used in training).

- seasonal probe: the crop type of crop parcels (four types that differ only by their calendar,
  series_data.CROP_CALENDARS: no single date separates them), from Sentinel-2 tokens of each single
  date vs the series pooled (POOLINGS: concatenated in date order = the product's `seasons` pooling
  with one date per season, concatenated with each date at unit length, mean, mean + std), and the
  SeaMo TM fusion of the series for SeaMo runs;
- cross-date probe: land cover, fit on date i (fit places) and tested on date j (test places);
- per-sensor probes: land cover from Sentinel-2 -> Sentinel-2 and Sentinel-1 -> Sentinel-1 tokens,
  single date, and with the SeaMo fusion of all dates (the multimodal-vs-unimodal comparison).
kNN (k=20, cosine) and a linear probe, both on standardised features (engine.training.probe).
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import torch

from .probe import knn_accuracy, linear_probe_accuracy
from .series_data import SyntheticSeriesDataset
from .synthetic import CLASS_INDEX, NODATA_LABEL

PROBE_SEED = 4242  # series places far from the training seeds (0, 1: places seed * 100003 + i)
IGNORED = {CLASS_INDEX["cloud"], CLASS_INDEX["shadow"]}


def token_labels(labels: np.ndarray, p: int = 16, min_share: float = 0.5) -> np.ndarray:
    """Majority label per p x p patch ([H, W] -> [H/p, W/p]); -1 where no label reaches min_share
    of the patch or the majority is ignored (NODATA_LABEL, clouds, shadows)."""
    h, w = labels.shape[0] // p, labels.shape[1] // p
    blocks = labels[: h * p, : w * p].reshape(h, p, w, p).transpose(0, 2, 1, 3).reshape(h, w, p * p).astype(np.int64)
    out = np.full((h, w), -1, np.int64)
    for i in range(h):
        for j in range(w):
            counts = np.bincount(blocks[i, j], minlength=256)
            c = int(counts.argmax())
            if counts[c] >= min_share * p * p and c != NODATA_LABEL and c not in IGNORED:
                out[i, j] = c
    return out


class SeriesFeatures:
    """Per place, date and sensor: token features [D, gh, gw] of one encoder (cached)."""

    def __init__(self, ds: SyntheticSeriesDataset):
        self.ds = ds

    @torch.no_grad()
    def plain(self, encoder) -> list:
        """feats[place][date][modality] = last-block tokens [N, D] (what the product embeds)."""
        out = []
        for place in self.ds.places:
            per_date = []
            for date in place.images:
                per_mod = []
                for m, img in enumerate(date):
                    x = torch.from_numpy(img.astype(np.float32))[None]
                    _, last = encoder.forward_tokens(encoder.embed_patches(x, self.ds.mixes[m]),
                                                     (x.shape[2] // 16, x.shape[3] // 16))
                    per_mod.append(last[0, 1:].numpy())
                per_date.append(per_mod)
            out.append(per_date)
        return out

    @torch.no_grad()
    def fused(self, model, modalities: list[int]) -> list:
        """feats[place][date][k] = TM-fused tokens [N, D] of modality modalities[k] (all tokens visible)."""
        out = []
        mixes = [self.ds.mixes[m] for m in modalities]
        for place in self.ds.places:
            lat = [model.encode_date([torch.from_numpy(date[m].astype(np.float32))[None] for m in modalities],
                                     mixes, None) for date in place.images]
            fused = model.fusion(lat)
            out.append([[f[0].numpy() for f in date] for date in fused])
        return out

    def band_means(self) -> list:
        out = []
        for place in self.ds.places:
            out.append([[img.astype(np.float32).reshape(img.shape[0], img.shape[1] // 16, 16, img.shape[2] // 16, 16)
                         .mean((2, 4)).reshape(img.shape[0], -1).T for img in date] for date in place.images])
        return out


def _xy(feats, places, labels, pick):
    """Stack features pick(place_feats) [N, F] against labels [N] (>= 0) over the places."""
    xs, ys = [], []
    for i in places:
        x = pick(feats[i])
        y = labels(i).ravel()
        ok = y >= 0
        xs.append(x[ok])
        ys.append(y[ok])
    return np.concatenate(xs).astype(np.float32), np.concatenate(ys)


def _acc(fit, test) -> dict:
    return {"knn": round(knn_accuracy(*fit, *test), 4), "linear": round(linear_probe_accuracy(*fit, *test), 4)}


def _relabel(y_fit, y_test):
    """Class ids -> 0..K-1 (the probes size their outputs by the class list)."""
    classes = np.unique(np.concatenate([y_fit, y_test]))
    lut = {c: i for i, c in enumerate(classes)}
    return np.vectorize(lut.get)(y_fit), np.vectorize(lut.get)(y_test)


def _zscore(fit: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu, sd = fit.mean(0, keepdims=True), fit.std(0, keepdims=True) + 1e-6
    return (fit - mu) / sd, (test - mu) / sd


def _l2(x: np.ndarray) -> np.ndarray:
    return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-6)


def _per_date_l2(fit: list, test: list) -> tuple[np.ndarray, np.ndarray]:
    """Each date standardised (fit-place statistics) and scaled to unit length, then concatenated:
    every date weighs the same in a cosine kNN (its similarity is the mean of per-date similarities)."""
    pairs = [_zscore(a, b) for a, b in zip(fit, test)]
    return (np.concatenate([_l2(a) for a, _ in pairs], 1), np.concatenate([_l2(b) for _, b in pairs], 1))


# Pooling of per-date token features (lists [T] of [N, F], dates in time order) -> (fit, test) [N, F'].
# With one date per season and the dates in one year, season order = date order: `concat` is what the
# product's `seasons` and `concat` poolings give.
POOLINGS = {
    "concat": lambda fit, test: (np.concatenate(fit, 1), np.concatenate(test, 1)),
    "concat_date_l2": _per_date_l2,
    "mean": lambda fit, test: (np.mean(fit, 0), np.mean(test, 0)),
    "mean_std": lambda fit, test: (np.concatenate([np.mean(fit, 0), np.std(fit, 0)], 1),
                                   np.concatenate([np.mean(test, 0), np.std(test, 0)], 1)),
}


def seasonal_probe(feats, ds: SyntheticSeriesDataset, fit: list, test: list, modality: int = 0) -> dict:
    """Crop type (differs only by its calendar) from one date's tokens vs the pooled series."""
    phen = lambda i: token_labels(ds.places[i].phenology)  # noqa: E731
    per_fit = [_xy(feats, fit, phen, lambda f, t=t: f[t][modality]) for t in range(ds.dates)]
    per_test = [_xy(feats, test, phen, lambda f, t=t: f[t][modality]) for t in range(ds.dates)]
    ya, yb = _relabel(per_fit[0][1], per_test[0][1])
    xf, xt = [a[0] for a in per_fit], [b[0] for b in per_test]
    singles = [_acc((a, ya), (b, yb)) for a, b in zip(xf, xt)]
    out = {"single_date": singles,
           "single_date_mean": {k: round(float(np.mean([s[k] for s in singles])), 4) for k in ("knn", "linear")},
           "single_date_best": {k: max(s[k] for s in singles) for k in ("knn", "linear")},
           "pooled": {}, "test_tokens": int(len(yb)), "classes": int(len(np.unique(yb)))}
    for name, pool in POOLINGS.items():
        a, b = pool(xf, xt)
        out["pooled"][name] = _acc((a.astype(np.float32), ya), (b.astype(np.float32), yb))
    return out


def probe_features(feats, ds: SyntheticSeriesDataset, fit: list, test: list) -> dict:
    """All probes of one feature set (feats[place][date][modality] [N, F])."""
    T = ds.dates
    res: dict = {"seasonal": {}, "cross_date": {}, "sensors": {}}

    def task(pick, labels):
        a = _xy(feats, fit, labels, pick)
        b = _xy(feats, test, labels, pick)
        ya, yb = _relabel(a[1], b[1])
        return _acc((a[0], ya), (b[0], yb))

    res["seasonal"] = seasonal_probe(feats, ds, fit, test)
    lc = lambda t: (lambda i: token_labels(ds.places[i].labels[t]))  # noqa: E731
    matrix = {}
    for i in range(T):
        for j in range(T):
            a = _xy(feats, fit, lc(i), lambda f, i=i: f[i][0])
            b = _xy(feats, test, lc(j), lambda f, j=j: f[j][0])
            keep_classes = np.intersect1d(np.unique(a[1]), np.unique(b[1]))
            ka, kb = np.isin(a[1], keep_classes), np.isin(b[1], keep_classes)
            ya, yb = _relabel(a[1][ka], b[1][kb])
            matrix[f"{i}->{j}"] = _acc((a[0][ka], ya), (b[0][kb], yb))
    res["cross_date"]["matrix"] = matrix
    for name, same in (("same_date", True), ("other_date", False)):
        cells = [v for k, v in matrix.items() if (k.split("->")[0] == k.split("->")[1]) == same]
        res["cross_date"][name] = {k: round(float(np.mean([c[k] for c in cells])), 4) for k in ("knn", "linear")}
    n_mod = len(feats[0][0])
    for m, sensor in enumerate(ds.sensors[:n_mod]):
        per = [task(lambda f, t=t, m=m: f[t][m], lc(t)) for t in range(T)]
        res["sensors"][sensor] = {k: round(float(np.mean([p[k] for p in per])), 4) for k in ("knn", "linear")}
        res["sensors"][f"{sensor}_per_date"] = per
    return res


def probe_report(runs: dict, default_model: Optional[str] = "default", n_places: int = 48,
                 size: int = 96, log=print, baselines: bool = True, cache: Optional[str] = None) -> dict:
    """Probes of SeaMo runs {label: run folder}, the engine's default model, a random encoder and band means."""
    from ..model.encoder import SpectralEncoder
    from ..model.vit import Architecture
    from .seamo_train import load_model

    torch.manual_seed(0)
    ds = SyntheticSeriesDataset(n_places, size=size, dates=4, seed=PROBE_SEED, jitter=20, cache=cache)
    fit, test = list(range(n_places // 2)), list(range(n_places // 2, n_places))
    sf = SeriesFeatures(ds)
    report: dict = {"places": {"fit": len(fit), "test": len(test), "size": size, "dates": ds.dates,
                               "sensors": ds.sensors, "seed": PROBE_SEED}, "features": {}}
    if baselines:
        report["features"]["band_means"] = probe_features(sf.band_means(), ds, fit, test)
        log("band means done")
        torch.manual_seed(0)  # the same random encoder whether the held-out places were cached or made now
        rand = SpectralEncoder(Architecture(embed_dim=64, depth=2, num_heads=2, img_size=64))
        rand.init_weights()
        report["features"]["random_init"] = probe_features(sf.plain(rand.eval()), ds, fit, test)
        log("random encoder done")
    if default_model:
        from ..model import load_encoder

        report["features"][f"engine:{default_model}"] = probe_features(sf.plain(load_encoder(default_model).eval()),
                                                                        ds, fit, test)
        log("default model done")
    for label, folder in runs.items():
        model, meta = load_model(folder)
        mods = meta["config"]["data"].get("modalities")
        idx = [ds.sensors.index(s) for s in mods] if mods else list(range(len(ds.sensors)))
        entry = probe_features(sf.plain(model.encoder), ds, fit, test)
        fused = sf.fused(model, idx)
        # fused[place][date][k] for the run's modalities, laid out per dataset modality
        layout = [[[f[d][idx.index(m)] if m in idx else None for m in range(len(ds.sensors))]
                   for d in range(ds.dates)] for f in fused]
        last = ds.dates - 1
        phen = lambda i: token_labels(ds.places[i].phenology)  # noqa: E731
        fusion = {}
        for m in idx:
            lc_last = (lambda i: token_labels(ds.places[i].labels[last]))
            a = _xy(layout, fit, lc_last, lambda f, m=m: f[last][m])
            b = _xy(layout, test, lc_last, lambda f, m=m: f[last][m])
            ya, yb = _relabel(a[1], b[1])
            fusion[f"land_cover_{ds.sensors[m]}_last_date"] = _acc((a[0], ya), (b[0], yb))
        if 0 in idx:
            # what the product's `fusion` pooling gives (fused tokens of the last date), and the fused
            # tokens of every date side by side
            a = _xy(layout, fit, phen, lambda f: f[last][0])
            b = _xy(layout, test, phen, lambda f: f[last][0])
            ya, yb = _relabel(a[1], b[1])
            fusion["seasonal_fused_last_date"] = _acc((a[0], ya), (b[0], yb))
            a = _xy(layout, fit, phen, lambda f: np.concatenate([f[t][0] for t in range(ds.dates)], 1))
            b = _xy(layout, test, phen, lambda f: np.concatenate([f[t][0] for t in range(ds.dates)], 1))
            fusion["seasonal_fused_concat"] = _acc((a[0], ya), (b[0], yb))
        entry["fusion"] = fusion
        entry["run"] = {"folder": str(folder), "modalities": [ds.sensors[m] for m in idx],
                        "aligned": meta["config"]["train"]["aligned"], "seed": meta["config"]["train"]["seed"],
                        "steps": {"stage1": meta["config"]["train"]["stage1_steps"],
                                  "stage2": meta["progress"]["step"] if meta["progress"]["stage"] == 2
                                  else meta["config"]["train"]["stage2_steps"]},
                        "finished": meta["progress"]["stage"] > 2, "train_seconds": round(meta["progress"]["seconds"])}
        report["features"][label] = entry
        log(f"{label} done")
    return report


def merge_reports(reports: list) -> dict:
    """One report from several probe runs on the same held-out places (features side by side)."""
    out = {"places": reports[0]["places"], "features": {}}
    for r in reports:
        if r["places"] != out["places"]:
            raise ValueError("probe reports of different held-out places cannot be merged")
        out["features"].update(r["features"])
    return out


def _cell(d: Optional[dict]) -> str:
    return f"{d['knn']:.3f} / {d['linear']:.3f}" if d else "-"


def _last(entry: dict, sensor: str) -> str:
    per = entry["sensors"].get(f"{sensor}_per_date")
    return _cell(per[-1]) if per else "-"


SEASON_NAMES = ("spring", "summer", "autumn", "winter")
POOLING_LABELS = {"concat": "concat", "concat_date_l2": "concat, per-date L2", "mean": "mean", "mean_std": "mean + std"}


def report_markdown(report: dict) -> str:
    """The probe tables as Markdown (kNN / linear accuracy in every cell)."""
    f = report["features"]
    pl = report["places"]
    dates = [SEASON_NAMES[t % 4] for t in range(pl["dates"])]
    pools = list(POOLING_LABELS)
    any_s = next(iter(f.values()))["seasonal"]
    lines = [f"Held-out synthetic series: {pl['fit']} fit + {pl['test']} test places, {pl['dates']} dates (one per "
             f"season), {pl['size']} px; crop type from Sentinel-2 tokens ({any_s.get('classes', '?')} types, "
             f"{any_s.get('test_tokens', '?')} test tokens). Cells: kNN / linear accuracy.", "",
             "| features | " + " | ".join(dates) + " | best single date | "
             + " | ".join(f"series: {POOLING_LABELS[p]}" for p in pools) + " | SeaMo fusion, last date | SeaMo fusion, concat |",
             "|---|" + "---|" * (len(dates) + 1 + len(pools) + 2)]
    for name, e in f.items():
        s, fu = e["seasonal"], e.get("fusion", {})
        lines.append(f"| {name} | " + " | ".join(_cell(c) for c in s["single_date"]) + f" | {_cell(s['single_date_best'])} | "
                     + " | ".join(_cell(s["pooled"].get(p)) for p in pools)
                     + f" | {_cell(fu.get('seasonal_fused_last_date'))} | {_cell(fu.get('seasonal_fused_concat'))} |")
    lines += ["", "Land cover: cross-date (fit on date i, test on date j; same date vs other dates, mean over pairs) "
              "and per sensor (mean over dates).", "",
              "| features | cross-date same | cross-date other | S2 -> S2 | S1 -> S1 |", "|---|---|---|---|---|"]
    for name, e in f.items():
        cd, se = e["cross_date"], e["sensors"]
        lines.append(f"| {name} | {_cell(cd['same_date'])} | {_cell(cd['other_date'])} | "
                     f"{_cell(se.get('sentinel2_l2a'))} | {_cell(se.get('sentinel1_grd'))} |")
    runs = {k: v for k, v in f.items() if "run" in v}
    if runs:
        lines += ["", "Land cover on the last date (winter), the run's own encoder: its tokens of that date alone "
                  "(single) vs the TM fusion of the series up to that date (fused).", "",
                  "| SeaMo run | modalities | crops | seed | steps (stage 1 + 2) | S2 single | S2 fused | S1 single | S1 fused |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for name, e in runs.items():
            r, fu = e["run"], e["fusion"]
            lines.append(f"| {name} | {'+'.join(r['modalities'])} | {'same location' if r['aligned'] else 'non-aligned [0.5, 1]'} "
                         f"| {r['seed']} | {r['steps']['stage1']} + {r['steps']['stage2']} | "
                         f"{_last(e, 'sentinel2_l2a')} | {_cell(fu.get('land_cover_sentinel2_l2a_last_date'))} | "
                         f"{_last(e, 'sentinel1_grd')} | {_cell(fu.get('land_cover_sentinel1_grd_last_date'))} |")
    return "\n".join(lines) + "\n"
