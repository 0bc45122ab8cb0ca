"""Channel-separated encoder (ChannelViT-style, Zhambulova et al. "Overlap-Free Modality
Generalization"): one token per (band, 16x16 patch), a shared patch projection, and separable
positional encodings: a 2-D spatial sin-cos table plus a spectral encoding computed from the band's
wavelength range and polarisation (a small MLP on Fourier features of log-wavelength), so a band
never seen in training still gets an encoding. Patch tokens for the engine's products are the
band tokens of each place pooled (mean) into one token per patch: [B, D, H/16, W/16], as any
encoder gives them, so embeddings, clusters and similarity work unchanged.

Bands are resolved by engine.spectral like for the SMARTIES encoder: a band outside the spectrum
(or a cirrus band) is refused with the same message. The card's architecture names the kind
("channel_separated") so checkpoint.load_checkpoint builds this class from a file.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Optional, Sequence, Union

import torch
from torch import nn

from ..errors import BandError, CheckpointError
from .encoder import PRECISIONS, _band_label, autocast_for, check_images, window_size
from .vit import ViTTrunk

KIND = "channel_separated"
_LOG_LO, _LOG_SPAN = math.log10(300.0), 6.0  # log10(nm) of 300 nm -> 0, of ~3e8 nm (30 cm) -> 1
_POLS = ("VV", "VH", "HH", "HV")


@dataclass(frozen=True)
class ChannelArchitecture:
    """Shape of a channel-separated encoder (the card's "architecture", with kind)."""

    embed_dim: int = 64
    depth: int = 2
    num_heads: int = 2
    patch_size: int = 16
    img_size: int = 96
    mlp_ratio: float = 4.0
    spectral_freqs: int = 6
    fc_norm: bool = False
    kind: str = KIND

    def to_card(self) -> dict:
        """The card's "architecture" dict."""
        return asdict(self)

    @property
    def grid(self) -> int:
        """Patches per side of the native window."""
        return self.img_size // self.patch_size


def band_ranges(bands: Sequence, rule: str = "published", extrapolate: bool = False) -> list[tuple[float, float, str]]:
    """(min_nm, max_nm, polarisation) of each band entry, resolved by engine.spectral; BandError
    (with the channel) for an empty list, a duplicate, or a band the spectrum cannot take."""
    from .. import spectral

    if isinstance(bands, (str, bytes)) or not bands:
        raise BandError("no bands given: pass one band entry per input channel "
                        "(e.g. [\"sentinel2:B04\", \"sentinel2:B03\", \"sentinel2:B02\"])")
    out, seen = [], {}
    for pos, band in enumerate(bands):
        try:
            decision = spectral.resolve_band(band, rule=rule, extrapolate=extrapolate)
        except BandError as exc:
            raise BandError(f"channel {pos + 1} of {len(bands)} ({_band_label(band)}): {exc}") from None
        spec = decision.band
        key = (spec.min_nm, spec.max_nm, (spec.polarization or "").upper())
        if key in seen:
            raise BandError(f"channel {pos + 1} ({_band_label(band)}) is the same band as channel {seen[key] + 1}; "
                            "each input channel must be a different band")
        seen[key] = pos
        out.append(key)
    return out


class SpectralEncoding(nn.Module):
    """Band range -> [D]: an MLP on Fourier features of log10(min), log10(max) and the polarisation."""

    def __init__(self, dim: int, freqs: int = 6):
        super().__init__()
        self.freqs = freqs
        n_in = 2 * (1 + 2 * freqs) + len(_POLS)
        self.mlp = nn.Sequential(nn.Linear(n_in, dim), nn.GELU(), nn.Linear(dim, dim))

    def features(self, ranges: Sequence[tuple[float, float, str]], device=None) -> torch.Tensor:
        """[C, n_in] input features of the MLP."""
        rows = []
        for lo, hi, pol in ranges:
            u = [(math.log10(max(v, 1.0)) - _LOG_LO) / _LOG_SPAN for v in (lo, hi)]
            row = []
            for v in u:
                row.append(v)
                for k in range(self.freqs):
                    row += [math.sin((2 ** k) * math.pi * v), math.cos((2 ** k) * math.pi * v)]
            row += [1.0 if pol == p else 0.0 for p in _POLS]
            rows.append(row)
        return torch.tensor(rows, dtype=torch.float32, device=device)

    def forward(self, ranges: Sequence[tuple[float, float, str]]) -> torch.Tensor:
        """Spectral encodings [C, D]."""
        w = self.mlp[0].weight
        return self.mlp(self.features(ranges, w.device).to(w.dtype))


class ChannelSeparatedEncoder(ViTTrunk):
    """ViT over (band, patch) tokens; patch_tokens() pools the bands of each place."""

    def __init__(self, arch: ChannelArchitecture = ChannelArchitecture(), card: Optional[dict] = None):
        super().__init__(arch)
        p = arch.patch_size
        self.channel_embed = nn.Linear(p * p, arch.embed_dim)  # shared by every band: patch (1, p, p)
        self.spectral_encoding = SpectralEncoding(arch.embed_dim, arch.spectral_freqs)
        self.card: dict = dict(card or {})
        self.source: Optional[str] = None
        self.amp_dtype: Optional[torch.dtype] = None

    def set_precision(self, precision: str = "float32") -> "ChannelSeparatedEncoder":
        """bfloat16/float16 autocast on CUDA ("float32" turns it off)."""
        self.amp_dtype = PRECISIONS[precision]
        return self

    # -- tokens ----------------------------------------------------------------------------
    def band_tokens(self, x: torch.Tensor, spectral: torch.Tensor) -> torch.Tensor:
        """Images [B, C, H, W] -> tokens [B, C, N, D] = shared projection + spatial + spectral."""
        b, c, h, w = x.shape
        p = self.patch_size
        grid = (h // p, w // p)
        patches = x.reshape(b, c, grid[0], p, grid[1], p).permute(0, 1, 2, 4, 3, 5).reshape(b, c, grid[0] * grid[1], p * p)
        tok = self.channel_embed(patches)
        pos = self.pos_embed_for(*grid)[:, 1:].to(tok.dtype)  # [1, N, D]
        return tok + pos.unsqueeze(1) + spectral.to(tok.dtype)[None, :, None, :]

    def run_blocks(self, tokens: torch.Tensor) -> torch.Tensor:
        """Flat band tokens [B, M, D] -> last block output [B, 1+M, D] (CLS first)."""
        cls = (self.cls_token + self.pos_embed[:, :1]).to(tokens.dtype).expand(tokens.shape[0], -1, -1)
        x = torch.cat([cls, tokens], 1)
        for blk in self.blocks:
            x = blk(x)
        return x

    def forward_embedded(self, x: torch.Tensor, spectral: torch.Tensor):
        """(cls [B, D], pooled last output [B, 1+N, D], grid) with precomputed spectral encodings."""
        tok = self.band_tokens(x, spectral)
        b, c, n, d = tok.shape
        last = self.run_blocks(tok.reshape(b, c * n, d))
        pooled = last[:, 1:].reshape(b, c, n, d).mean(1)
        last = torch.cat([last[:, :1], pooled], 1)
        return self.norm(last)[:, 0], last, (x.shape[2] // self.patch_size, x.shape[3] // self.patch_size)

    # -- the encoder interface of the engine -------------------------------------------------
    def encode(self, x, bands: Sequence, rule: str = "published", extrapolate: bool = False):
        """(cls [B, D], pooled last block output [B, 1+N, D], grid) for images [B, C, H, W]."""
        bands = list(bands) if not isinstance(bands, (str, bytes)) else bands
        ranges = band_ranges(bands, rule, extrapolate)
        x = check_images(x, len(ranges), self.patch_size, self.cls_token.device, [_band_label(b) for b in bands])
        with autocast_for(x.device, self.amp_dtype):
            return self.forward_embedded(x, self.spectral_encoding(ranges))

    def forward(self, x, bands: Sequence, rule: str = "published", extrapolate: bool = False):
        """(cls [B, D], patch tokens [B, D, H/16, W/16]) in float32."""
        cls, last, grid = self.encode(x, bands, rule, extrapolate)
        return cls.float(), self.tokens_to_map(last, grid).float()

    def cls_features(self, x, bands: Sequence, **kw) -> torch.Tensor:
        """CLS feature [B, D]."""
        return self.encode(x, bands, **kw)[0].float()

    def patch_tokens(self, x, bands: Sequence, **kw) -> torch.Tensor:
        """Band tokens of each place pooled, no final norm -> [B, D, H/16, W/16]."""
        _, last, grid = self.encode(x, bands, **kw)
        return self.tokens_to_map(last, grid).float()

    def bake(self, bands: Sequence, img_size: Union[int, tuple[int, int]] = 224, rule: str = "published",
             extrapolate: bool = False) -> "BakedChannelEncoder":
        """Freeze a band list and window (the runner's backends call this)."""
        bands = list(bands) if not isinstance(bands, (str, bytes)) else bands
        return BakedChannelEncoder(self, band_ranges(bands, rule, extrapolate), img_size, [_band_label(b) for b in bands])


class BakedChannelEncoder(nn.Module):
    """A channel-separated encoder frozen to one band list and window: forward(x) -> (cls, tokens)."""

    def __init__(self, encoder: ChannelSeparatedEncoder, ranges, img_size, labels: Sequence[str]):
        super().__init__()
        (h, w), p = window_size(img_size, encoder.patch_size), encoder.patch_size
        self.trunk = encoder
        self.labels = list(labels)
        self.img_size = (h, w)
        self.grid = (h // p, w // p)
        self.embed_dim = encoder.embed_dim
        self.patch_size = p
        self.amp_dtype = encoder.amp_dtype
        # The band list as the ONNX export records it (one "mix" per band: its range and polarisation).
        self.mixes = [(tuple(r),) for r in ranges]
        with torch.no_grad():
            self.register_buffer("spectral", encoder.spectral_encoding(ranges).detach().clone(), persistent=False)
            self.register_buffer("pos", encoder.pos_embed_for(*self.grid).detach().clone(), persistent=False)
        self.eval()

    @property
    def num_bands(self) -> int:
        """Number of input channels."""
        return int(self.spectral.shape[0])

    def forward(self, x: torch.Tensor):
        """(cls [B, D], patch tokens [B, D, H/16, W/16]) (no validation)."""
        cls, last, grid = self.trunk.forward_embedded(x, self.spectral)
        return cls, self.trunk.tokens_to_map(last, grid)

    def patch_tokens(self, x, bands=None) -> torch.Tensor:
        """Validated patch tokens [B, D, H/16, W/16]."""
        x = check_images(x, self.num_bands, self.patch_size, self.spectral.device, self.labels)
        with autocast_for(x.device, self.amp_dtype):
            return self(x)[1].float()


def is_channel_separated(tensors, card: Optional[dict] = None) -> bool:
    """True when a checkpoint holds a channel-separated encoder (card kind or tensor names)."""
    kind = ((card or {}).get("architecture") or {}).get("kind")
    if kind:
        return kind == KIND
    return any(k.startswith("spectral_encoding.") for k in tensors)


def channel_encoder_from_state_dict(sd, card: Optional[dict] = None, source: str = "checkpoint") -> ChannelSeparatedEncoder:
    """Build a ChannelSeparatedEncoder from its tensors (decoder_* set aside) and load strictly."""
    enc_sd = {k: v for k, v in sd.items() if not k.startswith("decoder_")}
    arch_card = dict((card or {}).get("architecture") or {})
    if "channel_embed.weight" not in enc_sd or "cls_token" not in enc_sd:
        raise CheckpointError(f"{source} is not a channel-separated encoder: it lacks 'channel_embed.weight' or "
                              "'cls_token'")
    d = int(enc_sd["cls_token"].shape[-1])
    p = int(math.isqrt(int(enc_sd["channel_embed.weight"].shape[1])))
    depth = 1 + max(int(k.split(".")[1]) for k in enc_sd if k.startswith("blocks."))
    rows = int(enc_sd["pos_embed"].shape[1]) - 1
    n_in = int(enc_sd["spectral_encoding.mlp.0.weight"].shape[1])
    hidden = int(enc_sd["blocks.0.mlp.fc1.weight"].shape[0])
    arch = ChannelArchitecture(embed_dim=d, depth=depth, num_heads=int(arch_card.get("num_heads") or max(1, d // 32)),
                               patch_size=p, img_size=math.isqrt(rows) * p, mlp_ratio=hidden / d,
                               spectral_freqs=(n_in - len(_POLS) - 2) // 4)
    model = ChannelSeparatedEncoder(arch, card)
    try:
        model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in enc_sd.items()}, strict=True)
    except RuntimeError as exc:
        raise CheckpointError(f"{source}: the channel-separated encoder tensors do not fit ({str(exc).splitlines()[0]}); "
                              "the file is damaged or not this architecture") from None
    return model.eval()
