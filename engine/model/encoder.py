"""SpectralEncoder: the SMARTIES ViT that takes any band combination, and its baked form.

Public API::

    from engine.model import load_encoder
    enc = load_encoder("smarties-v1-vitb")            # or "default", or a .safetensors/.pt path
    x = torch.randn(2, 3, 224, 224)                    # normalised bands, [B, C, H, W]
    bands = ["sentinel2:B04", "sentinel2:B03", 9]      # one entry per channel
    cls = enc.cls_features(x, bands)                   # [B, D]
    tokens = enc.patch_tokens(x, bands)                # [B, D, H/16, W/16]
    baked = enc.bake(bands, img_size=224)              # one strided conv + plain ViT
    cls, tokens = baked(x)

A band entry is a projection-layer index 0..18 (17/18 = the reference derived layers), a preset
band name ("sentinel2:B04"), a wavelength range ("634-696nm"), a BandSpec or a LayerDecision.
Windows may be any multiple of 16 (also non-square); the position table is resized bicubically.
"""
from __future__ import annotations

import contextlib
from typing import Any, Optional, Sequence, Union

import numpy as np
import torch
from torch import nn

from ..errors import BandError, EngineError
from .projection import Mix, SpectrumProjection, bake_patch_conv, layer_mix
from .vit import Architecture, ViTTrunk

BandEntry = Any  # int | str | BandSpec | LayerDecision
PRECISIONS = {"float32": None, "bfloat16": torch.bfloat16, "float16": torch.float16}


def _band_label(band: BandEntry) -> str:
    """Short readable name of a band entry for messages."""
    inner = getattr(band, "band", None)  # LayerDecision -> its BandSpec
    if inner is not None and hasattr(inner, "name"):
        return str(inner.name)
    if hasattr(band, "name") and hasattr(band, "min_nm"):
        return str(band.name)
    return repr(band) if isinstance(band, str) else str(band)


def _duplicate_key(band: BandEntry):
    if isinstance(band, (int, np.integer)) and not isinstance(band, bool):
        return ("layer", int(band))
    if isinstance(band, str):
        return ("text", band.strip().lower())
    inner = getattr(band, "band", None)
    spec = inner if inner is not None and hasattr(inner, "min_nm") else band
    if hasattr(spec, "min_nm"):
        return ("spec", str(getattr(spec, "name", "")).lower(), spec.min_nm, spec.max_nm,
                getattr(spec, "polarization", None), getattr(spec, "sensor", None))
    return ("object", id(band))


def resolve_mixes(bands: Sequence[BandEntry], rule: str = "published",
                  extrapolate: bool = False) -> list[Mix]:
    """One mix of trained layers per band entry; BandError for empty, duplicate or unknown bands."""
    if isinstance(bands, (str, bytes)) or not isinstance(bands, Sequence) and not hasattr(bands, "__iter__"):
        raise BandError(f"bands must be a list with one entry per channel, got {bands!r}")
    bands = list(bands)
    if not bands:
        raise BandError("no bands given: pass one band entry per input channel "
                        "(e.g. [\"sentinel2:B04\", \"sentinel2:B03\", \"sentinel2:B02\"])")
    seen: dict = {}
    for pos, band in enumerate(bands):
        key = _duplicate_key(band)
        if key in seen:
            raise BandError(f"band {_band_label(band)} is given twice (channels {seen[key] + 1} and "
                            f"{pos + 1}); each input channel must be a different band")
        seen[key] = pos

    mixes: list[Optional[Mix]] = [None] * len(bands)
    to_resolve: list[tuple[int, BandEntry]] = []
    for pos, band in enumerate(bands):
        if isinstance(band, bool):
            raise BandError(f"channel {pos + 1}: {band!r} is not a band")
        if isinstance(band, (int, np.integer)):
            mixes[pos] = layer_mix(int(band))
        elif hasattr(band, "mix") and hasattr(band, "layer_index"):  # a LayerDecision
            mixes[pos] = _decision_mix(band, pos)
        else:
            to_resolve.append((pos, band))
    if to_resolve:
        try:
            from .. import spectral
        except ImportError as exc:  # spectral.py is another module of the engine
            raise EngineError("band names need engine.spectral, which could not be imported "
                              f"({exc}); pass projection-layer indices 0..18 instead") from exc
        ranges: dict = {}
        for pos, band in to_resolve:
            # One at a time so that a message names the channel position in the whole list.
            try:
                decision = spectral.resolve_band(band, rule=rule, extrapolate=extrapolate)
            except BandError as exc:
                raise BandError(f"channel {pos + 1} of {len(bands)} ({_band_label(band)}): {exc}") from None
            spec = decision.band
            key = (spec.min_nm, spec.max_nm, (getattr(spec, "polarization", None) or "").upper())
            if key in ranges:
                raise BandError(f"channel {pos + 1} ({_band_label(band)}) is the same band as channel "
                                f"{ranges[key] + 1} ({_band_label(bands[ranges[key]])}); each input channel "
                                "must be a different band")
            ranges[key] = pos
            mixes[pos] = _decision_mix(decision, pos)
    return [m for m in mixes if m is not None]


