"""Fidelity to the published SMARTIES weights: official statistics, model scale, band mapping.

The shipped model cards are held against the reference's own config files (../shared/reference/
smarties_config), and the engine's preprocessing of a real BigEarthNet Sentinel-2 L2A patch against
an independent computation of the reference's evaluation pipeline (normalise with the official
statistics, cubic-spline resize 120 -> 224 px as skimage's rescale(order=3) does, encode).
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from engine.model.cards import card_for, scale_for, shipped_card
from engine.model.registry import RESOURCES

PUBLISHED = ("smarties-v1-vitb", "smarties-v1-vitl")
SECTIONS = {"SENTINEL2-L2A": "sentinel2_l2a", "SENTINEL2-L1C": "sentinel2_l1c",
            "SENTINEL1-GRD": "sentinel1_grd", "RGB": "rgb_vhr"}
S2_LAYERS = [0, 1, 4, 6, 7, 8, 10, 9, 11, 12, 13, 14]  # reference projection indices of B01..B12


@pytest.fixture(scope="module")
def config(reference_dir):
    yaml = pytest.importorskip("yaml")
    folder = reference_dir / "smarties_config"
    return {name: yaml.safe_load((folder / f"{name}.yaml").read_text()) for name in
            ("pretraining_sensors", "electromagnetic_spectrum")}, folder


@pytest.fixture(scope="module")
def bigearthnet(realdata_dir):
    files = sorted((realdata_dir / "s2_l2a_bigearthnet").glob("*_stack12_10m.tif"))
    if not files:
        pytest.skip("no BigEarthNet patches in ../shared/realdata")
    return files


def _reference_stats(config, section):
    sensors, spectrum = config[0]["pretraining_sensors"], config[0]["electromagnetic_spectrum"]
    spec = sensors[section]
    names = [spectrum[b]["name"].split()[0] for b in spec["bands"]]
    return names, spec


@pytest.mark.parametrize("model_id", PUBLISHED)
def test_shipped_statistics_equal_the_reference_files(config, model_id):
    card = json.loads((RESOURCES / f"{model_id}.json").read_text())
    lines = (config[1] / "pretraining_sensors.yaml").read_text().splitlines()
    for section, preset in SECTIONS.items():
        names, spec = _reference_stats(config, section)
        assert sorted(card["normalization"][preset]) == sorted(names)
        for k, name in enumerate(names):
            got = card["normalization"][preset][name]
            assert got == {"p1": spec["percentiles"]["1"][k], "p99": spec["percentiles"]["99"][k],
                           "mean": spec["mean"][k], "std": spec["std"][k]}, (preset, name)
        prov = card["normalization_provenance"][preset]
        assert prov["file"] == "config/pretraining_sensors.yaml" and prov["section"] == section
        for key, yaml_key in (("mean", "mean"), ("std", "std"), ("p1", "'1'"), ("p99", "'99'")):
            assert lines[prov["lines"][key] - 1].strip().startswith(f"{yaml_key}:"), (preset, key)
    # the reference evaluates 120 px patches at its 224 px input: x1.87 for Sentinel-2/-1
    assert scale_for(card, "sentinel2_l2a") == pytest.approx(224 / 120)
    assert scale_for(card, "rgb_vhr") == 1.0
    assert card["band_mapping"] == "reference" and card["fusion"] == "concat"


def test_default_model_keeps_its_own_card():
    card = shipped_card("default")
    assert card["id"] == "smarties-eo-tiny"
    assert scale_for(card, "sentinel2_l2a") == 1.0  # no scale field: native, as before
    # Its statistics are its own: synthetic ones for the Sentinels, and (stage 8) real-data ones pooled
    # over its training files for Landsat/NAIP/aerial RGB; never the reference's published statistics.
    prov = card.get("normalization_provenance", {})
    assert "sentinel2_l2a" not in prov
    assert all("real-data statistics" in p["text"] and "pretraining_sensors" not in p["text"] for p in prov.values())


def test_l2a_raster_normalised_as_the_reference(config, bigearthnet):
    from engine.products.inputs import open_input
    from engine.jobs import JobSpec, RasterInput
    from engine.raster.normalize import Normalizer, band_statistics

    names, spec = _reference_stats(config, "SENTINEL2-L2A")
    card = card_for("smarties-v1-vitb")
    job = JobSpec("embeddings", [RasterInput([str(bigearthnet[0])], sensor="sentinel2_l2a")], "unused.tif")
    source, bands = open_input(job, 0)
    try:
        assert [d.band.name for d in bands.decisions] == names
        stats = band_statistics(source, bands.decisions, card, "auto", "sentinel2_l2a")
        assert {s.source for s in stats} == {"card"}
        assert all("SENTINEL2-L2A" in s.origin and "pretraining_sensors.yaml" in s.origin for s in stats)
        data, valid = source.read(0, 0, source.width, source.height)
    finally:
        source.close()
    raw = data.astype(np.float64)
    ours = Normalizer(stats)(data.copy(), valid)
    p1 = np.array(spec["percentiles"]["1"])[:, None, None]
    p99 = np.array(spec["percentiles"]["99"])[:, None, None]
    ref = np.clip((raw - p1) / (p99 - p1), 0, 1).astype(np.float32)
    ref = (ref - np.array(spec["mean"])[:, None, None]) / np.array(spec["std"])[:, None, None]
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-6)
    # the per-raster choice re-centres every band: it is far from the reference's inputs
    computed = band_statistics(source, bands.decisions, card, "raster", "sentinel2_l2a")
    assert {s.source for s in computed} == {"computed"}
    other = Normalizer(computed)(raw.astype(np.float32), valid)
    assert np.abs(other - ref).mean() > 0.05


def test_resize_matches_scipy_cubic_spline():
    ndimage = pytest.importorskip("scipy.ndimage")
    from engine.inference.scale import resize_reference

    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 120, 120)).astype(np.float32)
    ours = resize_reference(x, 224)
    ref = ndimage.zoom(x.astype(np.float64), (1, 224 / 120, 224 / 120), order=3, mode="mirror", grid_mode=True)
    ref = np.clip(ref, x.min(), x.max())
    assert ref.shape == ours.shape == (3, 224, 224)
    np.testing.assert_allclose(ours, ref, atol=1e-5)


def test_scaled_windows_match_resampling_the_whole_raster():
    from engine.inference.scale import ScaledWindows, spline_matrix

    class Source:
        def __init__(self, a):
            self.a = a

        def read(self, x, y, w, h):
            return self.a[:, y:y + h, x:x + w].copy(), np.ones((h, w), bool)

    rng = np.random.default_rng(1)
    a = rng.normal(size=(2, 150, 170)).astype(np.float32)
    sw = ScaledWindows(170, 150, 1.7)
    whole_x = spline_matrix(170, (np.arange(sw.width) + 0.5) / sw.sx - 0.5)
    whole_y = spline_matrix(150, (np.arange(sw.height) + 0.5) / sw.sy - 0.5)
    whole = (whole_y @ a.astype(np.float64)) @ whole_x.T
    for x, y in ((0, 0), (96, 112), (sw.width - 64, sw.height - 64)):
        win, valid = sw.read(Source(a), lambda d, v: d, x, y, 64, 64)
        assert valid.all()
        inner = np.clip(whole[:, y:y + 64, x:x + 64], win.min(), win.max())
        np.testing.assert_allclose(win, inner, atol=2e-5)


def _fake_hub(root: Path, repo: str, files: dict) -> Path:
    """A Hugging Face cache as huggingface_hub writes it: blobs, a snapshot of links, refs/main."""
    base = root / ("models--" + repo.replace("/", "--"))
    rev = "0123456789abcdef0123456789abcdef01234567"
    (base / "refs").mkdir(parents=True)
    (base / "refs" / "main").write_text(rev)
    snap = base / "snapshots" / rev
    snap.mkdir(parents=True)
    (base / "blobs").mkdir()
    for name, src in files.items():
        blob = base / "blobs" / f"blob{abs(hash(name))}"
        if isinstance(src, Path):
            shutil.copyfile(src, blob)
        else:
            blob.write_text(src)
        os.symlink(os.path.relpath(blob, snap), snap / name)
    return snap


def test_reference_evaluation_preprocessing_end_to_end(tmp_path, monkeypatch, tiny, config, bigearthnet):
    """120 px L2A patch, default settings of a published model: normalise, x1.87 spline, encode."""
    ndimage = pytest.importorskip("scipy.ndimage")
    import torch
    from osgeo import gdal

    from engine import JobSpec, RasterInput, run
    from engine.model.checkpoint import load_checkpoint

    hub = tmp_path / "hub"
    # the names a transformers download leaves: model.safetensors + config + remote code (never run)
    _fake_hub(hub, "gsumbul/SMARTIES-v1-ViT-B", {"model.safetensors": tiny / "weights.safetensors",
                                                 "config.json": "{}", "smarties_model.py": "raise SystemExit(3)\n",
                                                 "smarties_config.py": "raise SystemExit(3)\n"})
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("SMARTIES_HOME", str(tmp_path / "home"))
    patch = bigearthnet[0]
    out = tmp_path / "emb.tif"
    result = run(JobSpec("embeddings", [RasterInput([str(patch)])], str(out), model="smarties-v1-vitb"))
    ds = gdal.Open(str(out))
    ours = ds.ReadAsArray().astype(np.float32)
    meta = ds.GetMetadata()
    assert ours.shape == (192, 14, 14)  # 120 px -> 224 px -> 14 x 14 tokens
    assert float(meta["SMARTIES_SCALE"]) == pytest.approx(224 / 120)
    assert "SENTINEL2-L2A" in meta["SMARTIES_STATISTICS"]
    assert result.report["scale"] == pytest.approx(224 / 120)
    # token grid: same extent as the input, 224/120 finer
    gt_in, gt_out = gdal.Open(str(patch)).GetGeoTransform(), ds.GetGeoTransform()
    assert gt_out[0] == gt_in[0] and gt_out[3] == gt_in[3]
    assert gt_out[1] == pytest.approx(gt_in[1] * 16 * 120 / 224)

    # independent computation: the reference's evaluation pipeline
    names, spec = _reference_stats(config, "SENTINEL2-L2A")
    raw = gdal.Open(str(patch)).ReadAsArray().astype(np.float32)
    p1 = np.array(spec["percentiles"]["1"])[:, None, None]
    p99 = np.array(spec["percentiles"]["99"])[:, None, None]
    x = np.clip((raw - p1) / (p99 - p1), 0, 1).astype(np.float32)
    x = (x - np.array(spec["mean"])[:, None, None]) / np.array(spec["std"])[:, None, None]
    x = ndimage.zoom(x, (1, 224 / 120, 224 / 120), order=3, mode="mirror", grid_mode=True).clip(x.min(), x.max())
    enc = load_checkpoint(tiny / "weights.safetensors")
    with torch.no_grad():
        ref = enc.patch_tokens(torch.from_numpy(x[None].astype(np.float32)), S2_LAYERS).numpy()[0]
    np.testing.assert_allclose(ours, ref, atol=1e-4)


@pytest.mark.parametrize("folder,sensor,expected", [
    ("naip_rgbn_change", "naip", [5, 3, 2, 9]),
    ("l8_sr_brazil", "landsat8", None),
])
def test_bands_command_prints_reference_layers(realdata_dir, capsys, folder, sensor, expected):
    from engine.cli import main

    path = sorted((realdata_dir / folder).glob("*.tif"))[0]
    args = ["bands", str(path), "--sensor", sensor]
    if sensor == "landsat8":
        args += ["--bands", "B2,B3,B4,B5,B6,B7"]
        expected = [18, 4, 6, 11, 13, 14]
    assert main(args + ["--json"]) == 0
    decisions = json.loads(capsys.readouterr().out)["decisions"]
    assert [d["layer_index"] for d in decisions] == expected
    assert all(d["rule"] == "reference" for d in decisions)
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "reference mapping" in text
    # the reference has no statistics for these sensors: the band table says so
    assert main(args + ["--model", "smarties-v1-vitb", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)["statistics"]
    assert {r["statistics"] for r in stats} == {"statistics computed from this raster"}


def test_reference_mapping_of_presets_without_a_reference_table():
    from engine.spectral import resolve_bands

    def layers(bands, rule="reference"):
        return [(d.kind, d.layer_index) for d in resolve_bands(bands, rule=rule)]

    # PlanetScope: the nearest layer, never a mix that puts green on blue_1
    assert layers(["planetscope4:blue", "planetscope4:green", "planetscope4:red", "planetscope4:nir"]) == [
        ("nearest", 1), ("nearest", 4), ("nearest", 6), ("nearest", 9)]
    # HLS L30 = Landsat-8 OLI/TIRS: B02 and B10 are the reference's derived layers, the rest nearest
    got = layers(["hls_l30:B01", "hls_l30:B02", "hls_l30:B05", "hls_l30:B10", "hls_l30:B11"])
    assert got == [("nearest", 0), ("interpolated", 18), ("nearest", 11), ("interpolated", 17), ("nearest", 17)]
    # interpolation stays an explicit choice, its decision visible
    green = resolve_bands(["planetscope4:green"], rule="published")[0]
    assert green.kind == "interpolated" and "published rule" in green.explanation


def test_finetuned_checkpoint_with_head_and_wrapper_prefix_loads(tiny, tmp_path):
    """The authors' fine-tuned / linear-probe files keep a head.* (and maybe a wrapper prefix)."""
    import torch
    from safetensors.torch import load_file, save_file

    from engine.model.checkpoint import load_checkpoint, load_state

    sd = load_file(str(tiny / "weights.safetensors"))
    wrapped = {f"backbone.{k}": v for k, v in sd.items()}
    wrapped.update({"head.0.running_mean": torch.zeros(192), "head.0.running_var": torch.ones(192),
                    "head.1.weight": torch.randn(10, 192), "head.1.bias": torch.randn(10)})
    path = tmp_path / "lp.safetensors"
    save_file(wrapped, str(path))
    plain = load_checkpoint(tiny / "weights.safetensors")
    model = load_checkpoint(path)
    x = torch.randn(1, 2, 32, 32)
    with torch.inference_mode():
        assert torch.equal(model.patch_tokens(x, [15, 16]), plain.patch_tokens(x, [15, 16]))
    assert sorted(model.head_state) == ["0.running_mean", "0.running_var", "1.bias", "1.weight"]
    assert torch.equal(model.head_state["1.weight"], wrapped["head.1.weight"])
    assert sorted(load_state(path).head) == sorted(k for k in wrapped if k.startswith("head."))


