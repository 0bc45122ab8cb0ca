"""SeaMo (Li et al., arXiv 2412.19237): multi-seasonal, multimodal masked autoencoding.

T dates x M modalities (Sentinel-2 and Sentinel-1) of one place. Per date, each modality is
tokenised by the spectrum-aware projection (its bands take their own spectral layers, so the
tokenisers are modality-specific), one random mask (ratio 0.75) is shared by the modalities of a
date and drawn independently across dates, and the visible tokens of all modalities of the date go
through one shared ViT encoder (weights shared across dates). Temporal-multimodal (TM) fusion
blocks follow the encoder; modality-specific decoders (shared across dates) reconstruct the masked
patches of every image (MSE on normalised pixels).

TM fusion, section 3.1.4 of the paper (`variant="section"`, the default): at date t the tokens of
modality m are the queries; the keys/values are the other modalities' tokens of date t and the
fused tokens of date t-1. `variant="algorithm1"` follows the paper's Algorithm 1 as we read it: the
other modality is the query, keys/values are the modality's own tokens and the running state, and
the state is overwritten by each new result. Both are causal: date t never sees date t+1.

The encoder part is a plain engine SpectralEncoder (released tensor names): it loads through
engine.model.load_encoder; the fusion blocks are exported next to it (`<stem>.seamo.safetensors`).
"""
from __future__ import annotations

from typing import Optional, Sequence

import torch
from torch import nn

from ..model.encoder import SpectralEncoder
from ..model.projection import NUM_TRAINED
from ..model.vit import LAYERNORM_EPS, Architecture, Block, resize_pos_embed, sincos_pos_embed
from .mae import patchify

Mix = tuple[tuple[int, float], ...]
VARIANTS = ("section", "algorithm1")


class CrossBlock(nn.Module):
    """Pre-norm cross-attention (queries attend to keys/values) + MLP, both residual."""

    def __init__(self, dim: int, heads: int, mlp_ratio: float = 4.0):
        super().__init__()
        self.norm_q = nn.LayerNorm(dim, eps=LAYERNORM_EPS)
        self.norm_kv = nn.LayerNorm(dim, eps=LAYERNORM_EPS)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm_mlp = nn.LayerNorm(dim, eps=LAYERNORM_EPS)
        hidden = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, q: torch.Tensor, kv: torch.Tensor) -> torch.Tensor:
        k = self.norm_kv(kv)
        q = q + self.attn(self.norm_q(q), k, k, need_weights=False)[0]
        return q + self.mlp(self.norm_mlp(q))


class TemporalMultimodalFusion(nn.Module):
    """TM fusion over dates (outer loop, causal) and modalities; see the module docstring."""

    def __init__(self, dim: int, heads: int, depth: int = 1, variant: str = "section", mlp_ratio: float = 4.0):
        super().__init__()
        if variant not in VARIANTS:
            raise ValueError(f"TM fusion variant must be one of {VARIANTS}, got {variant!r}")
        self.variant = variant
        self.blocks = nn.ModuleList(CrossBlock(dim, heads, mlp_ratio) for _ in range(depth))
        # Tell the blocks which keys come from another modality and which from the previous date.
        self.other_embed = nn.Parameter(torch.zeros(1, 1, dim))
        self.previous_embed = nn.Parameter(torch.zeros(1, 1, dim))
        nn.init.normal_(self.other_embed, std=0.02)
        nn.init.normal_(self.previous_embed, std=0.02)

    def _attend(self, q: torch.Tensor, kv: list[torch.Tensor]) -> torch.Tensor:
        if not kv:
            return q
        kv_all = torch.cat(kv, 1)
        for blk in self.blocks:
            q = blk(q, kv_all)
        return q

    def step(self, date: Sequence[torch.Tensor], state: Optional[torch.Tensor]):
        """One date: tokens of each modality [B, N, D] and the state from date t-1 (None at the first
        date) -> (fused tokens per modality, state for date t+1)."""
        fused = []
        for m, own in enumerate(date):
            others = [x for o, x in enumerate(date) if o != m]
            prev = [state + self.previous_embed] if state is not None else []
            if self.variant == "section":
                # queries: this modality; keys/values: the other modalities now + date t-1 fused
                fused.append(self._attend(own, [x + self.other_embed for x in others] + prev))
            else:
                # Algorithm 1: the other modality queries this one and the running state, and the
                # result overwrites the state at once.
                q = others[0] if others else own
                res = self._attend(q, ([own + self.other_embed] if others else []) + prev)
                fused.append(res)
                state = res
        if self.variant == "section":
            state = torch.cat(fused, 1)
        return fused, state

    def forward(self, tokens: Sequence[Sequence[torch.Tensor]]) -> list[list[torch.Tensor]]:
        """tokens[t][m]: [B, N_t, D] (modalities of one date share positions) -> fused, same shapes."""
        out: list[list[torch.Tensor]] = []
        state: Optional[torch.Tensor] = None
        for date in tokens:
            fused, state = self.step(date, state)
            out.append(fused)
        return out


