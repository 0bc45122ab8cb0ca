"""Load and save SMARTIES checkpoints (.safetensors, .pt/.pth) and their model cards.

The released files are loaded unchanged: the architecture is read from tensor shapes, decoder
tensors of the pretraining model are set aside, and every encoder tensor is checked by name and
shape before anything is assigned. A model card is a JSON file next to the weights (same stem).

Model card schema::

    {"id", "title", "architecture": {"embed_dim", "depth", "num_heads", "patch_size", "img_size",
     "mlp_ratio"}, "normalization": {"<sensor id>": {"<band name>": {"p1", "p99", "mean", "std"}}},
     "training": {...}, "metrics": {...}, "license", "intended_use", "limitations", "reproduce"}
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Union

import torch

from ..errors import CheckpointError
from .cards import read_card_file
from .encoder import SpectralEncoder, resolve_device
from .projection import NUM_TRAINED
from .vit import Architecture

PathLike = Union[str, os.PathLike]
TORCH_SUFFIXES = (".pt", ".pth", ".ckpt", ".bin")
_DECODER = re.compile(r"^(decoder_|mask_token$)")
_BLOCK = re.compile(r"^blocks\.(\d+)\.")
_SPECTRAL = re.compile(r"^spectrum_projection\.spectrum_embeds\.(\d+)\.")


@dataclass
class CheckpointState:
    """Everything in a checkpoint file, split into encoder, decoder (MAE) and other tensors."""

    path: str
    encoder: dict = field(default_factory=dict)
    decoder: dict = field(default_factory=dict)  # decoder_* and mask_token (resume pretraining)
    other: dict = field(default_factory=dict)  # anything else (reported, never loaded)
    head: dict = field(default_factory=dict)  # head.* of fine-tuned / linear-probe checkpoints
    card: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # non-tensor entries of a .pt file (epoch, optimiser)


def card_path(weights: PathLike) -> Path:
    """The model card that belongs to a weights file: same stem, .json."""
    return Path(weights).with_suffix(".json")


def read_card(weights: PathLike) -> dict:
    """The model card next to a weights file, or {} when there is none."""
    return read_card_file(card_path(weights))


def read_tensors(path: PathLike) -> tuple[dict, dict]:
    """(tensors by name, non-tensor entries) from a .safetensors or torch file, on CPU."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint file not found: {path}")
    if path.suffix.lower() == ".safetensors":
        try:
            from safetensors.torch import load_file
        except ImportError as exc:
            from ..errors import MissingDependency

            raise MissingDependency("reading .safetensors needs the 'safetensors' package "
                                    "(pip install safetensors)") from exc
        try:
            return load_file(str(path), device="cpu"), {}
        except Exception as exc:  # safetensors raises its own error types for truncated headers
            raise CheckpointError(f"checkpoint {path} is corrupt or truncated and cannot be read "
                                  f"({exc}); download it again") from exc
    if path.suffix.lower() in TORCH_SUFFIXES:
        try:
            obj = torch.load(str(path), map_location="cpu", weights_only=True)
        except Exception as exc:
            # torch's own text suggests weights_only=False, which would run the file's code: never say that
            import pickle

            if isinstance(exc, pickle.UnpicklingError) or "weights_only" in str(exc):
                raise CheckpointError(f"checkpoint {path} holds Python objects besides tensors, which SMARTIES never "
                                      "loads (they could run code); save the weights alone, e.g. torch.save(model."
                                      "state_dict(), 'weights.pt'), or as .safetensors") from None
            raise CheckpointError(f"checkpoint {path} is corrupt or truncated and cannot be read "
                                  f"({' '.join(str(exc).split())[:200]}); download it again") from None
        return _unwrap(obj, path)
    raise CheckpointError(f"{path}: unknown checkpoint type {path.suffix!r}; use .safetensors, .pt or .pth")


