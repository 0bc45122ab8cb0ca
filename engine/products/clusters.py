"""Clusters: k-means++ on a sample of embedding tokens, then every token assigned to its centre."""
from __future__ import annotations

import colorsys

import numpy as np

from ..raster.writer import GeoTiffWriter
from .embeddings import EmbeddingInfo
from .tokens import iter_token_rows, sample_tokens

NODATA = 255


def kmeans_pp_init(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding: each new centre drawn with probability ~ squared distance to the nearest."""
    centres = [x[rng.integers(len(x))]]
    d2 = ((x - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        total = d2.sum()
        idx = rng.choice(len(x), p=d2 / total) if total > 0 else rng.integers(len(x))
        centres.append(x[idx])
        d2 = np.minimum(d2, ((x - x[idx]) ** 2).sum(axis=1))
    return np.stack(centres)


def assign(x: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre for each row of x."""
    d = (x ** 2).sum(1, keepdims=True) - 2 * x @ centres.T + (centres ** 2).sum(1)[None]
    return d.argmin(axis=1)


def kmeans(x: np.ndarray, k: int, seed: int = 0, iters: int = 50, tol: float = 1e-6) -> np.ndarray:
    """Centres [k, D] from Lloyd iterations after k-means++ seeding (empty clusters re-seeded)."""
    x = x.astype(np.float64)
    rng = np.random.default_rng(seed)
    k = min(k, len(x))
    centres = kmeans_pp_init(x, k, rng)
    for _ in range(iters):
        labels = assign(x, centres)
        new = centres.copy()
        for j in range(k):
            members = x[labels == j]
            # An empty cluster takes the point farthest from its centre, so k stays k.
            new[j] = members.mean(0) if len(members) else x[((x - centres[labels]) ** 2).sum(1).argmax()]
        shift = np.abs(new - centres).max()
        centres = new
        if shift < tol:
            break
    # Order clusters by size (cluster 1 = largest) so runs read the same way.
    counts = np.bincount(assign(x, centres), minlength=k)
    return centres[np.argsort(-counts, kind="stable")].astype(np.float32)


def palette(k: int) -> list[tuple[int, int, int]]:
    """k well-separated colours (golden-ratio hues)."""
    out = []
    for i in range(k):
        h = (i * 0.618033988749895) % 1.0
        r, g, b = colorsys.hsv_to_rgb(h, 0.65 if i % 2 else 0.85, 0.95 if i % 3 else 0.8)
        out.append((int(r * 255), int(g * 255), int(b * 255)))
    return out


def write_clusters(info: EmbeddingInfo, out_path: str, k: int = 8, seed: int = 0, progress=None,
                   cancel=None) -> dict:
    """Write a paletted Byte raster of cluster numbers 0..k-1 (255 = nodata); returns a report."""
    if not 2 <= k <= 254:
        from ..errors import JobError

        raise JobError(f"Number of clusters k={k} must be between 2 and 254.")
    centres = kmeans(sample_tokens(info.path, seed=seed, cancel=cancel), k, seed)
    k = len(centres)
    colours = palette(k) + [(0, 0, 0)] * (256 - k)
    names = [f"cluster {i + 1}" for i in range(k)] + [""] * (NODATA - k) + ["nodata"]
    counts = np.zeros(k, np.int64)
    meta = {"SMARTIES_PRODUCT": "clusters", "SMARTIES_K": str(k), "SMARTIES_BANDS": info.band_table}
    with GeoTiffWriter(out_path, info.width, info.height, 1, "uint8", info.geotransform, info.crs_wkt,
                       nodata=NODATA, descriptions=["cluster"], metadata=meta, color_table=colours,
                       category_names=names) as w:
        for y, tokens, valid in iter_token_rows(info.path, cancel=cancel):
            out = np.full(valid.shape, NODATA, np.uint8)
            lab = assign(tokens[valid], centres)
            out[valid] = lab
            counts += np.bincount(lab, minlength=k)
            w.write_rows(out[None], y)
        w.commit()
    return {"k": k, "cluster_sizes": counts.tolist()}
