"""Spectrum-aware patch projection: one Linear(16*16 -> D) per trained spectral range.

A band is projected by the layer tied to its wavelength range; bands between ranges use a mix of
trained layers (weights and biases mixed). A patch token is 12 * mean over the input bands of the
band projections (12 = the most bands seen in pretraining). For a fixed band list the whole
projection is one strided Conv2d, which ``bake_patch_conv`` builds.
"""
from __future__ import annotations

from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

NUM_TRAINED = 17
MAX_BANDS = 12  # C_max of pretraining; the token is (12 / C) * sum of band projections

Mix = tuple[tuple[int, float], ...]

# Centres of the ranges the reference derived layers are built from (min/max in nm from the
# reference table): 17 thermal_infrared_1 (Landsat-8 B10) from 14 SWIR2 and 15 VV; 18 blue_2
# (Landsat-8 B2) from 0 aerosol and 1 blue_1.
_DERIVED_SOURCES = {
    17: ((10600.0, 11190.0), ((14, (2002.0, 2376.0)), (15, (5.5e7, 5.6e7)))),
    18: ((452.0, 512.0), ((0, (422.0, 463.0)), (1, (427.0, 558.0)))),
}


def published_mix(new_range: tuple[float, float], parts: Sequence[tuple[int, tuple[float, float]]]) -> Mix:
    """The reference rule: weight_k = |c_new - c_k| / sum_j |c_new - c_j|, c = (min+max)/2."""
    c_new = sum(new_range) / 2.0
    dists = [abs(c_new - sum(rng) / 2.0) for _, rng in parts]
    total = sum(dists)
    if total == 0:
        return tuple((idx, 1.0 / len(parts)) for idx, _ in parts)
    return tuple((idx, d / total) for (idx, _), d in zip(parts, dists))


def layer_mix(index: int) -> Mix:
    """Mix of trained layers for a projection-layer index 0..18 (17, 18 = reference derived)."""
    if 0 <= index < NUM_TRAINED:
        return ((index, 1.0),)
    if index in _DERIVED_SOURCES:
        new_range, parts = _DERIVED_SOURCES[index]
        return published_mix(new_range, parts)
    from ..errors import BandError

    raise BandError(f"projection layer {index} does not exist: use 0..16 (trained ranges) or "
                    "17/18 (derived thermal_infrared_1 / blue_2)")


class SpectrumEmbed(nn.Module):
    """One trained spectral range: ``proj`` = Linear(patch*patch -> D)."""

    def __init__(self, patch_size: int, embed_dim: int):
        super().__init__()
        self.proj = nn.Linear(patch_size * patch_size, embed_dim)


class SpectrumProjection(nn.Module):
    """``spectrum_embeds.{i}.proj`` for the trained ranges, applied per band."""

    def __init__(self, patch_size: int, embed_dim: int, num_spectral: int = NUM_TRAINED):
        super().__init__()
        self.patch_size = patch_size
        self.spectrum_embeds = nn.ModuleList(SpectrumEmbed(patch_size, embed_dim) for _ in range(num_spectral))

    def mixed_linear(self, mix: Mix) -> tuple[torch.Tensor, torch.Tensor]:
        """(weight [D, p*p], bias [D]) of the layer a band uses: sum_k w_k * proj_k."""
        weight = bias = None
        for idx, w in mix:
            proj = self.spectrum_embeds[idx].proj
            if weight is None:
                weight, bias = proj.weight * w, proj.bias * w
            else:
                weight, bias = weight + proj.weight * w, bias + proj.bias * w
        return weight, bias

    def forward(self, x: torch.Tensor, mixes: Sequence[Mix]) -> torch.Tensor:
        """Images [B, C, H, W] -> patch tokens [B, N, D], one projection per band."""
        b, c, h, w = x.shape
        p = self.patch_size
        gh, gw = h // p, w // p
        # [B, C, gh, p, gw, p] -> [B, C, gh*gw, p*p], pixel (r, k) of a patch at r*p + k.
        patches = x.reshape(b, c, gh, p, gw, p).permute(0, 1, 2, 4, 3, 5).reshape(b, c, gh * gw, p * p)
        tokens = None
        for ch, mix in enumerate(mixes):
            weight, bias = self.mixed_linear(mix)
            out = F.linear(patches[:, ch], weight.to(x.dtype), bias.to(x.dtype))
            tokens = out if tokens is None else tokens + out
        return tokens * (MAX_BANDS / c)


def bake_patch_conv(projection: SpectrumProjection, mixes: Sequence[Mix]) -> nn.Conv2d:
    """One strided Conv2d(C, D, p, p) equal to the per-band projection for this band list."""
    p = projection.patch_size
    c = len(mixes)
    scale = MAX_BANDS / c
    with torch.no_grad():
        pairs = [projection.mixed_linear(m) for m in mixes]
        d = pairs[0][0].shape[0]
        # W[o, c, r, k] = (12/C) * W_mix(c)[o, r*p + k]
        weight = torch.stack([wt.reshape(d, p, p) for wt, _ in pairs], dim=1) * scale
        bias = torch.stack([bs for _, bs in pairs], dim=0).sum(dim=0) * scale
        conv = nn.Conv2d(c, d, kernel_size=p, stride=p, bias=True,
                         device=weight.device, dtype=weight.dtype)
        conv.weight.copy_(weight)
        conv.bias.copy_(bias)
    conv.requires_grad_(False)
    return conv
