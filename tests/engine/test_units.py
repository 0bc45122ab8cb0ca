"""Units of the input values: Landsat L1 DN + MTL, Sentinel-2 offsets, SAR linear power, complex bands,
DN warnings against the model's statistics, and stacks of files with different extents."""
from __future__ import annotations

import shutil

import numpy as np
import pytest
from osgeo import gdal

from engine.errors import RasterError
from engine.jobs import JobSpec, RasterInput
from engine.products.inputs import open_input
from engine.raster.io import RasterSource

from test_raster_io import make_tif

L8 = "l8_l1tp_thermal/LC08_L1TP_016037_20170813_20170814_01_RT_stack10_900m.tif"


def _stats(source, bands):
    from engine.inference.backend import load_model
    from engine.raster.normalize import band_statistics

    return band_statistics(source, bands.decisions, load_model("default").card, "auto", "landsat8")


def _clipped(source, stats):
    data, valid = source.read(0, 0, source.width, source.height)
    return [float(((data[k][valid] > s.p99) | (data[k][valid] < s.p1)).mean()) for k, s in enumerate(stats)]


def test_landsat8_l1tp_dn_with_mtl_becomes_reflectance_and_kelvin(realdata_dir):
    """The real L1TP scene: no band more than 5 % outside the model's statistics after conversion."""
    job = JobSpec("embeddings", [RasterInput([str(realdata_dir / L8)])], "unused.tif")
    source, bands = open_input(job, 0)
    try:
        names = [d.band.name for d in bands.decisions]
        assert names == ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B10", "B11"]
        assert all("MTL" in c for c in source.conversions)
        assert "brightness temperature" in source.conversions[-1] and "TOA reflectance" in source.conversions[0]
        clipped = _clipped(source, _stats(source, bands))
        assert max(clipped) < 0.05, dict(zip(names, clipped))
        data, valid = source.read(0, 0, source.width, source.height)
        assert 270 < np.median(data[-1][valid]) < 310  # kelvin on an August afternoon
    finally:
        source.close()


def test_a_warped_landsat8_l1tp_scene_keeps_its_mtl_conversion(realdata_dir):
    """Change onto another grid warps the after raster: the warped copy still finds the file's MTL."""
    from engine.raster.align import grid_of, release, warp_onto

    path = str(realdata_dir / L8)
    g = grid_of(path)
    gt = list(g.geotransform)
    gt[0] += gt[1] / 3  # a third of a pixel east: a different grid
    warped = warp_onto(path, type(g)(g.width - 1, g.height, tuple(gt), g.crs_wkt))
    ds = gdal.Open(path)
    desc = [ds.GetRasterBand(i + 1).GetDescription() for i in range(ds.RasterCount)]
    ds = None
    entries = ["skip" if d == "B9" else f"landsat8:{d}" for d in desc]  # B9 (cirrus) has no layer
    job = JobSpec("embeddings", [RasterInput([warped], entries)], "unused.tif")
    source, bands = open_input(job, 0)
    try:
        assert all("MTL" in c for c in source.conversions), source.conversions
        data, valid = source.read(0, 0, source.width, source.height)
        assert 270 < np.median(data[-1][valid]) < 310
    finally:
        source.close()
        release(warped)


def test_landsat8_dn_without_mtl_is_flagged_in_the_band_table(realdata_dir, tmp_path):
    alone = tmp_path / "LC08_scene_stack.tif"  # no MTL next to it
    shutil.copy(realdata_dir / L8, alone)
    from engine.raster.units import range_warnings

    job = JobSpec("embeddings", [RasterInput([str(alone)])], "unused.tif")
    source, bands = open_input(job, 0)
    try:
        assert not any(source.conversions)
        warnings = range_warnings(source, bands.decisions, _stats(source, bands))
        assert "values look like DN: 100% of B6 above the model's p99" in warnings[5]
        assert "--normalization percentiles" in warnings[5] and "kelvin" in warnings[7]
    finally:
        source.close()


def test_sentinel2_baseline_offset_is_removed(tmp_path):
    data = np.full((4, 32, 32), 1500, "uint16")
    path = make_tif(tmp_path / "s2.tif", data)
    ds = gdal.Open(path, gdal.GA_Update)
    ds.SetMetadata({"BOA_ADD_OFFSET": "-1000", "PROCESSING_BASELINE": "05.09"})
    ds = None
    job = JobSpec("embeddings", [RasterInput([path], ["B02", "B03", "B04", "B08"], "sentinel2_l2a")], "u.tif")
    source, bands = open_input(job, 0)
    try:
        values, _ = source.read(0, 0, 32, 32)
        assert np.all(values == 500) and "offset -1000" in source.conversions[0]
        assert any("Sentinel-2 offset" in n for n in bands.notes)
    finally:
        source.close()


