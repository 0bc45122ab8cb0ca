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

HEAD_FORMAT = "smarties-classifier-head/2"  # scikit-learn estimators' parameters as arrays
OLD_HEAD_FORMAT = "smarties-classifier-head/1"  # the hand-written classifiers before scikit-learn


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
                np.savez_compressed(fh, **self.classifier.arrays())  # forests: many node tables
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
        if meta.get("format") not in (HEAD_FORMAT, OLD_HEAD_FORMAT):
            raise JobError(f"{json_path} is not a classifier head written by this plugin "
                           f"(format {meta.get('format')!r}, expected {HEAD_FORMAT!r}).")
        npz_path = os.path.join(os.path.dirname(os.path.abspath(json_path)), meta["arrays"])
        renamed = os.path.splitext(os.path.abspath(json_path))[0] + ".npz"  # a head renamed as a pair
        if not os.path.exists(npz_path) and os.path.exists(renamed):
            npz_path = renamed
        if not os.path.exists(npz_path):
            raise JobError(f"The head's weights are missing: {json_path} needs {npz_path} (or {renamed} when the "
                           "pair was renamed); keep the .npz file next to the .json.")
        with np.load(npz_path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        config = meta["classifier"]
        if meta["format"] == OLD_HEAD_FORMAT:
            config, arrays = upgrade_old_head(config, arrays, json_path)
        return cls(classifier_from_state(config, arrays), list(meta["classes"]),
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


def upgrade_old_head(config: dict, arrays: dict[str, np.ndarray], where: str) -> tuple[dict, dict]:
    """(config, arrays) of a format-1 head (hand-written classifiers) in today's layout: the same
    standardisation and learned weights, now applied by the scikit-learn estimators."""
    kind, n = config.get("kind"), int(config.get("n_classes", 0))
    params = dict(config.get("params") or {})
    new = {"mean": arrays["mean"], "scale": arrays["scale"], "classes": np.arange(n)}
    if kind == "logistic":
        new.update(coef=arrays["weight"], intercept=arrays["bias"])
        params = {k: params[k] for k in ("l2", "balanced") if k in params}
    elif kind == "knn":
        new.update(train_x=arrays["train_x"], train_y=arrays["train_y"])
        new["classes"] = np.unique(arrays["train_y"])
    elif kind == "mlp":
        new.update(layer0_weight=arrays["w1"].T, layer0_bias=arrays["b1"], layer1_weight=arrays["w2"].T,
                   layer1_bias=arrays["b2"], out_activation=np.array("softmax"))
        params = {k: params[k] for k in ("hidden", "epochs", "lr", "balanced") if k in params}
    else:
        raise JobError(f"The classifier head {where} was saved by an earlier version with a classifier "
                       f"'{kind}' this version cannot read; train a new head with the same labels.")
    return {**config, "params": params}, new


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
