"""PCA composite: the embeddings projected on their 3 main components (scikit-learn), as an RGB Byte raster."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..raster.writer import GeoTiffWriter
from .embeddings import EmbeddingInfo
from .tokens import iter_token_rows, sample_tokens

NODATA = 0  # value 0 is reserved for nodata; data is stretched to 1..255
INCREMENTAL_VALUES = 50_000_000  # a sample larger than this (rows x dims) is fitted by IncrementalPCA ...
INCREMENTAL_ROWS = 20_000  # ... this many rows at a time


@dataclass
class PcaModel:
    """Mean, components [k, D] and per-component 2-98 % stretch limits."""

    mean: np.ndarray
    components: np.ndarray
    low: np.ndarray
    high: np.ndarray
    explained: np.ndarray  # fraction of variance per component

    def project(self, x: np.ndarray) -> np.ndarray:
        """[N, D] -> [N, k] component scores."""
        return (x - self.mean) @ self.components.T

    def to_byte(self, scores: np.ndarray) -> np.ndarray:
        """Stretch scores to 1..255 (2-98 % of the sample -> full range)."""
        span = np.maximum(self.high - self.low, 1e-12)
        return (1 + np.clip((scores - self.low) / span, 0, 1) * 254).round().astype(np.uint8)


def fit_pca(sample: np.ndarray, k: int = 3, batch_rows: Optional[int] = None) -> PcaModel:
    """PCA of a token sample [N, D] (scikit-learn PCA; IncrementalPCA by row batches when the sample is too
    large for one SVD); component signs fixed so each component's largest loading is positive."""
    from sklearn.decomposition import PCA, IncrementalPCA

    sample = np.asarray(sample, dtype=np.float64)
    k_eff = max(1, min(k, sample.shape[1], len(sample)))
    if batch_rows is None:
        batch_rows = INCREMENTAL_ROWS if sample.size > INCREMENTAL_VALUES else 0
    if batch_rows:
        model = IncrementalPCA(n_components=k_eff, batch_size=max(batch_rows, k_eff)).fit(sample)
    else:
        model = PCA(n_components=k_eff, svd_solver="full").fit(sample)
    comps = model.components_
    signs = np.sign(comps[np.arange(k_eff), np.abs(comps).argmax(axis=1)])
    comps = comps * np.where(signs == 0, 1, signs)[:, None]
    explained = np.zeros(k)
    explained[:k_eff] = model.explained_variance_ratio_[:k_eff]
    if k_eff < k:  # fewer dimensions than components (tiny models): pad with zero components
        comps = np.vstack([comps, np.zeros((k - k_eff, comps.shape[1]))])
    scores = (sample - model.mean_) @ comps.T
    low, high = np.percentile(scores, [2, 98], axis=0)
    return PcaModel(model.mean_.astype(np.float32), comps.astype(np.float32), low.astype(np.float32),
                    high.astype(np.float32), explained)


def write_pca(info: EmbeddingInfo, out_path: str, seed: int = 0, progress=None, cancel=None,
              method: str = "pca") -> dict:
    """Write the 3-band Byte colour composite (PCA, or UMAP with method="umap") of an embeddings raster."""
    sample = sample_tokens(info.path, seed=seed, cancel=cancel)
    if method == "umap":
        from .umap_composite import fit_umap

        model, names = fit_umap(sample, seed), ["UMAP1", "UMAP2", "UMAP3"]
    elif method == "pca":
        model, names = fit_pca(sample), ["PC1", "PC2", "PC3"]
    else:
        from ..errors import JobError

        raise JobError(f"Unknown composite method '{method}'. Choose pca or umap.")
    meta = {"SMARTIES_PRODUCT": "pca", "SMARTIES_COMPOSITE": method,
            "SMARTIES_EXPLAINED_VARIANCE": [round(float(v), 4) for v in model.explained],
            "SMARTIES_BANDS": info.band_table}
    with GeoTiffWriter(out_path, info.width, info.height, 3, "uint8", info.geotransform, info.crs_wkt,
                       nodata=NODATA, descriptions=names, metadata=meta) as w:
        for y, tokens, valid in iter_token_rows(info.path, cancel=cancel):
            out = np.zeros(valid.shape + (3,), np.uint8)
            if valid.any():
                out[valid] = model.to_byte(model.project(tokens[valid]))
            w.write_rows(np.moveaxis(out, -1, 0), y)
        w.commit()
    return {"method": method, "explained_variance": [float(v) for v in model.explained]}
