"""AuxMAE (Linial et al., "Mixed-Modality Masked Autoencoding"): a standard MAE on Sentinel-2
plus an auxiliary decoder that predicts the whole co-registered Sentinel-1 image from the
unmasked Sentinel-2 image, trained by alternating gradient descent (one task per step).

Task "mae": random masking (0.75 here: the paper does not state its ratio), MSE on the masked
Sentinel-2 patches. Task "aux": every Sentinel-2 token visible, MSE on all Sentinel-1 pixels.
Sentinel-1 never enters the encoder, so its projection layers (VV/VH) receive no gradient.
With aux_share 0 the same model is the plain Sentinel-2-only MAE baseline.
"""
from __future__ import annotations

from typing import Sequence

import torch

from ..model.encoder import SpectralEncoder
from ..model.vit import Architecture
from .decoders import LightDecoder, Mix, encode_subset, masked_mse, patch_pixels, random_keep

TASKS = ("mae", "aux")


class AuxMAE(SpectralEncoder):
    """The SMARTIES encoder (spectrum-aware entry) with an MAE decoder and an auxiliary decoder;
    forward(task, xa, xb, mixes_a, mixes_b) -> (loss, details)."""

    def __init__(self, arch: Architecture, decoder_dim: int = 64, decoder_depth: int = 1, decoder_heads: int = 2):
        super().__init__(arch)
        args = (arch.embed_dim, decoder_dim, decoder_depth, decoder_heads, arch.grid, arch.patch_size, arch.mlp_ratio)
        self.decoder_mae = LightDecoder(*args)
        self.decoder_aux = LightDecoder(*args)
        self.init_weights()
        self.pos_embed.requires_grad_(False)  # fixed sin-cos table, as in MAE/SMARTIES

    def encoder_state_dict(self) -> dict:
        """Only the encoder tensors (what load_encoder reads)."""
        return {k: v for k, v in self.state_dict().items() if not k.startswith("decoder_")}

    def mae_loss(self, xa: torch.Tensor, mixes_a: Sequence[Mix], mask_ratio: float = 0.75,
                 norm_pix: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
        """(MSE on the masked patches of xa, hidden mask [B, N])."""
        p = self.patch_size
        grid = (xa.shape[2] // p, xa.shape[3] // p)
        tokens = self.embed_patches(xa, mixes_a)
        keep, restore, hidden = random_keep(tokens.shape[0], tokens.shape[1], mask_ratio, xa.device)
        feats = self.decoder_mae(encode_subset(self, tokens, grid, keep), grid, restore)
        loss = masked_mse(self.decoder_mae.predict(feats, mixes_a), patch_pixels(xa, p, norm_pix), hidden)
        return loss, hidden

    def aux_loss(self, xa: torch.Tensor, xb: torch.Tensor, mixes_a: Sequence[Mix], mixes_b: Sequence[Mix],
                 norm_pix: bool = False) -> torch.Tensor:
        """MSE on every pixel of xb predicted from the whole (unmasked) xa."""
        if xb.shape[0] != xa.shape[0] or xb.shape[2:] != xa.shape[2:]:
            raise ValueError(f"pair images must share batch and size, got {list(xa.shape)} and {list(xb.shape)}")
        p = self.patch_size
        grid = (xa.shape[2] // p, xa.shape[3] // p)
        feats = self.decoder_aux(encode_subset(self, self.embed_patches(xa, mixes_a), grid), grid)
        return masked_mse(self.decoder_aux.predict(feats, mixes_b), patch_pixels(xb, p, norm_pix))

    def forward(self, task: str, xa: torch.Tensor, xb, mixes_a: Sequence[Mix], mixes_b: Sequence[Mix],
                mask_ratio: float = 0.75, norm_pix: bool = False):
        """One task's loss: "mae" (xb unused, may be None) or "aux" (needs the pair)."""
        if task == "mae":
            loss, hidden = self.mae_loss(xa, mixes_a, mask_ratio, norm_pix)
            return loss, {"task": "mae", "mae": float(loss.detach()), "mask": hidden}
        if task == "aux":
            if xb is None or not mixes_b:
                raise ValueError("the auxiliary task needs a paired Sentinel-1 image")
            loss = self.aux_loss(xa, xb, mixes_a, mixes_b, norm_pix)
            return loss, {"task": "aux", "aux": float(loss.detach())}
        raise ValueError(f"unknown AuxMAE task {task!r}; use one of {TASKS}")
