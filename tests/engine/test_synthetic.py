"""Synthetic scenes: determinism, physical plausibility, any sensor preset, GeoTIFF output, sample."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine.training import materials as mat
from engine.training.simulate import render, write_geotiff
from engine.training.synthetic import CLASS_INDEX, CLASSES, make_scene, make_series

ROOT = Path(__file__).resolve().parents[2]
PRESETS = sorted(p.stem for p in (ROOT / "engine" / "sensors").glob("*.json"))


def test_scene_is_deterministic_by_seed():
    a, b, c = make_scene(3, 64), make_scene(3, 64), make_scene(4, 64)
    assert np.array_equal(a.labels, b.labels) and np.array_equal(a.abundances, b.abundances)
    assert np.array_equal(render(a, "sentinel2_l2a").data, render(b, "sentinel2_l2a").data)
    assert not np.array_equal(a.abundances, c.abundances)


def test_abundances_are_mixtures_and_labels_valid():
    s = make_scene(11, 96)
    total = s.abundances.sum(0)
    assert np.all(s.abundances >= 0) and np.allclose(total, 1.0, atol=1e-4)
    assert s.labels.max() < len(CLASSES)


def test_material_spectra_are_plausible():
    nir, red, swir = (mat.band_reflectance(*r) for r in ((843, 886), (634, 696), (1516, 1704)))
    i = mat.MATERIAL_INDEX
    ndvi = (nir - red) / (nir + red)
    assert ndvi[i["broadleaf"]] > 0.7 and ndvi[i["water_clear"]] < 0
    assert nir[i["water_clear"]] < 0.01 and swir[i["water_clear"]] < 0.005
    assert swir[i["soil"]] > nir[i["soil"]] > red[i["soil"]]  # soils rise into the SWIR
    assert swir[i["snow"]] < 0.2 < nir[i["snow"]]  # snow is dark in the SWIR


def _scene_with(classes, size=128):
    for seed in range(40):
        s = make_scene(seed, size, doy=200, cloud_cover=0.0)
        if all((s.labels == CLASS_INDEX[c]).sum() > 30 for c in classes):
            return s
    pytest.fail(f"no scene among 40 seeds has all of {classes}")


def test_rendered_ndvi_vegetation_above_water_and_water_dark_in_nir():
    s = _scene_with(["broadleaf_forest", "crop_mature"])
    water = np.isin(s.labels, [CLASS_INDEX["open_water"], CLASS_INDEX["turbid_water"]])
    if water.sum() < 30:
        s = _scene_with(["broadleaf_forest", "open_water"])
        water = s.labels == CLASS_INDEX["open_water"]
    img = render(s, "sentinel2_l2a")
    refl = img.data.astype(np.float64) / 10000.0
    b04, b08 = refl[img.band_names.index("B04")], refl[img.band_names.index("B08")]
    ndvi = (b08 - b04) / (b08 + b04 + 1e-6)
    veg = np.isin(s.labels, [CLASS_INDEX["broadleaf_forest"], CLASS_INDEX["conifer_forest"], CLASS_INDEX["crop_mature"]])
    assert ndvi[veg].mean() > 0.6 > 0.1 > ndvi[water].mean()
    assert b08[water].mean() < 0.06
    s1 = render(s, "sentinel1_grd")
    vv = s1.data[0]
    assert vv[water].mean() < vv[veg].mean() - 6  # open water is a specular (dark) surface in SAR


@pytest.mark.parametrize("sensor", PRESETS)
def test_every_sensor_preset_renders_in_its_product_units(sensor):
    s = make_scene(5, 96, cloud_cover=0.1)
    img = render(s, sensor)
    preset = json.loads((ROOT / "engine" / "sensors" / f"{sensor}.json").read_text())
    assert img.data.shape == (len(preset["bands"]), 96, 96)
    assert np.isfinite(img.data.astype(np.float64)).all()
    for k, band in enumerate(preset["bands"]):
        v = img.data[k].astype(np.float64)
        if band["min_nm"] >= 1e6:
            assert img.data.dtype == np.float32 and -40 < v.mean() < 5  # dB
        elif band["min_nm"] >= 3000:
            assert 230 < v.mean() < 330  # brightness temperature, K
        elif img.data.dtype == np.uint8:
            assert 0 < v.mean() < 255
        else:
            assert 50 < v.mean() < 9000  # reflectance x10000


def test_native_grid_and_coregistered_grid():
    s = make_scene(6, 96)
    native = render(s, "landsat8", grid="native")
    assert native.data.shape[1:] == (32, 32) and native.pixel_size == 30.0 and native.labels.shape == (32, 32)
    same = render(s, "landsat8")
    assert same.data.shape[1:] == (96, 96)
    # 30 m pixels replicated 3x3 on the 10 m grid: blocks are constant.
    b = same.data[3, :3, :3]
    assert (b == b[0, 0]).all()


def test_series_changes_with_season_but_keeps_layout():
    series = make_series(8, [60, 150, 200, 300], size=96, cloud_cover=0.0)
    water = [np.isin(s.labels, [0, 1]) for s in series]
    assert all(np.array_equal(water[0], w) for w in water[1:])
    crops = [set(np.unique(s.labels)) & {CLASS_INDEX[c] for c in ("crop_emerging", "crop_growing",
                                                                     "crop_mature", "crop_harvested")} for s in series]
    assert len({frozenset(c) for c in crops}) > 1


def test_write_geotiff_has_descriptions_nodata_crs(tmp_path):
    gdal = pytest.importorskip("osgeo.gdal")
    img = render(make_scene(9, 64), "sentinel2_l2a")
    path = write_geotiff(img, tmp_path / "s2.tif", labels_path=str(tmp_path / "labels.tif"))
    ds = gdal.Open(path)
    assert [ds.GetRasterBand(i + 1).GetDescription() for i in range(ds.RasterCount)] == img.band_names
    assert ds.GetRasterBand(1).GetNoDataValue() == 0
    assert "32633" in ds.GetProjection() or "UTM zone 33N" in ds.GetProjection()
    assert np.array_equal(ds.ReadAsArray(), img.data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labels.tif", "s2.tif"]  # no temp files left


def test_bundled_sample_scene_matches_generator(tmp_path):
    gdal = pytest.importorskip("osgeo.gdal")
    from engine.training.sample import write_samples

    shipped = ROOT / "resources" / "sample" / "sample_s2_l2a.tif"
    assert shipped.is_file() and shipped.stat().st_size < 3_000_000
    ds = gdal.Open(str(shipped))
    assert (ds.RasterXSize, ds.RasterYSize, ds.RasterCount) == (448, 448, 12)
    assert [ds.GetRasterBand(i + 1).GetDescription() for i in range(12)] == \
        ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B11", "B12"]
    assert ds.GetRasterBand(1).DataType == gdal.GDT_UInt16 and ds.GetRasterBand(1).GetNoDataValue() == 0
    assert ds.GetGeoTransform()[1] == 10.0
    fresh = write_samples(tmp_path, with_s1=False)[0]
    assert np.array_equal(gdal.Open(fresh).ReadAsArray(), ds.ReadAsArray())
