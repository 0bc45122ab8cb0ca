"""Model registry: ids -> weight files, found locally or downloaded from Hugging Face.

Resolution order for ``load_encoder(name_or_path)``:
  1. an explicit file path (.safetensors / .pt / .pth);
  2. models shipped with the plugin in ``resources/models/``;
  3. the user model folder (``$SMARTIES_HOME/models``, else ``~/.local/share/smarties/models``),
     filled by ``install(path)``;
  4. the Hugging Face cache (``$HF_HUB_CACHE``, else ``$HF_HOME/hub``, else
     ``~/.cache/huggingface/hub``; layout ``models--owner--name/snapshots/<rev>/<file>``);
  5. a download through ``huggingface_hub`` when it is installed and ``HF_HUB_OFFLINE`` is unset;
  6. otherwise a CheckpointError that says which file to download from where and where to put it.
This module does not import torch until a model is actually loaded.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import CheckpointError

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources" / "models"
WEIGHT_SUFFIXES = (".safetensors", ".pt", ".pth", ".ckpt", ".bin")
# Besides the registered file name, the names a `transformers` / `huggingface_hub` download of a
# model repository leaves in the cache (only tensors are read: remote code such as
# smarties_model.py is never imported or run).
HUB_WEIGHT_NAMES = ("model.safetensors",)


@dataclass(frozen=True)
class ModelEntry:
    """One registered model: its file name and where it is published."""

    id: str
    title: str
    filename: str
    hf_repo: Optional[str] = None  # None: shipped with the plugin only

    @property
    def url(self) -> Optional[str]:
        """Download address of the weights file."""
        if not self.hf_repo:
            return None
        return f"https://huggingface.co/{self.hf_repo}/resolve/main/{self.filename}"


MODELS: dict[str, ModelEntry] = {
    e.id: e
    for e in (
        ModelEntry("smarties-eo-tiny", "SMARTIES-EO tiny (default, shipped with the plugin; CPU friendly)",
                   "smarties-eo-tiny.safetensors"),
        ModelEntry("smarties-v1-vitb", "SMARTIES v1 ViT-B (published, 86M parameters)",
                   "smarties-v1-vitb.safetensors", "gsumbul/SMARTIES-v1-ViT-B"),
        ModelEntry("smarties-v1-vitl", "SMARTIES v1 ViT-L (published, 300M parameters)",
                   "smarties-v1-vitl.safetensors", "gsumbul/SMARTIES-v1-ViT-L"),
    )
}
ALIASES = {"default": "smarties-eo-tiny", "vitb": "smarties-v1-vitb", "vitl": "smarties-v1-vitl"}


def user_model_dir() -> Path:
    """Folder that install() copies models into ($SMARTIES_HOME/models or ~/.local/share/...)."""
    home = os.environ.get("SMARTIES_HOME")
    if home:
        return Path(home).expanduser() / "models"
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data).expanduser() / "smarties" / "models"


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache folder, as huggingface_hub itself chooses it."""
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(var):
            return Path(os.environ[var]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    return Path.home() / ".cache" / "huggingface" / "hub"


def canonical_id(name: str) -> Optional[str]:
    """Registry id for a name or alias (case-insensitive), or None."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in MODELS else None


def _in_hf_cache(entry: ModelEntry) -> Optional[Path]:
    if not entry.hf_repo:
        return None
    repo_dir = hf_cache_dir() / ("models--" + entry.hf_repo.replace("/", "--"))
    snapshots = repo_dir / "snapshots"
    ref = repo_dir / "refs" / "main"
    names = (entry.filename,) + HUB_WEIGHT_NAMES
    if ref.is_file():
        rev = ref.read_text(encoding="utf-8").strip()
        for name in names:
            candidate = snapshots / rev / name
            if candidate.is_file():
                return candidate
    # No refs/main (a cache copied by hand): take the newest snapshot that has the file.
    for name in names:
        found = [p for p in snapshots.glob(f"*/{name}") if p.is_file()] if snapshots.is_dir() else []
        if found:
            return max(found, key=lambda p: p.stat().st_mtime)
    return None


def locate(name: str) -> Optional[Path]:
    """Local file for a registry id/alias or an existing path; None when not on this computer."""
    path = Path(name).expanduser()
    if path.is_file():
        return path
    model_id = canonical_id(name)
    if model_id is None:
        # Not registered: a model installed or shipped under its own name ("my-finetune").
        if any(sep in name for sep in ("/", "\\")):
            return None
        for folder in (RESOURCES, user_model_dir()):
            for suffix in WEIGHT_SUFFIXES:
                candidate = folder / f"{name}{suffix}"
                if candidate.is_file():
                    return candidate
        return None
    entry = MODELS[model_id]
    for folder in (RESOURCES, user_model_dir()):
        candidate = folder / entry.filename
        if candidate.is_file():
            return candidate
    return _in_hf_cache(entry)


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() not in ("", "0", "false", "no")


def _missing_message(entry: ModelEntry, reason: str) -> str:
    if entry.hf_repo is None:
        return (f"model '{entry.id}' ({entry.filename}) is not installed: it ships with the plugin in "
                f"{RESOURCES}, which does not have it. Reinstall the plugin, or copy the file into "
                f"{user_model_dir()}. ({reason})")
    return (f"model '{entry.id}' is not on this computer ({reason}). Download {entry.filename} from "
            f"{entry.url} and either put it in {user_model_dir()} or run "
            f"`python -m engine models install <file>`; or pass the file path as the model "
            f"(a Hugging Face cache under {hf_cache_dir()} holding {entry.filename} or "
            f"{' / '.join(HUB_WEIGHT_NAMES)} is found too)")


def resolve_model(name: str = "default", download: bool = True) -> Path:
    """Path of the weights for an id, alias or file path; downloads published models if allowed."""
    found = locate(name)
    if found is not None:
        return found
    model_id = canonical_id(name)
    if model_id is None:
        looks_like_path = any(sep in name for sep in ("/", "\\")) or name.lower().endswith(WEIGHT_SUFFIXES)
        if looks_like_path:
            raise CheckpointError(f"checkpoint file not found: {name}")
        known = ", ".join(sorted(MODELS) + sorted(ALIASES))
        raise CheckpointError(f"unknown model {name!r}: use one of {known}, or a path to a "
                              ".safetensors/.pt file")
    entry = MODELS[model_id]
    if entry.hf_repo is None:
        raise CheckpointError(_missing_message(entry, "not found"))
    if not download:
        raise CheckpointError(_missing_message(entry, "downloads were not allowed"))
    if _offline():
        raise CheckpointError(_missing_message(entry, "HF_HUB_OFFLINE is set"))
    try:
        import huggingface_hub
    except ImportError:
        raise CheckpointError(_missing_message(entry, "the huggingface_hub package is not installed, so "
                                                      "it cannot be downloaded automatically")) from None
    try:
        return Path(huggingface_hub.hf_hub_download(repo_id=entry.hf_repo, filename=entry.filename))
    except Exception as exc:  # network errors, 404, auth: all end in the same advice
        raise CheckpointError(_missing_message(entry, f"download failed: {exc}")) from exc


def list_models() -> list[dict]:
    """Registered models: id, title, file, url, and the local path (None when not found)."""
    rows = []
    for entry in MODELS.values():
        path = locate(entry.id)
        rows.append({"id": entry.id, "title": entry.title, "filename": entry.filename,
                     "url": entry.url, "path": str(path) if path else None,
                     "aliases": sorted(a for a, t in ALIASES.items() if t == entry.id)})
    # Files installed or shipped under their own names are models too.
    known = {e.filename for e in MODELS.values()}
    for folder in (RESOURCES, user_model_dir()):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in WEIGHT_SUFFIXES and path.name not in known and path.is_file():
                known.add(path.name)
                rows.append({"id": path.stem, "title": f"local model {path.name}", "filename": path.name,
                             "url": None, "path": str(path), "aliases": []})
    return rows


def install(path: str, id: Optional[str] = None) -> Path:
    """Copy a local weights file (and its .json card) into the user model folder."""
    src = Path(path).expanduser()
    if not src.is_file():
        raise CheckpointError(f"cannot install {src}: file not found")
    if id is not None:
        model_id = canonical_id(id)
        if model_id is None:
            raise CheckpointError(f"unknown model id {id!r}; use one of {', '.join(sorted(MODELS))}")
        name = MODELS[model_id].filename
    else:
        match = [e for e in MODELS.values() if e.filename == src.name]
        name = match[0].filename if match else src.name
    if Path(name).suffix.lower() != src.suffix.lower():
        raise CheckpointError(f"{src} is a {src.suffix} file but model {id} expects {name}")
    try:  # only a file that loads as a SMARTIES encoder is listed as a model
        from .checkpoint import load_checkpoint

        load_checkpoint(src)
    except CheckpointError as exc:
        raise CheckpointError(f"cannot install {src}: {exc}") from None
    except ImportError:
        pass  # no torch here: the file is checked when first loaded
    dest_dir = user_model_dir()
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / name
    tmp = dest.with_name(f".{dest.name}.part")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dest)
    card = src.with_suffix(".json")
    if card.is_file():
        shutil.copyfile(card, dest.with_suffix(".json"))
    return dest


def load_encoder(name_or_path: str = "default", device: str = "cpu"):
    """Load a SpectralEncoder by registry id ("default", "smarties-v1-vitb", ...) or file path."""
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        from ..errors import MissingDependency

        raise MissingDependency("running a model needs PyTorch (pip install torch)") from exc
    from .checkpoint import load_checkpoint

    from .cards import merged_card

    path = resolve_model(str(name_or_path))
    model_id = canonical_id(str(name_or_path))
    # A published model downloaded from the Hub has no card next to it: the shipped card (official
    # normalisation statistics, scale, band mapping) applies; a card next to the file overrides it.
    model = load_checkpoint(path, device=device, card=merged_card(model_id, path))
    if model_id and not model.card.get("id"):
        model.card["id"] = model_id
    if model_id and not model.card.get("title"):
        model.card["title"] = MODELS[model_id].title
    return model
