"""Clusters of the embedding tokens (scikit-learn): k-means with a chosen k, or HDBSCAN (no k to choose).

k-means: KMeans (k-means++ seeding, best of 3 starts) on a sample of tokens, MiniBatchKMeans when
the sample is large; every token then takes its nearest centre. HDBSCAN: density clusters of a
sample of tokens reduced to their main components (PCA); every token then takes the cluster of its
nearest sample token, and tokens nearest to HDBSCAN's noise points form the "unclustered" class.
Clusters are numbered by size (cluster 1 = largest) so runs read the same way.
"""
from __future__ import annotations

import colorsys
import warnings
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..errors import JobError
from ..raster.writer import GeoTiffWriter
from .embeddings import EmbeddingInfo
from .tokens import iter_token_rows, sample_tokens

NODATA = 255
METHODS = ("kmeans", "hdbscan")
MINIBATCH_FROM = 50_000  # sample rows from which MiniBatchKMeans replaces full KMeans
HDBSCAN_TOKENS = 5000  # HDBSCAN's cost grows fast with the sample: it sees at most this many tokens
HDBSCAN_DIMS = 16  # ... reduced to this many principal components (densities are meaningless in 1000-D)
UNCLUSTERED = (160, 160, 160)


def fit_kmeans(sample: np.ndarray, k: int, seed: int = 0, minibatch: Optional[bool] = None) -> np.ndarray:
    """Cluster centres [k, D] (float32), ordered by cluster size, largest first."""
    from sklearn.cluster import KMeans, MiniBatchKMeans

    x = np.asarray(sample, dtype=np.float64)
    k = min(k, len(x))
    if minibatch is None:
        minibatch = len(x) >= MINIBATCH_FROM
    if minibatch:
        model = MiniBatchKMeans(n_clusters=k, n_init=3, batch_size=4096, random_state=seed).fit(x)
    else:
        model = KMeans(n_clusters=k, n_init=3, random_state=seed).fit(x)
    counts = np.bincount(model.labels_, minlength=k)
    return model.cluster_centers_[np.argsort(-counts, kind="stable")].astype(np.float32)


