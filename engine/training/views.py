"""What one crop of a pair becomes in stage-2/3 training: the extra views of the crop (other
sensor, band subsets, noise, brightness, coarser resolution, stacked sensors, shuffled patches)
and the label-free per-patch targets (spectral shape, patch statistics, k-means pseudo-labels)."""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

# --------------------------------------------------------------------------- invariance views
def invariance_views(xa: torch.Tensor, xb: torch.Tensor, mixes_a, mixes_b, rng: np.random.Generator,
                     subsets: int = 1, transform: bool = False, coarse: bool = False, patch: int = 16,
                     shuffle: bool = False, noise: float = 0.0, brightness: float = 0.0,
                     gain_offsets: Optional[torch.Tensor] = None, coarsen: bool = False,
                     stack: bool = False) -> list:
    """Views of one crop for the VICReg term: sensor a, sensor b, and `subsets` random band subsets
    of a (2 .. C-1 bands, one subset per batch so the batch shares a band layout), which teach the
    encoder that a place is the same whatever bands a sensor happens to have. With `transform`,
    every view but the first is encoded rotated/flipped (a random one of the 8 square symmetries)
    and its tokens mapped back (see mae.view_tokens). With `coarse`, one more view: sensor a with
    each patch replaced by its mean (a coarse sensor seeing one pixel per patch), so tokens learn
    to carry what survives at that scale (the patch's spectrum, its neighbours) over pixel texture.
    With `noise` > 0, one more view: sensor a plus independent Gaussian pixel noise of that standard
    deviation (in normalised units), so tokens learn to average pixel noise away. With `brightness`
    > 0 and `gain_offsets` (see reflectance_gain_offsets), one more view: sensor a with every patch's
    reflectance multiplied by its own random gain in [1 - brightness, 1 + brightness] (illumination,
    albedo and parcel-to-parcel brightness are nuisances; spectral shape is what classes share).
    With `coarsen`, one more view: sensor a block-averaged over 2x2 or 3x3 pixels and replicated, as a
    20 m or 30 m product stacked on a 10 m grid looks (resolution is a sensor property, not the place's).
    With `stack`, one more view: the bands of a and b stacked in one input (e.g. Sentinel-2 plus
    Sentinel-1 VV/VH, as analysts stack co-registered layers), so extra layers from another sensor
    refine a token instead of moving it away from where sensor a alone puts the place."""
    views = [(xa, list(mixes_a)), (xb, list(mixes_b))]
    if stack and xb.shape[2:] == xa.shape[2:]:
        views.append((torch.cat([xa, xb], dim=1), list(mixes_a) + list(mixes_b)))
    if noise > 0:
        views.append((xa + noise * torch.randn_like(xa), list(mixes_a)))
    if brightness > 0 and gain_offsets is not None:
        b, _, h, w = xa.shape
        g = 1 + brightness * (2 * torch.rand(b, 1, h // patch, w // patch, device=xa.device) - 1)
        g = F.interpolate(g, scale_factor=patch, mode="nearest")
        views.append((g * xa + (g - 1) * gain_offsets.view(1, -1, 1, 1).to(xa), list(mixes_a)))
    if coarsen:
        f = int(rng.choice([2, 3]))
        if xa.shape[2] % f == 0 and xa.shape[3] % f == 0:
            views.append((F.interpolate(F.avg_pool2d(xa, f), scale_factor=f, mode="nearest"), list(mixes_a)))
    if coarse:
        pooled = F.avg_pool2d(xa, patch)
        views.append((F.interpolate(pooled, scale_factor=patch, mode="nearest"), list(mixes_a)))
    c = xa.shape[1]
    for _ in range(subsets if c >= 3 else 0):
        k = int(rng.integers(2, c))
        idx = sorted(rng.choice(c, size=k, replace=False).tolist())
        views.append((xa[:, idx], [mixes_a[i] for i in idx]))
    if shuffle:  # every view but the first sees its patches in a random order (see mae.view_tokens)
        n = (xa.shape[2] // patch) * (xa.shape[3] // patch)
        return [views[0] + (None,)] + [v + (("shuffle", torch.from_numpy(rng.permutation(n))),) for v in views[1:]]
    if not transform:
        return views
    return [views[0] + (None,)] + [v + ((int(rng.integers(0, 4)), bool(rng.random() < 0.5)),) for v in views[1:]]


def reflectance_gain_offsets(normalization: Optional[dict], sensor: Optional[str]) -> Optional[torch.Tensor]:
    """Per-band offsets o such that g * x + (g - 1) * o is the normalised image of g times the
    reflectance (published rule, clipping aside): o = (mean + p1 / (p99 - p1)) / std. None when
    the statistics are unknown or the sensor is a radar (its dB values have no gain of that kind)."""
    from .datasets import stats_for, usable_bands

    if not normalization or not sensor or sensor not in normalization or "sentinel1" in sensor:
        return None
    try:
        _, names, _ = usable_bands(sensor)
        stats = stats_for(normalization, sensor, names)
    except Exception:  # noqa: BLE001 - no statistics: no brightness view
        return None
    return torch.tensor([(s.mean + s.p1 / max(s.p99 - s.p1, 1e-6)) / max(s.std, 1e-6) for s in stats])


# --------------------------------------------------------------------------- pseudo-labels
def spectral_shape(x: torch.Tensor, patch: int = 16, texture: bool = False) -> torch.Tensor:
    """Per-patch spectral shape of normalised images [B, C, H, W] -> [B*N, C+1] (row b*N + n): the
    patch's band means standardised across its bands (shape, free of overall brightness) plus half
    their mean (the level); with `texture`, C more columns: half of each band's within-patch
    standard deviation."""
    x = x.float()
    m = F.avg_pool2d(x, patch)  # [B, C, gh, gw]
    rows = lambda t: t.flatten(2).transpose(1, 2).reshape(-1, x.shape[1])  # noqa: E731
    means = rows(m)
    level = means.mean(1, keepdim=True)
    shape = (means - level) / (means.std(1, keepdim=True) + 1e-3)
    cols = [shape, 0.5 * level]
    if texture:
        var = (F.avg_pool2d(x * x, patch) - m * m).clamp_min(0)
        cols.append(0.5 * rows(var.sqrt()))
    return torch.cat(cols, 1)


STATISTICS_BLOCKS = ("means", "sds", "shape", "level")


def check_statistics_blocks(blocks: Sequence[str]) -> None:
    """ValueError unless `blocks` is a non-empty list of names from STATISTICS_BLOCKS."""
    if not blocks or any(b not in STATISTICS_BLOCKS for b in blocks):
        raise ValueError(f"patch statistics blocks must list some of {', '.join(STATISTICS_BLOCKS)}; "
                         f"got {list(blocks or [])}")


def patch_statistics(x: torch.Tensor, mixes, patch: int = 16, layers: int = 17,
                     blocks: Sequence[str] = STATISTICS_BLOCKS) -> torch.Tensor:
    """Per-patch statistics of normalised images [B, C, H, W] -> [B*N, 3*layers + 1] (row b*N + n),
    each placed on the spectral layers its band maps to (so every band layout of a sensor shares
    one space): band means, within-patch standard deviations, the means standardised across the
    bands (spectral shape, free of brightness) and their mean level. The MaskFeat-style target of
    the distillation term: on held-out scenes these statistics are a stronger kNN/linear feature
    than band means alone (see MODEL_CARD.md). `blocks` picks and orders the parts (names in
    STATISTICS_BLOCKS): e.g. ("means",) alone are the band means the probe's baseline reads."""
    check_statistics_blocks(blocks)
    x = x.float()
    m = F.avg_pool2d(x, patch)  # [B, C, gh, gw]
    sd = (F.avg_pool2d(x * x, patch) - m * m).clamp_min(0).sqrt()
    level = m.mean(1, keepdim=True)
    shape = (m - level) / (m.std(1, keepdim=True) + 1e-3) if x.shape[1] > 1 else torch.zeros_like(m)
    place = torch.zeros(x.shape[1], layers, dtype=x.dtype, device=x.device)
    for i, mix in enumerate(mixes):
        for k, wt in mix:
            if 0 <= int(k) < layers:
                place[i, int(k)] += float(wt)
    rows = lambda t: t.flatten(2).transpose(1, 2).reshape(-1, t.shape[1])  # noqa: E731
    parts = {"means": lambda: rows(m) @ place, "sds": lambda: rows(sd) @ place,
             "shape": lambda: rows(shape) @ place, "level": lambda: rows(level)}
    return torch.cat([parts[b]() for b in blocks], 1)


class SpectralClusters:
    """HuBERT-style targets for the encoder: k-means of the per-patch spectral shape of sensor a
    (one or several codebooks of k clusters each, one set per band layout of sensor a), fitted once
    on random crops of the training pairs (no labels). Each token of every view of a crop is asked
    to predict the cluster(s) of its place, so tokens of any sensor come to describe the place's
    material mix; codebooks of several sizes ask for coarse and fine distinctions at once."""

    def __init__(self, batcher: "PairBatcher", k: "int | Sequence[int]" = 64, crops: int = 256, iters: int = 25,
                 patch: int = 16, seed: int = 0, texture: bool = False):
        self.sizes = [int(k)] if isinstance(k, int) else [int(v) for v in k]
        self.k = self.sizes[0] if len(self.sizes) == 1 else list(self.sizes)
        self.patch, self.texture = patch, texture
        self.centroids: dict = {}
        rng = np.random.default_rng([seed, 4242])
        saved = batcher.rng
        batcher.rng = rng  # its own random stream: the training batches stay as they were
        try:
            for kind in batcher.kinds:
                key = kind[0]
                if key in self.centroids:
                    continue
                feats = []
                for i in rng.choice(batcher.groups[kind], size=crops, replace=True):
                    it = batcher._item(int(i))
                    feats.append(spectral_shape(batcher._augment([it.a])[0], patch, texture))
                f = torch.cat(feats)
                self.centroids[key] = [self._kmeans(f, size, iters, rng) for size in self.sizes]
        finally:
            batcher.rng = saved

    @staticmethod
    def _kmeans(f: torch.Tensor, k: int, iters: int, rng: np.random.Generator) -> torch.Tensor:
        """k centroids of the rows of f (scikit-learn KMeans, k-means++ start, at most `iters` rounds)."""
        from sklearn.cluster import KMeans

        x = f.detach().cpu().double().numpy()
        km = KMeans(n_clusters=min(k, len(x)), n_init=1, max_iter=iters, random_state=int(rng.integers(2**31 - 1)))
        km.fit(x)
        return torch.from_numpy(km.cluster_centers_.astype(np.float32)).to(f.device)

    def assign(self, xa: torch.Tensor, mixes_a) -> torch.Tensor:
        """Cluster index of every patch of xa [B, C, H, W] in each codebook -> [B*N, codebooks]."""
        f = spectral_shape(xa, self.patch, self.texture)
        return torch.stack([torch.cdist(f, c.to(xa.device)).argmin(1) for c in self.centroids[tuple(mixes_a)]], 1)


# --------------------------------------------------------------------------- schedule