def _decision_mix(decision, pos: int) -> Mix:
    mix = tuple((int(i), float(w)) for i, w in (decision.mix or ()))
    if not mix or getattr(decision, "kind", "") == "unsupported":
        why = getattr(decision, "explanation", "") or "it has no projection layer"
        raise BandError(f"channel {pos + 1} ({_band_label(decision)}) cannot be used: {why}")
    for idx, _ in mix:
        if not 0 <= idx < 17:
            raise BandError(f"channel {pos + 1} ({_band_label(decision)}) mixes layer {idx}; "
                            "only trained layers 0..16 can be mixed")
    return mix


def check_images(x, n_bands: int, patch_size: int, device: torch.device,
                 labels: Optional[Sequence[str]] = None) -> torch.Tensor:
    """Validate a [B, C, H, W] batch and return it as float32 on `device` (clear errors, no traceback)."""
    if isinstance(x, np.ndarray):
        x = torch.from_numpy(np.ascontiguousarray(x))
    if not isinstance(x, torch.Tensor):
        raise EngineError(f"input must be a torch.Tensor or numpy array [B, C, H, W], got {type(x).__name__}")
    if x.ndim != 4:
        raise EngineError(f"input must have 4 dimensions [batch, bands, height, width], got shape "
                          f"{list(x.shape)}")
    b, c, h, w = x.shape
    if c != n_bands:
        raise BandError(f"the input has {c} channels but {n_bands} bands were given; give exactly one "
                        "band entry per channel, in channel order")
    if h % patch_size or w % patch_size or h == 0 or w == 0:
        def near(v: int) -> str:
            lo = max(patch_size, v // patch_size * patch_size)
            return f"{lo} or {lo + patch_size}" if v % patch_size else str(v)

        raise EngineError(f"window {h}x{w} pixels is not a multiple of the patch size {patch_size}; "
                          f"use e.g. {near(h)} x {near(w)} (window setting)")
    if not x.is_floating_point():
        x = x.float()
    bad = ~torch.isfinite(x)
    if bool(bad.any()):
        per_band = bad.sum(dim=(0, 2, 3))
        ch = int(torch.nonzero(per_band)[0])
        name = labels[ch] if labels else str(ch + 1)
        raise EngineError(f"input contains {int(bad.sum())} NaN/inf values (first in channel {ch + 1}, "
                          f"band {name}); set nodata pixels to 0 after normalisation")
    return x.to(device=device, dtype=torch.float32)


class SpectralEncoder(ViTTrunk):
    """SMARTIES encoder: per-band spectrum projection + ViT, with the released tensor names."""

    def __init__(self, arch: Architecture = Architecture(), card: Optional[dict] = None):
        super().__init__(arch)
        self.spectrum_projection = SpectrumProjection(arch.patch_size, arch.embed_dim, arch.num_spectral)
        self.card: dict = dict(card or {})
        self.source: Optional[str] = None  # file the weights came from (cache keys, messages)
        self.amp_dtype: Optional[torch.dtype] = None  # autocast dtype on CUDA (None = float32)

    # -- precision ---------------------------------------------------------------------------
    def set_precision(self, precision: str = "float32") -> "SpectralEncoder":
        """Use bfloat16/float16 autocast on CUDA ("float32" turns it off); no effect on CPU."""
        if precision not in PRECISIONS:
            raise EngineError(f"unknown precision {precision!r}; use one of {sorted(PRECISIONS)}")
        self.amp_dtype = PRECISIONS[precision]
        return self

    def _autocast(self, device: torch.device):
        return autocast_for(device, self.amp_dtype)

    # -- per-band path -----------------------------------------------------------------------
    def embed_patches(self, x: torch.Tensor, mixes: Sequence[Mix]) -> torch.Tensor:
        """Patch tokens [B, N, D] before the transformer (no validation; used by pretraining)."""
        return self.spectrum_projection(x, mixes)

    def encode(self, x, bands: Sequence[BandEntry], rule: str = "published", extrapolate: bool = False):
        """(cls [B, D], last block output [B, 1+N, D], grid) for images [B, C, H, W]."""
        bands = list(bands) if not isinstance(bands, (str, bytes)) else bands
        mixes = resolve_mixes(bands, rule, extrapolate)
        labels = [_band_label(b) for b in bands]
        x = check_images(x, len(mixes), self.patch_size, self.cls_token.device, labels)
        grid = (x.shape[2] // self.patch_size, x.shape[3] // self.patch_size)
        with self._autocast(x.device):
            cls, last = self.forward_tokens(self.embed_patches(x, mixes), grid)
        return cls, last, grid

    def forward(self, x, bands: Sequence[BandEntry], rule: str = "published", extrapolate: bool = False):
        """(cls [B, D], patch tokens [B, D, H/16, W/16]) in float32."""
        cls, last, grid = self.encode(x, bands, rule, extrapolate)
        return cls.float(), self.tokens_to_map(last, grid).float()

    def cls_features(self, x, bands: Sequence[BandEntry], **kw) -> torch.Tensor:
        """CLS feature norm(x)[:, 0] -> [B, D] (the default image embedding)."""
        return self.encode(x, bands, **kw)[0].float()

    def patch_tokens(self, x, bands: Sequence[BandEntry], **kw) -> torch.Tensor:
        """Last block output without the final norm -> [B, D, H/16, W/16]."""
        _, last, grid = self.encode(x, bands, **kw)
        return self.tokens_to_map(last, grid).float()

    def pooled_features(self, x, bands: Sequence[BandEntry], **kw) -> torch.Tensor:
        """fc_norm(mean of patch tokens) -> [B, D]; only for checkpoints with fc_norm."""
        _, last, _ = self.encode(x, bands, **kw)
        return self.pool(last).float()

    # -- baked path --------------------------------------------------------------------------
    def bake(self, bands: Sequence[BandEntry], img_size: Union[int, tuple[int, int]] = 224,
             rule: str = "published", extrapolate: bool = False) -> "BakedEncoder":
        """Freeze a band list and window size into one strided conv + the plain ViT."""
        bands = list(bands) if not isinstance(bands, (str, bytes)) else bands
        mixes = resolve_mixes(bands, rule, extrapolate)
        return BakedEncoder(self, mixes, img_size, [_band_label(b) for b in bands])


def resolve_device(device: Union[str, torch.device, None] = "auto") -> torch.device:
    """"auto" -> cuda > mps > cpu; otherwise checks that the asked device exists."""
    name = str(device or "auto").lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        dev = torch.device(name)
    except (RuntimeError, ValueError) as exc:
        raise EngineError(f"unknown device {device!r}; use auto, cpu, cuda, cuda:N or mps") from exc
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise EngineError(f"device {device!r} was asked for but no CUDA GPU is available to PyTorch; "
                          "use device 'auto' or 'cpu'")
    if dev.type == "cuda" and dev.index is not None and dev.index >= torch.cuda.device_count():
        raise EngineError(f"device {device!r}: there are only {torch.cuda.device_count()} CUDA GPU(s)")
    if dev.type == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise EngineError("device 'mps' was asked for but Apple MPS is not available; use 'cpu'")
    return dev


def autocast_for(device: torch.device, dtype: Optional[torch.dtype]):
    """bf16/fp16 autocast on CUDA when asked (and supported); a no-op elsewhere."""
    if dtype is None or device.type != "cuda":
        return contextlib.nullcontext()
    if dtype == torch.bfloat16 and not torch.cuda.is_bf16_supported():
        dtype = torch.float16
    return torch.autocast("cuda", dtype=dtype)


def window_size(img_size: Union[int, tuple[int, int]], patch: int) -> tuple[int, int]:
    """(height, width) of a baked window; EngineError unless both are positive multiples of the patch."""
    h, w = (img_size, img_size) if isinstance(img_size, int) else tuple(img_size)
    if h % patch or w % patch or h <= 0 or w <= 0:
        raise EngineError(f"window {h}x{w} is not a positive multiple of the patch size {patch}")
    return h, w


class BakedEncoder(nn.Module):
    """A SpectralEncoder frozen to one band list and window: Conv2d(C, D, 16, 16) + plain ViT.

    Shares the transformer weights with the encoder it was baked from. ``forward(x)`` returns
    (cls [B, D], patch tokens [B, D, H/16, W/16]); the batch size is free, the window is fixed.
    """

    def __init__(self, encoder: SpectralEncoder, mixes: Sequence[Mix],
                 img_size: Union[int, tuple[int, int]], labels: Sequence[str]):
        super().__init__()
        (h, w), p = window_size(img_size, encoder.patch_size), encoder.patch_size
        self.trunk = encoder
        self.mixes = [tuple(m) for m in mixes]
        self.labels = list(labels)
        self.img_size = (h, w)
        self.grid = (h // p, w // p)
        self.embed_dim = encoder.embed_dim
        self.patch_size = p
        self.amp_dtype = encoder.amp_dtype
        self.patch_embed = bake_patch_conv(encoder.spectrum_projection, self.mixes)
        with torch.no_grad():
            self.register_buffer("pos", encoder.pos_embed_for(*self.grid).detach().clone(), persistent=False)
        self.eval()

    @property
    def num_bands(self) -> int:
        """Number of input channels."""
        return len(self.mixes)

    def forward(self, x: torch.Tensor):
        """(cls [B, D], patch tokens [B, D, H/16, W/16]) for images [B, C, H, W] (no validation)."""
        tokens = self.patch_embed(x).flatten(2).transpose(1, 2)
        cls, last = self.trunk.forward_tokens(tokens, self.grid, pos=self.pos)
        return cls, self.trunk.tokens_to_map(last, self.grid)

    def check(self, x) -> torch.Tensor:
        """Validate a batch against the baked band count and window; returns float32 on device."""
        x = check_images(x, self.num_bands, self.patch_size, self.pos.device, self.labels)
        if tuple(x.shape[2:]) != self.img_size:
            raise EngineError(f"this encoder was baked for {self.img_size[0]}x{self.img_size[1]} windows, "
                              f"got {x.shape[2]}x{x.shape[3]}; bake again for that window size")
        return x

    def _check_bands(self, bands) -> None:
        if bands is not None and [tuple(m) for m in resolve_mixes(bands)] != self.mixes:
            raise BandError(f"this encoder was baked for bands {self.labels}; got {list(bands)}. "
                            "Bake again for the new band list")

    def encode(self, x, bands=None):
        """Validated forward: (cls, patch tokens) in float32, with autocast on CUDA when set."""
        self._check_bands(bands)
        x = self.check(x)
        with autocast_for(x.device, self.amp_dtype):
            cls, tokens = self(x)
        return cls.float(), tokens.float()

    def cls_features(self, x, bands=None) -> torch.Tensor:
        """CLS feature [B, D] (bands, when given, must be the baked ones)."""
        return self.encode(x, bands)[0]

    def patch_tokens(self, x, bands=None) -> torch.Tensor:
        """Patch tokens [B, D, H/16, W/16] (bands, when given, must be the baked ones)."""
        return self.encode(x, bands)[1]


__all__ = ["SpectralEncoder", "BakedEncoder", "resolve_mixes", "check_images", "autocast_for", "resolve_device",
           "PRECISIONS"]
