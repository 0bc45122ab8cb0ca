"""UMAP colour composite (optional extra): the embeddings mapped to 3 UMAP dimensions instead of 3
principal components, so neighbourhoods rather than directions of variance set the colours.

Needs the optional package umap-learn (and its numba); without it the run stops with the command
that installs it. UMAP is fitted on a sample of tokens (at most UMAP_TOKENS) and every token is then
placed with UMAP's transform; the same 2-98 % stretch as the PCA composite turns the 3 dimensions into
bytes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import MissingDependency

UMAP_TOKENS = 5000
UMAP_REQUIREMENT = "umap-learn==0.5.12"


@dataclass
class UmapModel:
    """A fitted UMAP reducer and per-dimension 2-98 % stretch limits (PcaModel's interface)."""

    reducer: object
    low: np.ndarray
    high: np.ndarray
    explained: np.ndarray  # UMAP explains no variance: zeros, kept for the report's shape

    def project(self, x: np.ndarray) -> np.ndarray:
        """[N, D] -> [N, 3] UMAP coordinates."""
        return self.reducer.transform(np.asarray(x, dtype=np.float32))

    def to_byte(self, scores: np.ndarray) -> np.ndarray:
        span = np.maximum(self.high - self.low, 1e-12)
        return (1 + np.clip((scores - self.low) / span, 0, 1) * 254).round().astype(np.uint8)


def fit_umap(sample: np.ndarray, seed: int = 0) -> UmapModel:
    """UMAP (3 dimensions, cosine metric) of a token sample."""
    try:
        import umap
    except ImportError:
        raise MissingDependency(f"The UMAP composite needs the optional package umap-learn; install it into QGIS's "
                                f"Python (e.g. python3 -m pip install \"{UMAP_REQUIREMENT}\" \"numpy<2\"), or use "
                                "the PCA composite.") from None
    x = np.asarray(sample, dtype=np.float32)
    if len(x) > UMAP_TOKENS:
        x = x[np.random.default_rng(seed).choice(len(x), UMAP_TOKENS, replace=False)]
    reducer = umap.UMAP(n_components=3, metric="cosine", random_state=seed, n_neighbors=min(15, len(x) - 1))
    coords = reducer.fit_transform(x)
    low, high = np.percentile(coords, [2, 98], axis=0)
    return UmapModel(reducer, low.astype(np.float32), high.astype(np.float32), np.zeros(3))
