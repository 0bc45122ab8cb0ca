"""Training reads pixel values in the units inference normalises (engine.raster.units): Landsat
Level-1 DN with an MTL become TOA reflectance x10000 / kelvin, and pooled statistics of files with
an Fmask band come from their clear pixels (clouds and snow would put p99 at the sensor ceiling)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from test_training_stage8 import _write

L8_THERMAL = "l8_l1tp_thermal/LC08_L1TP_016037_20170813_20170814_01_RT_stack10_900m.tif"


def test_landsat_l1_training_values_equal_what_inference_reads(realdata_dir):
    from engine.bands import identify_bands
    from engine.raster.io import RasterSource
    from engine.raster.units import apply_units
    from engine.training.realdata import RealFolderDataset, read_image

    path = realdata_dir / L8_THERMAL
    raw = read_image(path, None)
    assert raw.sensor == "landsat8" and any("TOA reflectance" in u for u in raw.units)
    assert any("brightness temperature" in u for u in raw.units)
    names = raw.names
    ref = np.stack([raw.data[names.index(b)][raw.valid] for b in ("B2", "B5")])
    assert 0 < np.median(ref) < 6000  # reflectance x10000, not DN (~7000-30000)
    bt = raw.data[names.index("B10")][raw.valid]
    assert 200 < np.median(bt) < 330  # kelvin
    # The inference path: the same bands, read with the same conversions.
    idents = identify_bands(str(path))
    keep = [k for k, i in enumerate(idents) if i.band is not None and i.band.name in names]
    source = RasterSource(str(path), keep)
    try:
        apply_units(source, [idents[k] for k in keep])
        data, valid = source.read(0, 0, source.width, source.height)
    finally:
        source.close()
    np.testing.assert_array_equal(valid, raw.valid)
    np.testing.assert_allclose(data[:, valid], raw.data[:, raw.valid], rtol=1e-6)
    # Pooled real statistics (what the card carries for landsat8) are in those units.
    ds = RealFolderDataset(realdata_dir / "l8_l1tp_thermal", real_stats=True)
    table = ds.real_statistics["landsat8"]
    assert 250 < table["B10"]["p1"] < table["B10"]["p99"] < 340
    assert table["B4"]["p99"] < 12000


def test_fmask_clear_pixels_set_the_pooled_statistics(tmp_path):
    from engine.training.realdata import RealFolderDataset, pooled_statistics, read_image

    rng = np.random.default_rng(1)
    names = ["B3", "B4", "B5", "fmask"]
    meta = {"SENSOR": "Landsat-7 ETM+"}
    for k in range(2):
        x = np.zeros((4, 40, 40), np.float32)
        x[:3] = rng.uniform(200, 3000, (3, 40, 40))
        cloud = np.zeros((40, 40), bool)
        cloud[: 10 + 10 * k] = True  # clouds saturate every band
        x[:3, cloud] = 16000
        x[3] = np.where(cloud, 4, 0)
        _write(tmp_path / "series" / f"2010-0{k + 1}-01.tif", x, names, meta, "Int16")
    raws = [read_image(p, None) for p in sorted((tmp_path / "series").glob("*.tif"))]
    assert raws[0].names == ["B3", "B4", "B5"]  # the Fmask band is not an input band
    assert raws[0].clear.sum() == 30 * 40 and raws[1].clear.sum() == 20 * 40
    stats = pooled_statistics(raws)["landsat7"]
    assert all(stats[b]["p99"] < 3100 for b in ("B3", "B4", "B5"))
    with_clouds = pooled_statistics([r.__class__(**{**r.__dict__, "clear": None}) for r in raws])["landsat7"]
    assert with_clouds["B3"]["p99"] == pytest.approx(16000)  # without Fmask: the cloud ceiling
    ds = RealFolderDataset(tmp_path, real_stats=True)
    assert ds.real_statistics["landsat7"]["B4"]["p99"] == pytest.approx(stats["B4"]["p99"])


def test_files_with_almost_no_clear_pixel_fall_back_to_all_valid_pixels(tmp_path):
    from engine.training.realdata import pooled_statistics, read_image

    x = np.full((4, 40, 40), 5000, np.float32)
    x[:3] += np.arange(40, dtype=np.float32)[None, None, :]
    x[3] = 3  # all snow
    _write(tmp_path / "snow.tif", x, ["B3", "B4", "B5", "fmask"], {"SENSOR": "Landsat-7 ETM+"}, "Int16")
    raw = read_image(tmp_path / "snow.tif", None)
    assert raw.clear.sum() == 0
    stats = pooled_statistics([raw])["landsat7"]
    assert 5000 <= stats["B3"]["p1"] < stats["B3"]["p99"] <= 5039


def test_files_weigh_alike_in_pooled_statistics(tmp_path):
    """A large crop of one place must not set a sensor's statistics over a small whole scene."""
    from engine.training.realdata import pooled_statistics, read_image

    rng = np.random.default_rng(2)
    meta = {"SENSOR": "Landsat-5 TM"}
    _write(tmp_path / "big.tif", rng.uniform(1000, 2000, (3, 200, 200)), ["B3", "B4", "B5"], meta)
    _write(tmp_path / "small.tif", rng.uniform(4000, 5000, (3, 40, 40)), ["B3", "B4", "B5"], meta)
    raws = [read_image(tmp_path / n, None) for n in ("big.tif", "small.tif")]
    st = pooled_statistics(raws)["landsat5"]["B4"]
    # Equal shares: half the values come from each file, so the normalised mean sits mid-range
    # (with the big file's 25x more values it would be near 0.1).
    assert 4000 < st["p99"] < 5000 and 1000 < st["p1"] < 2000
    assert 0.35 < st["mean"] < 0.65, st
