"""A trained classifier head on disk: JSON (classes, colours, model, bands, metrics) + .npz arrays."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from ..classifiers import Classifier, classifier_from_state
from ..errors import JobError
from ..raster.writer import commit_file, remove_quietly, temp_name

HEAD_FORMAT = "smarties-classifier-head/1"


@dataclass
class Head:
    """A trained classifier plus everything needed to apply it safely to another raster."""

    classifier: Classifier
    class_names: list[str]
    colours: dict[str, str]
    model_id: str = ""
    embed_dim: int = 0
    bands: list = field(default_factory=list)  # band table rows the embeddings were made with
    metrics: dict = field(default_factory=dict)  # cross-validation report
    training: dict = field(default_factory=dict)  # samples per class, label file, field
    model_weights: str = ""  # weights fingerprint of the model (engine.model.checkpoint.weights_fingerprint)

    def save(self, json_path: str) -> str:
        """Write `<stem>.head.json` + `<stem>.head.npz` (arrays, incl. feature standardisation)."""
        npz_path = os.path.splitext(json_path)[0] + ".npz"
        meta = {
            "format": HEAD_FORMAT, "model_id": self.model_id, "model_weights": self.model_weights, "embed_dim": self.embed_dim,
            "classes": self.class_names, "colours": self.colours, "bands": self.bands,
            "classifier": self.classifier.config(), "arrays": os.path.basename(npz_path),
            "feature_standardisation": "per embedding channel: (x - mean) / scale, arrays 'mean' and 'scale'",
            "metrics": _jsonable(self.metrics), "training": _jsonable(self.training),
        }
        tmp_npz, tmp_json = temp_name(npz_path), temp_name(json_path)
        try:
            with open(tmp_npz, "wb") as fh:
                np.savez(fh, **self.classifier.arrays())
            with open(tmp_json, "w", encoding="utf-8") as fh:
                json.dump(meta, fh, indent=1)
            commit_file(tmp_npz, npz_path)
            commit_file(tmp_json, json_path)
        finally:
            remove_quietly(tmp_npz)
            remove_quietly(tmp_json)
        return json_path

    @classmethod
    def load(cls, json_path: str) -> "Head":
        """Read a head written by save()."""
        try:
            with open(json_path, encoding="utf-8") as fh:
                meta = json.load(fh)
        except (OSError, ValueError) as exc:
            raise JobError(f"Cannot read the classifier head {json_path}: {exc}.") from None
        if meta.get("format") != HEAD_FORMAT:
            raise JobError(f"{json_path} is not a classifier head written by this plugin "
                           f"(format {meta.get('format')!r}, expected {HEAD_FORMAT!r}).")
        npz_path = os.path.join(os.path.dirname(os.path.abspath(json_path)), meta["arrays"])
        if not os.path.exists(npz_path):
            raise JobError(f"The head's weights {npz_path} are missing; keep the .npz next to {json_path}.")
        with np.load(npz_path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        return cls(classifier_from_state(meta["classifier"], arrays), list(meta["classes"]),
                   dict(meta.get("colours") or {}), meta.get("model_id", ""), int(meta.get("embed_dim", 0)),
                   list(meta.get("bands") or []), meta.get("metrics") or {}, meta.get("training") or {},
                   str(meta.get("model_weights") or ""))

    def check_compatible(self, model_id: str, embed_dim: int, bands: Sequence[dict], where: str = "",
                         model_weights: str = "") -> None:
        """Raise JobError when embeddings from (model, bands) cannot be fed to this head."""
        if self.model_id and model_id and str(model_id) != str(self.model_id):
            raise JobError(f"The head was trained on embeddings of model '{self.model_id}', but {where or 'this run'} "
                           f"uses model '{model_id}'. Run with that model, or train a new head.")
        if self.model_weights and model_weights and str(model_weights) != self.model_weights:
            raise JobError(f"The head was trained on embeddings of model '{self.model_id or model_id}' with weights "
                           f"{self.model_weights}, but {where or 'this run'} uses other weights under that name "
                           f"({model_weights}): the model file changed (e.g. a plugin update shipped a retrained "
                           "default model). Its embeddings mean something else now: train a new head with the "
                           "same labels.")
        if self.embed_dim and embed_dim and int(embed_dim) != self.embed_dim:
            raise JobError(f"The head expects {self.embed_dim}-dimensional embeddings, {where or 'this run'} "
                           f"gives {embed_dim}. Use the model the head was trained with.")
        if self.bands and bands:
            problem = band_mismatch(self.bands, bands)
            if problem:
                raise JobError(f"The bands of {where or 'this raster'} do not match the head's: {problem}. "
                               "Give the same spectral bands (any sensor with the same ranges works).")


def _mix_key(row: dict) -> tuple:
    """What the model sees of a band: its layer mix (rounded), so equivalent sensors compare equal."""
    mix = row.get("mix") or []
    return tuple(sorted((int(i), round(float(w), 2)) for i, w in mix))


def _band_label(row: dict) -> str:
    lo, hi = row.get("min_nm"), row.get("max_nm")
    rng = f" {lo:g}-{hi:g} nm" if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) else ""
    return f"{row.get('name', '?')}{rng}"


def band_mismatch(trained: Sequence[dict], current: Sequence[dict]) -> Optional[str]:
    """None when two band tables feed the same projection layers; else a sentence naming the bands."""
    if len(trained) != len(current):
        return (f"the head was trained with {len(trained)} bands ({', '.join(_band_label(r) for r in trained)}), "
                f"this raster gives {len(current)} ({', '.join(_band_label(r) for r in current)})")
    a = sorted(trained, key=_mix_key)
    b = sorted(current, key=_mix_key)
    bad = [(ra, rb) for ra, rb in zip(a, b) if _mix_key(ra) != _mix_key(rb)]
    if bad:
        return "; ".join(f"trained band {_band_label(ra)} vs {_band_label(rb)}" for ra, rb in bad[:4])
    return None


def _jsonable(obj):
    return json.loads(json.dumps(obj, default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o)))