def _unwrap(obj, path: Path) -> tuple[dict, dict]:
    """A state_dict from a torch file: plain, or nested under "model" / "state_dict"."""
    extra: dict = {}
    for _ in range(3):
        if isinstance(obj, Mapping) and not any(isinstance(v, torch.Tensor) for v in obj.values()):
            for key in ("model", "state_dict", "encoder"):
                if isinstance(obj.get(key), Mapping):
                    extra.update({k: v for k, v in obj.items() if k != key})
                    obj = obj[key]
                    break
            else:
                break
        else:
            break
    if not isinstance(obj, Mapping):
        raise CheckpointError(f"{path} does not hold a state_dict (found {type(obj).__name__})")
    tensors = {k: v for k, v in obj.items() if isinstance(v, torch.Tensor)}
    if not tensors:
        raise CheckpointError(f"{path} holds no tensors; expected a state_dict (plain or under 'model')")
    # Checkpoints saved from DistributedDataParallel prefix every name with "module.".
    if all(k.startswith("module.") for k in tensors):
        tensors = {k[len("module."):]: v for k, v in tensors.items()}
    extra.update({k: v for k, v in obj.items() if not isinstance(v, torch.Tensor)})
    return tensors, extra


def strip_wrapper_prefix(tensors: Mapping[str, torch.Tensor]) -> dict:
    """Names without the prefix a wrapper model adds ("model.", "backbone.", "encoder." ...).

    A transformers-style file or a fine-tuned model may keep the encoder under an attribute; the
    prefix is the one in front of `cls_token`. Tensors outside it keep their names (e.g. head.*)."""
    prefixes = [k[:-len("cls_token")] for k in tensors if k.endswith("cls_token")]
    if len(prefixes) != 1 or not prefixes[0]:
        return dict(tensors)
    p = prefixes[0]
    return {(k[len(p):] if k.startswith(p) else k): v for k, v in tensors.items()}


def split_head(tensors: Mapping[str, torch.Tensor]) -> tuple[dict, dict]:
    """(everything else, head tensors): head.* of the authors' fine-tuned / linear-probe checkpoints."""
    rest, head = {}, {}
    for name, t in tensors.items():
        (head if name.startswith("head.") else rest)[name] = t
    return rest, head


def split_state(tensors: Mapping[str, torch.Tensor]) -> tuple[dict, dict, dict]:
    """(encoder, decoder, other) tensors; "other" are names no SMARTIES encoder has."""
    encoder, decoder, other = {}, {}, {}
    for name, t in tensors.items():
        if _DECODER.match(name):
            decoder[name] = t
        elif name in ("cls_token", "pos_embed") or name.startswith(("blocks.", "norm.", "fc_norm.",
                                                                     "spectrum_projection.")):
            encoder[name] = t
        else:
            other[name] = t
    return encoder, decoder, other


def load_state(path: PathLike) -> CheckpointState:
    """Read a checkpoint with its card, keeping decoder tensors (for resuming pretraining)."""
    tensors, extra = read_tensors(path)
    tensors, head = split_head(strip_wrapper_prefix(tensors))
    encoder, decoder, other = split_state(tensors)
    return CheckpointState(str(path), encoder, decoder, other, card=read_card(path), extra=extra, head=head)


def _mode(values: list[int], what: str, source: str) -> int:
    if not values:
        raise CheckpointError(f"{source} is not a SMARTIES encoder: cannot find {what}")
    return Counter(values).most_common(1)[0][0]