class ModalityDecoder(nn.Module):
    """MAE decoder of one modality (shared across dates), with per-band spectral reprojection."""

    def __init__(self, embed_dim: int, dim: int, depth: int, heads: int, grid: int, patch: int, mlp_ratio: float = 4.0):
        super().__init__()
        self.grid, self.patch = grid, patch
        self.embed = nn.Linear(embed_dim, dim)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(sincos_pos_embed(dim, grid), requires_grad=False)
        self.blocks = nn.ModuleList(Block(dim, heads, mlp_ratio) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=LAYERNORM_EPS)
        self.preds = nn.ModuleList(nn.Linear(dim, patch * patch) for _ in range(NUM_TRAINED))
        nn.init.normal_(self.mask_token, std=0.02)

    def forward(self, visible: torch.Tensor, keep: torch.Tensor, n: int, grid: tuple[int, int],
                mixes: Sequence[Mix]) -> torch.Tensor:
        """visible [B, K, D] at token positions keep [B, K] -> predicted pixels [B, N, C, p*p]."""
        x = self.embed(visible)
        b, _, d = x.shape
        full = self.mask_token.to(x.dtype).expand(b, n, d).clone()
        full.scatter_(1, keep.unsqueeze(-1).expand(-1, -1, d), x)
        pos = self.pos if grid == (self.grid, self.grid) else resize_pos_embed(self.pos, self.grid, grid)
        x = full + pos[:, 1:].to(x.dtype)
        for blk in self.blocks:
            x = blk(x)
        x = self.norm(x)
        w = torch.stack([sum(self.preds[i].weight * a for i, a in mix) for mix in mixes])  # [C, p*p, Dd]
        bias = torch.stack([sum(self.preds[i].bias * a for i, a in mix) for mix in mixes])
        return torch.einsum("bnd,cpd->bncp", x, w) + bias


def _targets(x: torch.Tensor, p: int, norm_pix: bool = False) -> torch.Tensor:
    """Pixels [B, N, C, p*p]; norm_pix normalises each patch over all its bands together (as the
    SMARTIES MAE). Off by default here: a patch's level is what SAR carries (its texture is speckle),
    and the images are already normalised per band."""
    t = patchify(x, p).float()
    if not norm_pix:
        return t
    mean = t.mean((-1, -2), keepdim=True)
    var = t.var((-1, -2), keepdim=True, unbiased=False)
    return (t - mean) / (var + 1e-6).sqrt()


