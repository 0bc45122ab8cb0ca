"""ViT transformer blocks with the exact tensor names of the released SMARTIES state_dicts.

Names (timm / MAE layout): ``cls_token``, ``pos_embed``, ``blocks.N.norm1``, ``blocks.N.attn.qkv``,
``blocks.N.attn.proj``, ``blocks.N.norm2``, ``blocks.N.mlp.fc1``, ``blocks.N.mlp.fc2``, ``norm``,
optional ``fc_norm``. The patch embedding (spectrum projection) lives in ``projection.py``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

LAYERNORM_EPS = 1e-6


@dataclass(frozen=True)
class Architecture:
    """Shape of a SMARTIES encoder (what a model card's "architecture" section holds)."""

    embed_dim: int = 768
    depth: int = 12
    num_heads: int = 12
    patch_size: int = 16
    img_size: int = 224
    mlp_ratio: float = 4.0
    num_spectral: int = 17
    fc_norm: bool = False

    def to_card(self) -> dict:
        """The card's "architecture" dict."""
        return asdict(self)

    @property
    def grid(self) -> int:
        """Patches per side of the native (pretraining) window."""
        return self.img_size // self.patch_size


class Attention(nn.Module):
    """Multi-head self-attention with one fused qkv Linear (names: qkv, proj)."""

    def __init__(self, dim: int, num_heads: int):
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"embed_dim {dim} is not divisible by num_heads {num_heads}")
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d = x.shape[-1]
        # unflatten/flatten instead of reshape(b, n, ...) keeps the batch size dynamic in ONNX.
        qkv = self.qkv(x).unflatten(-1, (3, self.num_heads, d // self.num_heads)).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        x = F.scaled_dot_product_attention(q, k, v)
        return self.proj(x.transpose(1, 2).flatten(2))


class Mlp(nn.Module):
    """fc1 -> exact (erf) GELU -> fc2."""

    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    """Pre-norm transformer block: x + attn(norm1(x)); x + mlp(norm2(x)); no layer-scale."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=LAYERNORM_EPS)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim, eps=LAYERNORM_EPS)
        self.mlp = Mlp(dim, int(round(dim * mlp_ratio)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ViTTrunk(nn.Module):
    """Everything after the patch embedding: tokens, position table, blocks and norms.

    Subclasses add the patch embedding; parameters sit at the top level so that the state_dict
    names equal the released ones.
    """

    def __init__(self, arch: Architecture):
        super().__init__()
        self.arch = arch
        d = arch.embed_dim
        self.embed_dim = d
        self.patch_size = arch.patch_size
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + arch.grid * arch.grid, d))
        self.blocks = nn.ModuleList(Block(d, arch.num_heads, arch.mlp_ratio) for _ in range(arch.depth))
        self.norm = nn.LayerNorm(d, eps=LAYERNORM_EPS)
        self.fc_norm: Optional[nn.LayerNorm] = (
            nn.LayerNorm(d, eps=LAYERNORM_EPS) if arch.fc_norm else None
        )
        self._pos_cache: dict = {}

    def init_weights(self) -> None:
        """MAE-style initialisation for training from scratch (released weights overwrite it)."""
        nn.init.normal_(self.cls_token, std=0.02)
        with torch.no_grad():
            self.pos_embed.copy_(sincos_pos_embed(self.embed_dim, self.arch.grid))
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def pos_embed_for(self, grid_h: int, grid_w: int) -> torch.Tensor:
        """Position table [1, 1 + grid_h*grid_w, D] for a window of that many patches."""
        g = self.arch.grid
        if (grid_h, grid_w) == (g, g):
            return self.pos_embed
        training = torch.is_grad_enabled() and self.pos_embed.requires_grad
        # The cache key carries the tensor version so an optimiser step invalidates it.
        key = (grid_h, grid_w, self.pos_embed.device, self.pos_embed.dtype, _version(self.pos_embed),
               self.pos_embed.data_ptr())
        if not training and key in self._pos_cache:
            return self._pos_cache[key]
        table = resize_pos_embed(self.pos_embed, g, (grid_h, grid_w))
        if not training:
            if len(self._pos_cache) > 16:
                self._pos_cache.clear()
            table = self._pos_cache[key] = table.detach()
        return table

    def forward_tokens(self, tokens: torch.Tensor, grid: tuple[int, int],
                       pos: Optional[torch.Tensor] = None):
        """Run patch tokens [B, N, D] through the trunk; returns (cls [B, D], last block output)."""
        b = tokens.shape[0]
        pos = (self.pos_embed_for(*grid) if pos is None else pos).to(tokens.dtype)
        x = torch.cat([self.cls_token.to(tokens.dtype).expand(b, -1, -1), tokens], dim=1) + pos
        for blk in self.blocks:
            x = blk(x)
        cls = self.norm(x)[:, 0]
        return cls, x

    def tokens_to_map(self, x: torch.Tensor, grid: tuple[int, int]) -> torch.Tensor:
        """Last block output [B, 1+N, D] -> patch tokens [B, D, H/16, W/16] (no final norm)."""
        return x[:, 1:].transpose(1, 2).unflatten(2, (grid[0], grid[1]))

    def pool(self, x: torch.Tensor) -> torch.Tensor:
        """fc_norm(mean of patch tokens); only for checkpoints that carry fc_norm."""
        if self.fc_norm is None:
            from ..errors import EngineError

            raise EngineError("this checkpoint has no fc_norm tensors, so it has no pooled feature; "
                              "use cls_features() instead")
        return self.fc_norm(x[:, 1:].mean(dim=1))


def _version(t: torch.Tensor) -> int:
    # Tensors made under torch.inference_mode() have no version counter (and cannot be trained).
    try:
        return t._version
    except RuntimeError:
        return -1


def resize_pos_embed(pos_embed: torch.Tensor, grid: int, new_grid: tuple[int, int]) -> torch.Tensor:
    """Bicubic resize of a [1, 1+g*g, D] table to new_grid (CLS row kept as is)."""
    d = pos_embed.shape[-1]
    cls_row, table = pos_embed[:, :1], pos_embed[:, 1:]
    table = table.reshape(1, grid, grid, d).permute(0, 3, 1, 2).float()
    table = F.interpolate(table, size=new_grid, mode="bicubic", align_corners=False)
    table = table.permute(0, 2, 3, 1).reshape(1, new_grid[0] * new_grid[1], d).to(pos_embed.dtype)
    return torch.cat([cls_row, table], dim=1)


def sincos_pos_embed(dim: int, grid: int) -> torch.Tensor:
    """MAE 2-D sin-cos position table [1, 1+grid*grid, dim] with a zero CLS row."""
    if dim % 4:
        raise ValueError(f"embed_dim {dim} must be divisible by 4 for a sin-cos table")
    coords = torch.arange(grid, dtype=torch.float64)
    gy, gx = torch.meshgrid(coords, coords, indexing="ij")
    omega = 1.0 / 10000 ** (torch.arange(dim // 4, dtype=torch.float64) / (dim / 4.0))

    def one_axis(pos: torch.Tensor) -> torch.Tensor:
        out = pos.reshape(-1, 1) * omega.reshape(1, -1)
        return torch.cat([out.sin(), out.cos()], dim=1)

    # MAE order: first half of the channels encodes the column (x), second half the row (y).
    emb = torch.cat([one_axis(gx), one_axis(gy)], dim=1)
    emb = torch.cat([torch.zeros(1, dim, dtype=torch.float64), emb], dim=0)
    return emb.float().unsqueeze(0)