def infer_architecture(sd: Mapping[str, torch.Tensor], card: Optional[dict] = None,
                       source: str = "checkpoint") -> Architecture:
    """Architecture from tensor shapes (the card's "architecture" may set num_heads / mlp_ratio)."""
    arch_card = dict((card or {}).get("architecture") or {})
    for key in ("embed_dim", "depth", "num_heads", "patch_size", "img_size", "mlp_ratio"):
        value = arch_card.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
            raise CheckpointError(f"model card of {source}: architecture.{key} must be a positive number, "
                                  f"got {value!r}")
    if "cls_token" not in sd and "pos_embed" not in sd:
        raise CheckpointError(f"{source} is not a SMARTIES encoder: it has no 'cls_token' or 'pos_embed' "
                              "tensor")
    # Majority vote over several tensors so one damaged tensor is reported by name, not mistaken
    # for a different architecture.
    dims = [sd[k].shape[-1] for k in ("cls_token", "pos_embed") if k in sd and sd[k].ndim]
    dims += [sd[k].shape[0] for k in ("norm.weight", "norm.bias", "blocks.0.norm1.weight",
                                      "blocks.0.attn.proj.bias") if k in sd and sd[k].ndim == 1]
    embed_dim = _mode(dims, "the embedding width", source)

    block_ids = {int(m.group(1)) for k in sd for m in [_BLOCK.match(k)] if m}
    depth = max(block_ids) + 1 if block_ids else 0
    if depth == 0:
        raise CheckpointError(f"{source} is not a SMARTIES encoder: it has no 'blocks.N.*' tensors")

    spectral_ids = sorted({int(m.group(1)) for k in sd for m in [_SPECTRAL.match(k)] if m})
    if spectral_ids != list(range(NUM_TRAINED)):
        missing = sorted(set(range(NUM_TRAINED)) - set(spectral_ids))
        extra = sorted(set(spectral_ids) - set(range(NUM_TRAINED)))
        detail = []
        if missing:
            detail.append(f"missing layers {missing}")
        if extra:
            detail.append(f"unexpected layers {extra}")
        raise CheckpointError(
            f"{source} has spectrum projection layers {spectral_ids or 'none'} ({'; '.join(detail)}); "
            f"a SMARTIES encoder needs exactly the {NUM_TRAINED} trained spectral ranges "
            f"spectrum_projection.spectrum_embeds.0..{NUM_TRAINED - 1}.proj, one per range, in the "
            "published order. This file is a different model or was damaged")

    sizes = [sd[k].shape[-1] for k in sd if _SPECTRAL.match(k) and k.endswith("proj.weight") and sd[k].ndim == 2]
    flat = _mode(sizes, "the spectrum projection weights", source)
    patch_size = int(arch_card.get("patch_size") or math.isqrt(flat))
    if patch_size * patch_size != flat:
        raise CheckpointError(f"{source}: spectrum projection input width {flat} is not a square patch")

    img_size = int(arch_card.get("img_size") or 0)
    if "pos_embed" in sd and sd["pos_embed"].ndim == 3:
        rows = sd["pos_embed"].shape[1] - 1
        g = math.isqrt(max(rows, 0))
        if g * g == rows and g > 0:
            img_size = img_size or g * patch_size
        elif not img_size:
            raise CheckpointError(f"{source}: tensor 'pos_embed' has shape {list(sd['pos_embed'].shape)}; "
                                  "expected [1, 1 + n*n, D] (a CLS row plus a square grid)")
    img_size = img_size or 224

    mlp_ratio = float(arch_card.get("mlp_ratio") or 0)
    if not mlp_ratio:
        hidden = _mode([sd[k].shape[0] for k in sd if k.endswith("mlp.fc1.weight")], "the MLP width", source)
        mlp_ratio = hidden / embed_dim
    num_heads = int(arch_card.get("num_heads") or 0)
    if not num_heads:
        if embed_dim % 64:
            raise CheckpointError(f"{source}: embed_dim {embed_dim} is not a multiple of 64, so the number "
                                  "of attention heads cannot be inferred; give architecture.num_heads "
                                  "in the model card")
        num_heads = embed_dim // 64
    return Architecture(embed_dim=embed_dim, depth=depth, num_heads=num_heads, patch_size=patch_size,
                        img_size=img_size, mlp_ratio=mlp_ratio, num_spectral=NUM_TRAINED,
                        fc_norm="fc_norm.weight" in sd or "fc_norm.bias" in sd)


def encoder_from_state_dict(sd: Mapping[str, torch.Tensor], card: Optional[dict] = None,
                            source: str = "checkpoint") -> SpectralEncoder:
    """Build a SpectralEncoder and load `sd` strictly (decoder tensors are ignored); a
    channel-separated encoder (card architecture.kind, or its tensor names) is built as one.

    head.* tensors (the authors' fine-tuned and linear-probe checkpoints) are not part of the
    encoder: they are kept on the model as `head_state` and play no part in embeddings."""
    from .channel_encoder import channel_encoder_from_state_dict, is_channel_separated

    sd = strip_wrapper_prefix(sd)
    if is_channel_separated(sd, card):
        return channel_encoder_from_state_dict(sd, card, source)
    sd, head = split_head(sd)
    encoder_sd, _decoder, other = split_state(sd)
    arch = infer_architecture(encoder_sd, card, source)
    with torch.device("meta"):
        model = SpectralEncoder(arch, card)
    expected = model.state_dict()
    for name, ref in expected.items():
        if name not in encoder_sd:
            raise CheckpointError(f"{source} lacks tensor '{name}' (expected shape {list(ref.shape)} for a "
                                  f"ViT with embed_dim {arch.embed_dim}, depth {arch.depth}); the file is "
                                  "incomplete or not a SMARTIES encoder")
        found = encoder_sd[name]
        if tuple(found.shape) != tuple(ref.shape):
            raise CheckpointError(f"{source}: tensor '{name}' has shape {list(found.shape)}, expected "
                                  f"{list(ref.shape)} (embed_dim {arch.embed_dim}, patch {arch.patch_size})")
    unexpected = sorted(set(encoder_sd) - set(expected)) + sorted(other)
    if unexpected:
        shown = ", ".join(repr(n) for n in unexpected[:5]) + (" ..." if len(unexpected) > 5 else "")
        raise CheckpointError(f"{source} has {len(unexpected)} tensor(s) that are not part of a SMARTIES "
                              f"encoder: {shown}")
    # Compute in float32 whatever the storage dtype (fp16/bf16 files are fine).
    state = {k: (v.float() if v.is_floating_point() else v) for k, v in encoder_sd.items()}
    model.load_state_dict(state, strict=True, assign=True)
    model._pos_cache = {}
    model.head_state = {k[len("head."):]: v.detach().float() for k, v in head.items()}
    return model.eval()


