"""MixMAE (Linial et al., "Mixed-Modality Masked Autoencoding", Eq. 1): no masking; both images
go through their own entry layers (here the spectrum-aware projection, so Sentinel-2 and
Sentinel-1 entries differ by their bands' layers), each of the L token positions is taken from one
source at random (k = L/2 from sensor a, the rest from sensor b), the whole mixed sequence enters
the encoder, and two decoders reconstruct the two images; each source's loss is the MSE on the
patches it did NOT contribute, L = 0.5 L_b + 0.5 L_a.

Unlike the SMARTIES recipe's mixup (mask_ratio 0, mixup_ratio 0.5, cross_weight 1) there is no
mirrored twin image, and the two images have two separate decoders instead of one decoder trunk
with per-band heads; targets are the normalised pixels as they are (norm_pix=True gives the
per-patch normalised targets of MAE/SMARTIES as an option).
"""
from __future__ import annotations

from typing import Sequence

import torch

from ..model.encoder import SpectralEncoder
from ..model.vit import Architecture
from .decoders import LightDecoder, Mix, encode_subset, masked_mse, patch_pixels


def complementary_mix(b: int, n: int, share_a: float, device) -> torch.Tensor:
    """from_a [B, N] bool: round(N * share_a) random positions per image come from sensor a, every
    other position from sensor b (each position from exactly one source)."""
    k = int(round(n * share_a))
    order = torch.rand(b, n, device=device).argsort(1)
    from_a = torch.zeros(b, n, dtype=torch.bool, device=device)
    from_a.scatter_(1, order[:, :k], True)
    return from_a


class MixMAE(SpectralEncoder):
    """The SMARTIES encoder with one decoder per source; forward(xa, xb, mixes_a, mixes_b)."""

    def __init__(self, arch: Architecture, decoder_dim: int = 64, decoder_depth: int = 1, decoder_heads: int = 2):
        super().__init__(arch)
        args = (arch.embed_dim, decoder_dim, decoder_depth, decoder_heads, arch.grid, arch.patch_size, arch.mlp_ratio)
        self.decoder_a = LightDecoder(*args)
        self.decoder_b = LightDecoder(*args)
        self.init_weights()
        self.pos_embed.requires_grad_(False)

    def encoder_state_dict(self) -> dict:
        """Only the encoder tensors (what load_encoder reads)."""
        return {k: v for k, v in self.state_dict().items() if not k.startswith("decoder_")}

    def forward(self, xa: torch.Tensor, xb: torch.Tensor, mixes_a: Sequence[Mix], mixes_b: Sequence[Mix],
                share_a: float = 0.5, norm_pix: bool = False):
        """(0.5 * L_a + 0.5 * L_b, details with the mix `from_a` [B, N])."""
        if xb is None or xb.shape[0] != xa.shape[0] or xb.shape[2:] != xa.shape[2:]:
            raise ValueError("MixMAE needs co-registered pairs of one batch and size")
        p = self.patch_size
        grid = (xa.shape[2] // p, xa.shape[3] // p)
        ta, tb = self.embed_patches(xa, mixes_a), self.embed_patches(xb, mixes_b)
        from_a = complementary_mix(ta.shape[0], ta.shape[1], share_a, xa.device)
        mixed = torch.where(from_a.unsqueeze(-1), ta, tb)
        latent = encode_subset(self, mixed, grid)
        loss_a = masked_mse(self.decoder_a.predict(self.decoder_a(latent, grid), mixes_a),
                            patch_pixels(xa, p, norm_pix), ~from_a)
        loss_b = masked_mse(self.decoder_b.predict(self.decoder_b(latent, grid), mixes_b),
                            patch_pixels(xb, p, norm_pix), from_a)
        loss = 0.5 * loss_a + 0.5 * loss_b
        return loss, {"loss_a": float(loss_a.detach()), "loss_b": float(loss_b.detach()), "from_a": from_a,
                      "mixed": mixed}