def test_hub_cache_names_are_found_and_missing_file_is_named(tmp_path, monkeypatch, tiny):
    from engine.errors import CheckpointError
    from engine.model import registry

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("SMARTIES_HOME", str(tmp_path / "home"))
    with pytest.raises(CheckpointError, match=r"smarties-v1-vitl\.safetensors.*huggingface\.co.*models install"):
        registry.resolve_model("smarties-v1-vitl")
    snap = _fake_hub(tmp_path / "hub", "gsumbul/SMARTIES-v1-ViT-L",
                     {"smarties-v1-vitl.safetensors": tiny / "weights.safetensors", "smarties_model.py": "x = 1\n"})
    assert registry.resolve_model("smarties-v1-vitl") == snap / "smarties-v1-vitl.safetensors"
    # the shipped card applies to a published model found in the cache
    enc = registry.load_encoder("vitl")
    assert enc.card["normalization_provenance"]["sentinel2_l2a"]["section"] == "SENTINEL2-L2A"


@pytest.mark.parametrize("sensor,expected", [
    ("planetscope4", [1, 4, 6, 9]),
    ("planetscope8", [0, 1, 4, 4, 4, 6, 7, 11]),
    ("hls_l30", [0, 18, 4, 6, 11, 13, 14, 17, 17]),
])
def test_bands_command_on_planet_and_hls_files(tmp_path, capsys, sensor, expected):
    from osgeo import gdal

    from engine.cli import main
    from engine.sensors import get_sensor

    names = [b.name for b in get_sensor(sensor).bands if b.name not in get_sensor(sensor).unsupported]
    path = tmp_path / f"{sensor}.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 32, 32, len(names), gdal.GDT_UInt16)
    ds.SetGeoTransform((500000, 3, 0, 5000000, 0, -3))
    ds = None
    assert main(["bands", str(path), "--sensor", sensor, "--bands", ",".join(names), "--json"]) == 0
    decisions = json.loads(capsys.readouterr().out)["decisions"]
    assert [d["layer_index"] for d in decisions] == expected
    assert all(d["rule"] == "reference" for d in decisions)
