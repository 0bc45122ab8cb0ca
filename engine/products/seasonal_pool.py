"""From per-date embeddings rasters (one series, one grid) to seasonal embeddings and a change profile.

All functions stream token rows of the T per-date rasters together (never the whole series in
memory). A token that is nodata on a date (cloud mask, fill, outside a date's footprint) is left
out of that date's share; a place with no valid date at all stays nodata.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

import numpy as np

from ..raster.writer import GeoTiffWriter
from ..series import SEASON_NAMES, SeriesDate, season_of
from .tokens import iter_token_rows, l2_normalize

POOLING_HELP = {
    "seasons": "mean embedding of each season (Dec-Feb, Mar-May, Jun-Aug, Sep-Nov), concatenated (4 x D); "
               "a season without a clear date takes the mean of all dates",
    "mean": "mean of the per-date embeddings (D)",
    "concat": "per-date embeddings in date order, concatenated (T x D); a date without data takes the mean",
    "concat_unit": "per-date embeddings each scaled to unit length, then concatenated in date order (T x D): every "
                   "date weighs the same in distances (clusters, kNN); a date without data takes the mean, scaled",
    "fusion": "the model's SeaMo temporal-multimodal fusion over the dates (D; models trained with it only)",
}


def _rows(paths: Sequence[str], cancel):
    """Zip the token rows of every per-date raster: (y, tokens [T, n, W, D], valid [T, n, W])."""
    iters = [iter_token_rows(p, cancel=cancel if i == 0 else None) for i, p in enumerate(paths)]
    for parts in zip(*iters):
        y = parts[0][0]
        yield y, np.stack([p[1] for p in parts]), np.stack([p[2] for p in parts])


def _masked_mean(tokens: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean over axis 0 of tokens [T, ..., D] where valid [T, ...]; (mean, count)."""
    w = valid.astype(np.float32)[..., None]
    count = w.sum(0)
    total = np.where(w > 0, tokens, 0.0).sum(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    return mean.astype(np.float32), count[..., 0]


def pooled_dim(pooling: str, n_dates: int, dim: int) -> int:
    """Number of bands the seasonal embeddings have."""
    return {"seasons": 4 * dim, "concat": n_dates * dim, "concat_unit": n_dates * dim}.get(pooling, dim)


def pooled_descriptions(pooling: str, dates: Sequence[SeriesDate], dim: int) -> list[str]:
    """Band names of the seasonal embeddings raster."""
    if pooling == "seasons":
        return [f"{SEASON_NAMES[s].split(' ')[0]} embedding {i + 1}" for s in range(4) for i in range(dim)]
    if pooling in ("concat", "concat_unit"):
        unit = " (unit length)" if pooling == "concat_unit" else ""
        return [f"{d.iso} embedding {i + 1}{unit}" for d in dates for i in range(dim)]
    return [f"seasonal embedding {i + 1}" for i in range(dim)]


def pool_rows(tokens: np.ndarray, valid: np.ndarray, pooling: str, dates: Sequence[SeriesDate]) -> np.ndarray:
    """Seasonal embeddings [n, W, D'] of one block of token rows (NaN where no date is valid)."""
    mean, count = _masked_mean(tokens, valid)
    none = count == 0
    if pooling == "mean":
        out = mean
    elif pooling == "seasons":
        seasons = np.array([season_of(d.day_of_year) for d in dates])
        parts = []
        for s in range(4):
            sel = seasons == s
            if sel.any():
                m, c = _masked_mean(tokens[sel], valid[sel])
                parts.append(np.where(c[..., None] > 0, m, mean))
            else:
                parts.append(mean)
        out = np.concatenate(parts, axis=-1)
    elif pooling in ("concat", "concat_unit"):
        # concat_unit: each date's block (the mean where that date has no data) scaled to unit length, so
        # a date with larger embeddings does not dominate distances (docs/SEASONAL.md, pooling probe).
        scale = l2_normalize if pooling == "concat_unit" else (lambda x: x)
        out = np.concatenate([scale(np.where(valid[t][..., None], tokens[t], mean)) for t in range(len(tokens))],
                             axis=-1)
    else:
        raise ValueError(f"pool_rows does not do '{pooling}' pooling")
    out = np.array(out, np.float32)
    out[none] = np.nan
    return out


def write_seasonal(paths: Sequence[str], dates: Sequence[SeriesDate], pooling: str, out_path: str, grid: dict,
                   metadata: dict, cancel: Optional[Callable[[], bool]] = None, dtype: str = "float32") -> dict:
    """Write the seasonal embeddings of per-date rasters `paths` (date order); returns a report.

    grid: width, height, geotransform, crs_wkt, embed_dim of the per-date rasters.
    """
    dim = int(grid["embed_dim"])
    bands = pooled_dim(pooling, len(paths), dim)
    clear = np.zeros(len(paths), np.int64)
    valid_places = 0
    meta = dict(metadata)
    meta.update({"SMARTIES_PRODUCT": "seasonal_embeddings", "SMARTIES_SEASONAL_POOLING": pooling,
                 "SMARTIES_DATES": [d.iso for d in dates]})
    with GeoTiffWriter(out_path, grid["width"], grid["height"], bands, dtype, grid["geotransform"], grid["crs_wkt"],
                       nodata=float("nan"), descriptions=pooled_descriptions(pooling, dates, dim), metadata=meta,
                       block=64 if bands > 16 else 256) as w:
        for y, tokens, valid in _rows(paths, cancel):
            out = pool_rows(tokens, valid, pooling, dates)
            clear += valid.reshape(len(paths), -1).sum(1)
            valid_places += int(valid.any(0).sum())
            w.write_rows(np.moveaxis(out, -1, 0), y)
        w.commit()
    return {"pooling": pooling, "bands": bands, "valid_tokens": valid_places,
            "clear_tokens_per_date": {d.iso: int(c) for d, c in zip(dates, clear)}}


def write_change_profile(paths: Sequence[str], dates: Sequence[SeriesDate], out_path: str, grid: dict,
                         metadata: dict, cancel: Optional[Callable[[], bool]] = None) -> dict:
    """Cosine distance of every date (from the second on) to the previous date with data at that place.

    One float32 band per date after the first, in date order (band k = date k+1); NaN where the date
    has no data or no earlier date does. Returns the mean distance per date (the series' profile).
    """
    n = len(paths)
    meta = dict(metadata)
    meta.update({"SMARTIES_PRODUCT": "change_profile", "SMARTIES_DATES": [d.iso for d in dates]})
    sums, counts = np.zeros(n - 1), np.zeros(n - 1, np.int64)
    with GeoTiffWriter(out_path, grid["width"], grid["height"], n - 1, "float32", grid["geotransform"],
                       grid["crs_wkt"], nodata=float("nan"), metadata=meta,
                       descriptions=[f"{d.iso} vs previous date" for d in dates[1:]]) as w:
        for y, tokens, valid in _rows(paths, cancel):
            unit = l2_normalize(tokens)
            last = np.where(valid[0][..., None], unit[0], np.nan)
            out = np.full((n - 1,) + valid.shape[1:], np.nan, np.float32)
            for t in range(1, n):
                has_prev = np.isfinite(last).all(-1)
                ok = valid[t] & has_prev
                dist = 1.0 - np.clip((unit[t] * np.nan_to_num(last)).sum(-1), -1, 1)
                out[t - 1][ok] = dist[ok]
                sums[t - 1] += float(dist[ok].sum())
                counts[t - 1] += int(ok.sum())
                last = np.where(valid[t][..., None], unit[t], last)
            w.write_rows(out, y)
        w.commit()
    profile = [float(s / c) if c else None for s, c in zip(sums, counts)]
    return {"dates": [d.iso for d in dates[1:]], "mean_distance": profile, "valid_tokens": counts.tolist()}