def nearest_centre(x: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre (Euclidean) for each row of x."""
    from sklearn.metrics import pairwise_distances_argmin

    return pairwise_distances_argmin(np.asarray(x, dtype=np.float32), centres)


@dataclass
class DensityClusters:
    """HDBSCAN of a token sample: the projection it ran in, the sample points and their cluster numbers."""

    projection: object  # fitted sklearn PCA
    points: np.ndarray  # [M, d] sample tokens in PCA space
    labels: np.ndarray  # [M] cluster number 0..k-1 by size, k = unclustered (HDBSCAN noise)
    k: int
    min_cluster_size: int

    def assign(self, x: np.ndarray) -> np.ndarray:
        """Cluster number of each token: that of its nearest sample token (in PCA space)."""
        from sklearn.metrics import pairwise_distances_argmin

        z = self.projection.transform(np.asarray(x, dtype=np.float64)).astype(np.float32)
        return self.labels[pairwise_distances_argmin(z, self.points)]


def fit_hdbscan(sample: np.ndarray, seed: int = 0, min_cluster_size: Optional[int] = None) -> DensityClusters:
    """HDBSCAN clusters of (a sub-sample of) the tokens in their first principal components."""
    from sklearn.cluster import HDBSCAN
    from sklearn.decomposition import PCA

    x = np.asarray(sample, dtype=np.float64)
    if len(x) > HDBSCAN_TOKENS:
        x = x[np.random.default_rng(seed).choice(len(x), HDBSCAN_TOKENS, replace=False)]
    size = int(min_cluster_size or max(10, len(x) // 100))
    if size < 2:
        raise JobError(f"HDBSCAN minimum cluster size {size} must be at least 2.")
    dims = max(1, min(HDBSCAN_DIMS, x.shape[1], len(x) - 1))
    projection = PCA(n_components=dims, svd_solver="full").fit(x)
    z = projection.transform(x)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning)
        raw = HDBSCAN(min_cluster_size=size, copy=True).fit_predict(z)
    found = np.unique(raw[raw >= 0])
    if len(found) == 0:
        raise JobError(f"HDBSCAN found no clusters with at least {size} tokens (every token is noise). Lower the "
                       "minimum cluster size, or use k-means clusters with a chosen k.")
    if len(found) > NODATA - 1:
        raise JobError(f"HDBSCAN found {len(found)} clusters, more than a Byte raster can name; raise the minimum "
                       f"cluster size (now {size}).")
    counts = np.array([(raw == c).sum() for c in found])
    rank = np.full(raw.max() + 1, 0, dtype=np.int64)
    rank[found[np.argsort(-counts, kind="stable")]] = np.arange(len(found))
    labels = np.where(raw >= 0, rank[np.maximum(raw, 0)], len(found))
    return DensityClusters(projection, z.astype(np.float32), labels.astype(np.int64), len(found), size)


def palette(k: int) -> list[tuple[int, int, int]]:
    """k well-separated colours (golden-ratio hues)."""
    out = []
    for i in range(k):
        h = (i * 0.618033988749895) % 1.0
        r, g, b = colorsys.hsv_to_rgb(h, 0.65 if i % 2 else 0.85, 0.95 if i % 3 else 0.8)
        out.append((int(r * 255), int(g * 255), int(b * 255)))
    return out


def write_clusters(info: EmbeddingInfo, out_path: str, k: int = 8, seed: int = 0, progress=None,
                   cancel=None, method: str = "kmeans", min_cluster_size: Optional[int] = None) -> dict:
    """Write a paletted Byte raster of cluster numbers 0..k-1 (255 = nodata); returns a report."""
    if method not in METHODS:
        raise JobError(f"Unknown clustering method '{method}'. Choose one of: {', '.join(METHODS)}.")
    if method == "kmeans" and not 2 <= k <= 254:
        raise JobError(f"Number of clusters k={k} must be between 2 and 254.")
    sample = sample_tokens(info.path, seed=seed, cancel=cancel)
    if method == "kmeans":
        centres = fit_kmeans(sample, k, seed)
        k, classes, assign = len(centres), len(centres), (lambda t: nearest_centre(t, centres))
        names = [f"cluster {i + 1}" for i in range(k)]
        colours = palette(k)
    else:
        density = fit_hdbscan(sample, seed, min_cluster_size)
        k, classes, assign = density.k, density.k + 1, density.assign
        names = [f"cluster {i + 1}" for i in range(k)] + ["unclustered"]
        colours = palette(k) + [UNCLUSTERED]
    colours = colours + [(0, 0, 0)] * (256 - classes)
    names = names + [""] * (NODATA - classes) + ["nodata"]
    counts = np.zeros(classes, np.int64)
    meta = {"SMARTIES_PRODUCT": "clusters", "SMARTIES_K": str(k), "SMARTIES_CLUSTER_METHOD": method,
            "SMARTIES_BANDS": info.band_table}
    with GeoTiffWriter(out_path, info.width, info.height, 1, "uint8", info.geotransform, info.crs_wkt,
                       nodata=NODATA, descriptions=["cluster"], metadata=meta, color_table=colours,
                       category_names=names) as w:
        for y, tokens, valid in iter_token_rows(info.path, cancel=cancel):
            out = np.full(valid.shape, NODATA, np.uint8)
            if valid.any():
                lab = assign(tokens[valid])
                out[valid] = lab
                counts += np.bincount(lab, minlength=classes)
            w.write_rows(out[None], y)
        w.commit()
    report = {"k": k, "method": method, "cluster_sizes": counts[:k].tolist()}
    if method == "hdbscan":
        report.update(unclustered=int(counts[k]), min_cluster_size=density.min_cluster_size)
    return report
