"""What goes into a classifier: embeddings alone, or raw bands + embeddings side by side.

Each block (e.g. 17 spectral-layer values of the raw bands, 192 embedding dimensions) is first
standardised, then divided by the square root of its width, so that every block carries the same
total variance: a wide embedding does not drown a few bands in distance-based classifiers (kNN,
clustering), and a linear model sees each block on the same footing.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np


def combine_blocks(blocks: Sequence[Sequence[np.ndarray]]) -> list[np.ndarray]:
    """Join standardised feature blocks column-wise with equal total variance per block.

    blocks: one entry per block, each a list of arrays [N_i, D_block] (e.g. [fit, test]) that are
    already standardised with the fit set's statistics. Returns one [N_i, sum D] array per set.
    """
    if not blocks:
        raise ValueError("combine_blocks needs at least one block of features")
    n_sets = len(blocks[0])
    if any(len(b) != n_sets for b in blocks):
        raise ValueError("every block must give the same number of sets (e.g. fit and test)")
    out = []
    for s in range(n_sets):
        parts = [np.asarray(b[s], np.float32) / np.float32(np.sqrt(max(1, np.asarray(b[s]).shape[1]))) for b in blocks]
        rows = {p.shape[0] for p in parts}
        if len(rows) != 1:
            raise ValueError(f"blocks of set {s} have different numbers of rows: {sorted(rows)}")
        out.append(np.concatenate(parts, axis=1))
    return out


# --------------------------------------------------------------------------- classify
# What `classify` can feed its classifier. The real-data probes (model card, "raw bands +
# embeddings") found the normalised bands next to the embeddings better than either alone for
# per-pixel land cover, so classify offers both.
FEATURE_MODES = ("embeddings", "bands+embeddings")
BANDS_HELP = ("bands+embeddings: each token's embedding plus the mean of its 16x16 input pixels in every "
              "normalised band (better than embeddings alone on the real-data probes, see the model card)")


def check_feature_mode(mode: str) -> str:
    """The feature mode, or a one-line error naming the choices."""
    from ..errors import JobError

    if mode not in FEATURE_MODES:
        raise JobError(f"Unknown classify features '{mode}'; choose one of: {', '.join(FEATURE_MODES)}.")
    return mode


def token_band_means(job, info, rows: int = 16) -> np.ndarray:
    """Mean of each token's valid input pixels in every normalised band the model read:
    [C, token height, token width] float32, NaN where a token has no valid pixel. Reads the
    processed input area (extent, resolution, bands) of job.inputs[0] as the embeddings did."""
    from ..raster.normalize import BandStats, Normalizer
    from .inputs import open_input

    source, _ = open_input(job, 0)
    try:
        norm = Normalizer([BandStats(**{k: float(d[k]) for k in ("p1", "p99", "mean", "std")})
                           for d in info.normalization])
        p = 16  # token grid = ceil(input size / 16), aligned on the input's upper-left corner
        c = len(info.normalization)
        out = np.full((c, info.height, info.width), np.nan, np.float32)
        for ty in range(0, info.height, rows):
            y0 = ty * p
            n = min(rows * p, source.height - y0)
            if n <= 0:
                break
            data, valid = source.read(0, y0, source.width, n)
            x = norm(np.asarray(data, np.float32), valid)
            th = (n + p - 1) // p
            hp, wp = th * p, info.width * p
            pad = np.zeros((c, hp, wp), np.float32)
            vpad = np.zeros((hp, wp), np.float32)
            pad[:, :n, : source.width] = x * valid
            vpad[:n, : source.width] = valid
            sums = pad.reshape(c, th, p, info.width, p).sum(axis=(2, 4))
            counts = vpad.reshape(th, p, info.width, p).sum(axis=(1, 3))
            with np.errstate(invalid="ignore", divide="ignore"):
                out[:, ty:ty + th] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        return out
    finally:
        source.close()


def append_band_block(tokens: np.ndarray, bands: np.ndarray) -> np.ndarray:
    """[N, D] embeddings and [N, C] band means -> [N, D + C] (the classifier standardises columns)."""
    if tokens.shape[0] != bands.shape[0]:
        raise ValueError(f"{tokens.shape[0]} embedding rows but {bands.shape[0]} band rows")
    return np.concatenate([np.asarray(tokens, np.float32), np.nan_to_num(np.asarray(bands, np.float32))], axis=1)


def feature_note(mode: str) -> str:
    """The report's line on what the classifier was given."""
    if mode == "bands+embeddings":
        return ("Features: embeddings + the mean normalised bands of each token (bands+embeddings); on the "
                "real-data probes this beat embeddings alone and raw bands alone for per-pixel land cover "
                "(model card).")
    return ("Features: embeddings only. On the real-data probes (model card), raw bands + embeddings beat "
            "embeddings alone for per-pixel land cover: try features 'bands+embeddings' (CLI --features).")