class SeaMoMAE(nn.Module):
    """Shared encoder + TM fusion + one decoder per modality; forward -> (loss, details)."""

    def __init__(self, arch: Architecture, modalities: int = 2, decoder_dim: int = 64, decoder_depth: int = 1,
                 decoder_heads: int = 2, tm_depth: int = 1, tm_variant: str = "section"):
        super().__init__()
        self.encoder = SpectralEncoder(arch)
        self.encoder.init_weights()
        self.encoder.pos_embed.requires_grad_(False)
        self.modalities = modalities
        self.fusion = TemporalMultimodalFusion(arch.embed_dim, arch.num_heads, tm_depth, tm_variant)
        self.decoders = nn.ModuleList(ModalityDecoder(arch.embed_dim, decoder_dim, decoder_depth, decoder_heads,
                                                      arch.grid, arch.patch_size) for _ in range(modalities))

    @property
    def patch_size(self) -> int:
        return self.encoder.patch_size

    def encode_date(self, images: Sequence[torch.Tensor], mixes: Sequence[Sequence[Mix]],
                    keep: Optional[torch.Tensor]) -> list[torch.Tensor]:
        """Visible tokens of every modality of one date through the shared encoder (after its norm).

        keep [B, K]: visible token positions shared by the modalities (None = all tokens).
        Returns one [B, K, D] tensor per modality.
        """
        enc = self.encoder
        b, _, h, w = images[0].shape
        grid = (h // enc.patch_size, w // enc.patch_size)
        pos = enc.pos_embed_for(*grid)
        parts = []
        for x, mix in zip(images, mixes):
            tok = enc.embed_patches(x, mix) + pos[:, 1:].to(x.dtype)
            if keep is not None:
                tok = torch.gather(tok, 1, keep.unsqueeze(-1).expand(-1, -1, tok.shape[-1]))
            parts.append(tok)
        cls = (enc.cls_token + pos[:, :1]).expand(b, -1, -1)
        x = torch.cat([cls] + parts, 1)
        for blk in enc.blocks:
            x = blk(x)
        x = enc.norm(x)[:, 1:]
        return list(x.split([p.shape[1] for p in parts], 1))

    def forward(self, series: Sequence[Sequence[torch.Tensor]], mixes: Sequence[Sequence[Mix]],
                mask_ratio: float = 0.75, fusion: bool = True, generator: Optional[torch.Generator] = None,
                norm_pix: bool = False):
        """series[t][m]: normalised images [B, C_m, H, W] (modalities of a date co-registered).

        fusion=False skips the TM blocks (stage 1 of the progressive schedule).
        """
        p = self.patch_size
        b, _, h, w = series[0][0].shape
        grid = (h // p, w // p)
        n = grid[0] * grid[1]
        n_keep = max(1, int(n * (1 - mask_ratio)))
        dev = series[0][0].device
        keeps, latents = [], []
        for date in series:
            shuffle = torch.rand(b, n, device=dev, generator=generator).argsort(1)  # one mask per date
            keep = shuffle[:, :n_keep]
            keeps.append(keep)
            latents.append(self.encode_date(date, mixes, keep))
        fused = self.fusion(latents) if fusion else latents
        total = series[0][0].new_zeros((), dtype=torch.float32)
        per_modality = [0.0] * len(mixes)
        for t, date in enumerate(series):
            hidden = torch.ones(b, n, dtype=torch.bool, device=dev)
            hidden.scatter_(1, keeps[t], False)
            for m, x in enumerate(date):
                pred = self.decoders[m](fused[t][m], keeps[t], n, grid, mixes[m])
                err = ((pred.float() - _targets(x, p, norm_pix)) ** 2).mean((-1, -2))  # [B, N]
                loss_m = (err * hidden).sum() / hidden.sum().clamp_min(1)
                per_modality[m] += float(loss_m.detach()) / len(series)
                total = total + loss_m
        loss = total / (len(series) * len(mixes))
        return loss, {"per_modality": per_modality}


def fusion_state(model: SeaMoMAE) -> dict:
    """The TM fusion tensors (exported next to the encoder for the 'fusion' seasonal pooling)."""
    return {f"fusion.{k}": v for k, v in model.fusion.state_dict().items()}
