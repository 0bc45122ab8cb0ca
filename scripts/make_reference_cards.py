"""Write the model cards of the published SMARTIES weights from the reference's own config files.

    python scripts/make_reference_cards.py [../shared/reference/smarties_config]

Reads `pretraining_sensors.yaml` and `electromagnetic_spectrum.yaml` (gsumbul/SMARTIES `config/`,
Apache-2.0) and writes `resources/models/smarties-v1-vitb.json` and `-vitl.json`: the fixed
normalisation statistics per sensor (p1, p99, mean, std per band, keyed by our preset band names),
the file and line each list comes from, the model scale and the band mapping / fusion defaults.
tests/engine/test_reference_cards.py holds the shipped cards against the same files.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
REPO = "github.com/gsumbul/SMARTIES"
COMMIT = "fc0df04"
# reference sensor section -> our preset id
SENSORS = {"SENTINEL2-L2A": "sentinel2_l2a", "SENTINEL2-L1C": "sentinel2_l1c",
           "SENTINEL1-GRD": "sentinel1_grd", "RGB": "rgb_vhr"}
# The reference evaluates 120 px BigEarthNet patches (10 m Sentinel-2, Sentinel-1) resized to its
# 224 px input (eval_datasets.py: BigEarthNet reads out_size=(120, 120), apply_transforms rescales
# by input_size / 120 with order=3); pretraining crops 25-100 % of those patches to 224 px.
S2_SCALE = 224 / 120


def preset_band_name(ref_band: str, spectrum: dict) -> str:
    """Our preset band name for a reference band key ("aerosol" -> "B01", "red_1" -> "red")."""
    return re.split(r"\s", str(spectrum[ref_band]["name"]).strip())[0]


def key_lines(path: Path, section: str) -> dict:
    """1-based line numbers of mean/std/'1'/'99' inside one top-level section of a YAML file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out, inside = {}, False
    for n, line in enumerate(lines, start=1):
        if re.match(r"^\S", line):
            inside = line.split(":")[0].strip() == section
            continue
        if not inside:
            continue
        m = re.match(r"^\s+('?)(mean|std|1|99)\1\s*:", line)
        if m:
            out[{"1": "p1", "99": "p99"}.get(m.group(2), m.group(2))] = n
    return out


def build_card(model_id: str, title: str, hf_repo: str, config_dir: Path) -> dict:
    spectrum = yaml.safe_load((config_dir / "electromagnetic_spectrum.yaml").read_text(encoding="utf-8"))
    sensors_path = config_dir / "pretraining_sensors.yaml"
    sensors = yaml.safe_load(sensors_path.read_text(encoding="utf-8"))
    normalization, provenance = {}, {}
    for section, preset in SENSORS.items():
        spec = sensors[section]
        stats = {}
        for k, ref_band in enumerate(spec["bands"]):
            stats[preset_band_name(ref_band, spectrum)] = {
                "p1": float(spec["percentiles"]["1"][k]), "p99": float(spec["percentiles"]["99"][k]),
                "mean": float(spec["mean"][k]), "std": float(spec["std"][k])}
        normalization[preset] = stats
        lines = key_lines(sensors_path, section)
        provenance[preset] = {
            "statistics": "reference", "section": section, "file": "config/pretraining_sensors.yaml",
            "lines": lines, "repository": REPO, "commit": COMMIT,
            "text": (f"reference statistics {section} ({REPO} config/pretraining_sensors.yaml lines "
                     f"{min(lines.values())}-{max(lines.values())})")}
    return {
        "id": model_id,
        "title": title,
        "license": "Apache-2.0 (weights and reference implementation by the SMARTIES authors)",
        "source": f"https://huggingface.co/{hf_repo}",
        "paper": "arXiv 2506.19585",
        "band_mapping": "reference",
        "fusion": "concat",
        "normalization": normalization,
        "normalization_provenance": provenance,
        "scale": {
            "default": S2_SCALE,
            "sensors": {"rgb_vhr": 1.0, "naip": 1.0},
            "method": "cubic spline (order 3), mirror edges, as the reference's skimage rescale",
            "provenance": (f"{REPO} eval_datasets.py: BigEarthNet patches are read at 120 x 120 px and "
                           "rescaled to input_size 224 (order=3) after normalisation; pretraining_dataset.py "
                           "resizes 25-100 % crops to 224 px. Aerial/commercial RGB scenes (UC-Merced, "
                           "RESISC45: 256 px, centre-cropped to 224) are used at about x1."),
        },
        "intended_use": "features of the published SMARTIES encoder, preprocessed as the reference does",
    }


def main(argv: list[str]) -> int:
    config_dir = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "reference" / "smarties_config"
    for model_id, title, repo in (
            ("smarties-v1-vitb", "SMARTIES v1 ViT-B (published, 86M parameters)", "gsumbul/SMARTIES-v1-ViT-B"),
            ("smarties-v1-vitl", "SMARTIES v1 ViT-L (published, 300M parameters)", "gsumbul/SMARTIES-v1-ViT-L")):
        card = build_card(model_id, title, repo, config_dir)
        out = ROOT / "resources" / "models" / f"{model_id}.json"
        out.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
