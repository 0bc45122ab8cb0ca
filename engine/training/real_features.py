"""Features of the real-data probes: an encoder's patch tokens, or the raw normalised bands.

Per pixel, the token map upsampled bilinearly (or the bands themselves placed on the 17 spectral
layers, or per-16x16-patch band means repeated over the patch); per 16x16 patch, the tokens or the
band means; per image, the mean token or the mean bands.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


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