def load_checkpoint(path: PathLike, device: str = "cpu", card: Optional[dict] = None) -> SpectralEncoder:
    """Load an encoder from a .safetensors/.pt/.pth file (card from the .json next to it)."""
    tensors, _ = read_tensors(path)
    card = card if card is not None else read_card(path)
    model = encoder_from_state_dict(tensors, card, source=str(path))
    model.source = str(path)
    dev = resolve_device(device)
    try:
        return model.to(dev)
    except (RuntimeError, AssertionError) as exc:
        raise CheckpointError(f"cannot move the model to device {device!r} ({exc}); use device='cpu'") from exc


def tensors_digest(state: Mapping[str, torch.Tensor]) -> str:
    """Short SHA-256 of tensors (names, dtypes, shapes, values): the same weights give the same
    digest on any machine, whatever file or path they were loaded from."""
    h = hashlib.sha256()
    for name, t in sorted(state.items()):
        h.update(f"{name}|{t.dtype}|{tuple(t.shape)}|".encode())
        h.update(t.detach().to("cpu").contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()[:16]


def weights_fingerprint(model: torch.nn.Module) -> str:
    """tensors_digest of a model loaded for inference, computed once and kept on the model.

    Two encoders with the same registry id but other weights (e.g. a plugin update that ships a
    retrained default model) get different fingerprints, so embeddings, and classifier heads
    trained on them, can say which weights made them. A model still being changed (training)
    should call tensors_digest itself."""
    if not getattr(model, "_weights_fingerprint", None):
        model._weights_fingerprint = tensors_digest(model.state_dict())
    return model._weights_fingerprint


def _atomic_write(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename (no half-written file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=str(path.parent))
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def save_encoder(model: SpectralEncoder, path: PathLike, card: Optional[dict] = None,
                 fp16: bool = False, extra_tensors: Optional[Mapping[str, torch.Tensor]] = None) -> Path:
    """Write the encoder in the released layout (.safetensors) plus its card as <stem>.json."""
    from safetensors.torch import save_file

    path = Path(path)
    if path.suffix.lower() != ".safetensors":
        raise CheckpointError(f"save_encoder writes .safetensors files; got {path}")
    dtype = torch.float16 if fp16 else torch.float32
    tensors = {k: v.detach().to("cpu", dtype if v.is_floating_point() else v.dtype).contiguous().clone()
               for k, v in model.state_dict().items()}
    for k, v in (extra_tensors or {}).items():
        tensors[k] = v.detach().to("cpu").contiguous().clone()
    card = dict(card if card is not None else getattr(model, "card", {}) or {})
    arch = dict(card.get("architecture") or {})
    for key, value in model.arch.to_card().items():
        if key in ("embed_dim", "depth", "num_heads", "patch_size", "img_size", "mlp_ratio", "kind", "spectral_freqs"):
            arch.setdefault(key, value)
    card["architecture"] = arch
    card.setdefault("id", path.stem)
    _atomic_write(path, lambda tmp: save_file(tensors, tmp, metadata={"format": "pt"}))
    text = json.dumps(card, indent=2, sort_keys=False, default=str)
    _atomic_write(card_path(path), lambda tmp: Path(tmp).write_text(text + "\n", encoding="utf-8"))
    return path
