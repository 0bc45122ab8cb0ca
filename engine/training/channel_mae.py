"""Channel-separated MAE (Zhambulova et al., "Overlap-Free Modality Generalization"): masking over
(band, patch) tokens of the channel-separated encoder; loss = token-to-token MSE on the masked
tokens + spectral-to-spectral MSE (each place's whole spectrum reconstructed from that place's
pooled decoder features and each band's spectral encoding), summed. Trained on optical
(Sentinel-2) bands only: sensor b of a pair is never used.

Decoder tensors are named decoder_*; the encoder part is a ChannelSeparatedEncoder and loads
through engine.model.load_encoder with its card (architecture kind "channel_separated").
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from ..model.channel_encoder import ChannelArchitecture, ChannelSeparatedEncoder
from ..model.vit import LAYERNORM_EPS, Block, resize_pos_embed, sincos_pos_embed
from .decoders import patch_pixels


def ranges_of_mixes(mixes) -> list[tuple[float, float, str]]:
    """Band ranges for training batches that carry projection-layer mixes (the pair datasets):
    each band gets the mix-weighted range of its layers (exact for bands on a trained layer)."""
    from ..spectral import TRAINED_RANGES

    out = []
    for mix in mixes:
        lo = sum(TRAINED_RANGES[i].min_nm * w for i, w in mix)
        hi = sum(TRAINED_RANGES[i].max_nm * w for i, w in mix)
        pols = {TRAINED_RANGES[i].polarization for i, _ in mix} - {None}
        out.append((lo, hi, pols.pop() if len(pols) == 1 else ""))
    return out


class ChannelMAE(ChannelSeparatedEncoder):
    """Encoder + light decoder over band tokens; forward(x, ranges) -> (loss, details)."""

    def __init__(self, arch: ChannelArchitecture, decoder_dim: int = 64, decoder_depth: int = 1,
                 decoder_heads: int = 2, spectrum_weight: float = 1.0):
        super().__init__(arch)
        p2 = arch.patch_size ** 2
        self.spectrum_weight = spectrum_weight
        self.decoder_embed = nn.Linear(arch.embed_dim, decoder_dim)
        self.decoder_spectral = nn.Linear(arch.embed_dim, decoder_dim)  # from the encoder's spectral encoding
        self.decoder_mask_token = nn.Parameter(torch.zeros(1, 1, decoder_dim))
        self.register_buffer("decoder_pos", sincos_pos_embed(decoder_dim, arch.grid), persistent=False)
        self.decoder_blocks = nn.ModuleList(Block(decoder_dim, decoder_heads, arch.mlp_ratio) for _ in range(decoder_depth))
        self.decoder_norm = nn.LayerNorm(decoder_dim, eps=LAYERNORM_EPS)
        self.decoder_token_pred = nn.Linear(decoder_dim, p2)
        self.decoder_spectrum_pred = nn.Sequential(nn.Linear(decoder_dim, decoder_dim), nn.GELU(), nn.Linear(decoder_dim, p2))
        self.init_weights()
        self.pos_embed.requires_grad_(False)
        nn.init.normal_(self.decoder_mask_token, std=0.02)

    def encoder_state_dict(self) -> dict:
        """Only the encoder tensors (what load_encoder reads)."""
        return {k: v for k, v in self.state_dict().items() if not k.startswith("decoder_")}

    def forward(self, x: torch.Tensor, ranges: Sequence[tuple[float, float, str]], mask_ratio: float = 0.75,
                norm_pix: bool = False):
        """(token loss + spectrum_weight * spectrum loss, details) for images [B, C, H, W]."""
        p = self.patch_size
        b, c, h, w = x.shape
        grid = (h // p, w // p)
        n = grid[0] * grid[1]
        spectral = self.spectral_encoding(ranges)  # [C, D]
        tok = self.band_tokens(x, spectral).reshape(b, c * n, -1)  # band-major: index = band * N + place
        m = c * n
        n_keep = max(1, int(m * (1 - mask_ratio)))
        shuffle = torch.rand(b, m, device=x.device).argsort(1)
        restore = shuffle.argsort(1)
        keep = shuffle[:, :n_keep]
        hidden = torch.ones(b, m, dtype=torch.bool, device=x.device)
        hidden[:, :n_keep] = False
        hidden = torch.gather(hidden, 1, restore)
        visible = torch.gather(tok, 1, keep.unsqueeze(-1).expand(-1, -1, tok.shape[-1]))
        latent = self.norm(self.run_blocks(visible))
        # Decoder: visible latents back in place, mask tokens elsewhere, + spatial + spectral.
        y = self.decoder_embed(latent[:, 1:])
        fill = self.decoder_mask_token.to(y.dtype).expand(b, m - n_keep, -1)
        y = torch.gather(torch.cat([y, fill], 1), 1, restore.unsqueeze(-1).expand(-1, -1, y.shape[-1]))
        dpos = self.decoder_pos if grid == (self.arch.grid, self.arch.grid) else \
            resize_pos_embed(self.decoder_pos, self.arch.grid, grid)
        dspec = self.decoder_spectral(spectral)  # [C, Dd]
        y = y.reshape(b, c, n, -1) + dpos[:, 1:].unsqueeze(1).to(y.dtype) + dspec[None, :, None, :].to(y.dtype)
        y = y.reshape(b, m, -1)
        for blk in self.decoder_blocks:
            y = blk(y)
        y = self.decoder_norm(y).reshape(b, c, n, -1)
        target = patch_pixels(x, p, norm_pix).permute(0, 2, 1, 3)  # [B, C, N, p*p]
        err = ((self.decoder_token_pred(y).float() - target) ** 2).mean(-1).reshape(b, m)
        token_loss = (err * hidden.float()).sum() / hidden.float().sum().clamp_min(1)
        # Spectral-to-spectral: each place's pooled features + a band's encoding -> that band's patch.
        place = y.mean(1, keepdim=True)  # [B, 1, N, Dd]
        spec_pred = self.decoder_spectrum_pred(place + dspec[None, :, None, :].to(y.dtype))
        spectrum_loss = ((spec_pred.float() - target) ** 2).mean()
        loss = token_loss + self.spectrum_weight * spectrum_loss
        return loss, {"token": float(token_loss.detach()), "spectrum": float(spectrum_loss.detach()),
                      "mask": hidden.reshape(b, c, n)}
