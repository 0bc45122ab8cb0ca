"""Light reconstruction decoders shared by the AuxMAE and MixMAE recipes, and the pieces around
them: encoding a token subset, patch targets, per-band predictions through the spectral layers.

A decoder is a small ViT (Linear from the encoder width, a fixed sin-cos position table, a few
blocks, a norm) and one Linear(dim -> patch*patch) per trained spectral layer, mixed like the
encoder's projection so a band between two layers is predicted by the mix of their heads. Its
tensors are named `decoder_<role>.*`, so checkpoint.split_state sets them aside and the encoder
part loads through engine.model.load_encoder unchanged.
"""
from __future__ import annotations

from typing import Optional, Sequence

import torch
from torch import nn

from ..model.projection import NUM_TRAINED
from ..model.vit import LAYERNORM_EPS, Block, resize_pos_embed, sincos_pos_embed

Mix = tuple[tuple[int, float], ...]


def patch_pixels(x: torch.Tensor, p: int, norm_pix: bool = False) -> torch.Tensor:
    """[B, C, H, W] -> [B, N, C, p*p] pixels of each patch (pixel (r, k) at r*p + k); with
    norm_pix, each band of each patch standardised (the MAE 'normalised pixel' target)."""
    b, c, h, w = x.shape
    t = x.reshape(b, c, h // p, p, w // p, p).permute(0, 2, 4, 1, 3, 5).reshape(b, (h // p) * (w // p), c, p * p)
    t = t.float()
    if norm_pix:
        t = (t - t.mean(-1, keepdim=True)) / (t.var(-1, keepdim=True) + 1e-6).sqrt()
    return t


def encode_subset(encoder, tokens: torch.Tensor, grid: tuple[int, int],
                  keep: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Encoder output norm(x) [B, 1+K, D] for patch tokens [B, N, D]: all of them, or the K
    positions in `keep` [B, K] (MAE: the visible ones); positions are added before the gather."""
    pos = encoder.pos_embed_for(*grid).to(tokens.dtype)
    x = tokens + pos[:, 1:]
    if keep is not None:
        x = torch.gather(x, 1, keep.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
    cls = (encoder.cls_token + pos[:, :1]).to(x.dtype).expand(x.shape[0], -1, -1)
    x = torch.cat([cls, x], 1)
    for blk in encoder.blocks:
        x = blk(x)
    return encoder.norm(x)


def random_keep(b: int, n: int, mask_ratio: float, device) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(keep [B, K], restore [B, N], hidden [B, N] bool) of a random MAE mask keeping
    max(1, N * (1 - mask_ratio)) positions per image."""
    n_keep = max(1, int(n * (1 - mask_ratio)))
    shuffle = torch.rand(b, n, device=device).argsort(1)
    restore = shuffle.argsort(1)
    hidden = torch.ones(b, n, dtype=torch.bool, device=device)
    hidden[:, :n_keep] = False
    return shuffle[:, :n_keep], restore, torch.gather(hidden, 1, restore)


class LightDecoder(nn.Module):
    """Encoder output [B, 1+K, D] -> per-position features [B, N, dim] -> per-band pixels."""

    def __init__(self, embed_dim: int, dim: int, depth: int, num_heads: int, grid: int, patch_size: int,
                 mlp_ratio: float = 4.0, num_layers: int = NUM_TRAINED):
        super().__init__()
        self.grid = grid
        self.embed = nn.Linear(embed_dim, dim)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.register_buffer("pos", sincos_pos_embed(dim, grid), persistent=False)
        self.blocks = nn.ModuleList(Block(dim, num_heads, mlp_ratio) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=LAYERNORM_EPS)
        self.preds = nn.ModuleList(nn.Linear(dim, patch_size * patch_size) for _ in range(num_layers))
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
        nn.init.normal_(self.mask_token, std=0.02)

    def forward(self, latent: torch.Tensor, grid: tuple[int, int], restore: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Features [B, N, dim]; with `restore` the latent holds only the kept positions and the
        others get the mask token (MAE), without it the latent covers every position."""
        x = self.embed(latent)
        body = x[:, 1:]
        if restore is not None:
            b, n = restore.shape
            fill = self.mask_token.to(x.dtype).expand(b, n - body.shape[1], -1)
            body = torch.gather(torch.cat([body, fill], 1), 1, restore.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        pos = self.pos if grid == (self.grid, self.grid) else resize_pos_embed(self.pos, self.grid, grid)
        x = torch.cat([x[:, :1], body], 1) + pos.to(x.dtype)
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)[:, 1:]

    def predict(self, feats: torch.Tensor, mixes: Sequence[Mix]) -> torch.Tensor:
        """Pixels [..., C, p*p] of each band of `mixes` from features [..., dim]."""
        ws, bs = [], []
        for mix in mixes:
            ws.append(sum(self.preds[i].weight * a for i, a in mix))
            bs.append(sum(self.preds[i].bias * a for i, a in mix))
        w, bias = torch.stack(ws), torch.stack(bs)  # [C, p*p, dim], [C, p*p]
        return torch.einsum("...d,cpd->...cp", feats, w.to(feats.dtype)) + bias.to(feats.dtype)


def masked_mse(pred: torch.Tensor, target: torch.Tensor, where: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Mean squared error over the positions where `where` [B, N] is True (all when None)."""
    err = ((pred.float() - target) ** 2).mean(dim=(-1, -2))  # [B, N]
    if where is None:
        return err.mean()
    w = where.float()
    return (err * w).sum() / w.sum().clamp_min(1.0)