def test_sar_linear_power_becomes_db_and_db_stays(tmp_path):
    rng = np.random.default_rng(0)
    linear = (rng.gamma(2.0, 0.05, (2, 32, 32))).astype("float32")
    path = make_tif(tmp_path / "s1_linear.tif", linear)
    job = JobSpec("embeddings", [RasterInput([path], ["VV", "VH"], "sentinel1_grd")], "u.tif")
    source, _ = open_input(job, 0)
    try:
        values, _ = source.read(0, 0, 32, 32)
        np.testing.assert_allclose(values, 10 * np.log10(linear), rtol=1e-5)
        assert "dB" in source.conversions[0]
    finally:
        source.close()
    db = make_tif(tmp_path / "s1_db.tif", 10 * np.log10(linear))
    job.inputs[0].paths = [db]
    source, _ = open_input(job, 0)
    try:
        assert not any(source.conversions)
    finally:
        source.close()


def test_complex_bands_are_refused(tmp_path):
    path = str(tmp_path / "slc.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 16, 16, 1, gdal.GDT_CFloat32)
    ds.SetGeoTransform((0, 10, 0, 0, 0, -10))
    ds = None
    job = JobSpec("embeddings", [RasterInput([path], ["VV"], "sentinel1_grd")], "u.tif")
    with pytest.raises(RasterError, match=r"Band 1 \(VV\) of .*slc.tif is complex \(CFloat32\).*imaginary"):
        open_input(job, 0)


def test_stacked_files_of_different_extents_leave_uncovered_area_nodata(tmp_path):
    big = make_tif(tmp_path / "b1.tif", np.full((32, 32), 7, "uint16"))  # 320 m square
    small = make_tif(tmp_path / "b2.tif", np.full((16, 16), 9, "uint16"),  # its top-left quarter
                     gt=(500000.0, 10.0, 0.0, 5100000.0, 0.0, -10.0))
    with RasterSource([big, small]) as src:
        assert (src.width, src.height) == (32, 32)
        data, valid = src.read(0, 0, 32, 32)
        assert valid[:16, :16].all() and not valid[16:, :].any() and not valid[:, 16:].any()
        assert src.may_have_nodata
    # files with identical extents stay all-valid
    with RasterSource([big, make_tif(tmp_path / "b3.tif", np.ones((32, 32), "uint16"))]) as src:
        assert src.read(0, 0, 32, 32)[1].all()


# -- change between rasters on different grids -------------------------------------------------------

def test_change_aligns_naip_2020_onto_2010_grid(realdata_dir, tmp_path, capsys):
    """NAIP 2010 and 2020 are one pixel apart: the 2020 raster is warped onto the 2010 grid by default."""
    import json

    from engine.cli import main

    naip = sorted((realdata_dir / "naip_rgbn_change").glob("*.tif"))
    common = ["--sensor", "naip", "--window", "64", "--overlap", "0", "--device", "cpu", "--quiet", "--json",
              "--extent", "", "--resolution", "40"]
    ds = gdal.Open(str(naip[0]))
    gt = ds.GetGeoTransform()
    ext = f"{gt[0] + 500},{gt[3] - 2500},{gt[0] + 3000},{gt[3] - 500}"
    common[common.index("--extent") + 1] = ext
    code = main(["change", str(naip[0]), str(naip[2]), "-o", str(tmp_path / "c.tif")] + common)
    out = capsys.readouterr()
    assert code == 0, out.err
    report = json.loads(out.out)["report"]
    (record,) = report["alignment"]
    assert record["resampling"] in ("near", "average", "bilinear") and "warped onto the grid" in record["note"]
    meta = gdal.Open(str(tmp_path / "c.tif")).GetMetadataItem("SMARTIES_ALIGNMENT")
    assert record["resampling"] in meta
    before = gdal.Open(str(tmp_path / "c.tif"))
    assert before.GetGeoTransform()[0] == gt[0] + 500  # the before grid


def test_change_across_crs_is_aligned_or_named(tmp_path):
    from engine.jobs import run

    rng = np.random.default_rng(0)
    data = (rng.random((4, 64, 64)) * 3000).astype("uint16")
    utm = make_tif(tmp_path / "utm.tif", data)
    wgs = str(tmp_path / "wgs.tif")
    gdal.Warp(wgs, utm, dstSRS="EPSG:4326")
    bands = ["B02", "B03", "B04", "B08"]
    job = JobSpec("change", [RasterInput([utm], bands, "sentinel2_l2a"), RasterInput([wgs], bands, "sentinel2_l2a")],
                  str(tmp_path / "c.tif"), window=32, overlap=0.0, device="cpu", align=False)
    with pytest.raises(RasterError, match="different coordinate systems.*EPSG:32633.*EPSG:4326.*--no-align.*gdalwarp"):
        run(job)
    job.align = True
    result = run(job)
    assert result.report["alignment"][0]["crs_changed"]
    assert "from EPSG:4326 to EPSG:32633" in result.report["alignment"][0]["note"]
