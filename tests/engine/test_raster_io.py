"""Raster reading, stacking, extent/resolution, streamed writing and normalisation statistics."""
from __future__ import annotations

import os

import numpy as np
import pytest
from osgeo import gdal, osr

from engine.errors import RasterError
from engine.raster.io import RasterSource
from engine.raster.normalize import BandStats, Normalizer, band_statistics, compute_stats, stats_from_values
from engine.raster.writer import GeoTiffWriter

gdal.UseExceptions()
UTM33 = 32633


def make_tif(path, data, gt=(500000.0, 10.0, 0.0, 5100000.0, 0.0, -10.0), epsg=UTM33, nodata=None,
             descriptions=None, dtype=None, scale=None, offset=None, tiled=False):
    """Write a small GeoTIFF from [C, H, W] (or [H, W]) data; returns the path as str."""
    data = np.asarray(data)
    if data.ndim == 2:
        data = data[None]
    dtype = np.dtype(dtype or data.dtype)
    gtype = gdal.GetDataTypeByName({"uint8": "Byte"}.get(dtype.name, dtype.name.capitalize()))
    opts = ["TILED=YES"] if tiled else []
    ds = gdal.GetDriverByName("GTiff").Create(str(path), data.shape[2], data.shape[1], data.shape[0], gtype, opts)
    ds.SetGeoTransform(gt)
    if epsg:
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(epsg)
        ds.SetProjection(srs.ExportToWkt())
    for i in range(data.shape[0]):
        b = ds.GetRasterBand(i + 1)
        b.WriteArray(data[i].astype(dtype))
        if nodata is not None:
            b.SetNoDataValue(nodata)
        if descriptions:
            b.SetDescription(descriptions[i])
        if scale is not None:
            b.SetScale(scale)
        if offset is not None:
            b.SetOffset(offset)
    ds = None
    return str(path)


def test_read_applies_nodata_scale_offset(tmp_path):
    data = np.arange(2 * 20 * 30, dtype=np.int16).reshape(2, 20, 30)
    data[:, 5, 7] = -9999
    p = make_tif(tmp_path / "a.tif", data, nodata=-9999, scale=0.5, offset=1.0)
    with RasterSource(p) as src:
        assert (src.width, src.height, src.count) == (30, 20, 2)
        x, valid = src.read(2, 3, 10, 6)
    assert x.dtype == np.float32 and x.shape == (2, 6, 10)
    assert not valid[2, 5] and valid.sum() == 59
    assert x[1, 0, 0] == pytest.approx(data[1, 3, 2] * 0.5 + 1.0)


def test_read_uses_mask_band_and_nan(tmp_path):
    data = np.ones((1, 16, 16), np.float32)
    data[0, 0, 0] = np.nan
    p = make_tif(tmp_path / "f.tif", data)
    ds = gdal.Open(p, gdal.GA_Update)
    ds.CreateMaskBand(gdal.GMF_PER_DATASET)
    m = np.full((16, 16), 255, np.uint8)
    m[3, 4] = 0
    ds.GetRasterBand(1).GetMaskBand().WriteArray(m)
    ds = None
    with RasterSource(p) as src:
        _, valid = src.read(0, 0, 16, 16)
    assert not valid[0, 0] and not valid[3, 4] and valid.sum() == 254


def test_stack_single_band_files_on_the_finest_grid(tmp_path):
    fine = make_tif(tmp_path / "B04.tif", np.full((40, 40), 100, np.uint16), descriptions=["B04"])
    coarse = make_tif(tmp_path / "B11.tif", np.arange(400, dtype=np.uint16).reshape(20, 20),
                      gt=(500000.0, 20.0, 0.0, 5100000.0, 0.0, -20.0), descriptions=["B11"])
    with RasterSource([fine, coarse]) as src:
        assert (src.width, src.height, src.count) == (40, 40, 2)
        assert src.geotransform[1] == 10.0
        assert src.descriptions == ["B04", "B11"]
        x, _ = src.read(0, 0, 4, 4)
    assert x[1, 0, 0] == x[1, 1, 1] == 0 and x[1, 0, 2] == 1  # 20 m pixels replicated onto 10 m


def test_extent_clips_and_transforms(tmp_path):
    p = make_tif(tmp_path / "a.tif", np.zeros((1, 100, 100), np.uint16))
    with RasterSource(p, extent=(500105.0, 5099500.0, 500300.0, 5099895.0)) as src:
        assert (src.window.xoff, src.window.yoff, src.width, src.height) == (10, 10, 20, 40)
        assert src.geotransform[0] == 500100.0 and src.geotransform[3] == 5099900.0
    # the same area given in lon/lat lands on (almost) the same window
    ct = osr.CoordinateTransformation(_srs(UTM33), _srs(4326))
    (lon0, lat0, _), (lon1, lat1, _) = ct.TransformPoint(500105.0, 5099500.0), ct.TransformPoint(500300.0, 5099895.0)
    with RasterSource(p, extent=(lon0, lat0, lon1, lat1), extent_crs="EPSG:4326") as src:
        assert abs(src.window.xoff - 10) <= 1 and abs(src.width - 20) <= 2


def _srs(epsg):
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def test_extent_outside_raster_is_an_error(tmp_path):
    p = make_tif(tmp_path / "a.tif", np.zeros((1, 10, 10), np.uint16))
    with pytest.raises(RasterError, match="does not overlap"):
        RasterSource(p, extent=(0.0, 0.0, 10.0, 10.0))


def test_resolution_resamples_through_a_warped_vrt(tmp_path):
    p = make_tif(tmp_path / "a.tif", np.arange(64 * 64, dtype=np.float32).reshape(1, 64, 64))
    with RasterSource(p, resolution=20.0) as src:
        assert (src.width, src.height) == (32, 32) and src.geotransform[1] == 20.0
        x, valid = src.read(0, 0, 32, 32)
    assert valid.all() and x[0, 0, 0] == pytest.approx((0 + 1 + 64 + 65) / 4)


def test_unreadable_and_missing_files(tmp_path):
    with pytest.raises(RasterError, match="not found"):
        RasterSource(str(tmp_path / "nope.tif"))
    bad = tmp_path / "bad.tif"
    bad.write_bytes(b"this is not a raster")
    with pytest.raises(RasterError, match="bad.tif"):
        RasterSource(str(bad))


def test_truncated_file_names_file_and_window(tmp_path):
    mem = gdal.GetDriverByName("MEM").Create("", 512, 512, 1, gdal.GDT_UInt16)
    mem.GetRasterBand(1).WriteArray(np.random.default_rng(0).integers(0, 9999, (512, 512)).astype(np.uint16))
    p = str(tmp_path / "t.tif")
    gdal.GetDriverByName("GTiff").CreateCopy(p, mem, options=["TILED=YES", "COMPRESS=DEFLATE"])
    with open(p, "r+b") as f:
        f.truncate(os.path.getsize(p) // 2)
    with RasterSource(p) as src:
        src.read(0, 0, 64, 64)
        with pytest.raises(RasterError, match=r"t\.tif.*x=0, y=400"):
            src.read(0, 400, 100, 100)


def test_writer_commits_and_aborts(tmp_path):
    out = tmp_path / "o.tif"
    gt = (0.0, 16.0, 0.0, 0.0, 0.0, -16.0)
    with GeoTiffWriter(str(out), 10, 7, 3, "float32", gt, "", nodata=float("nan"),
                       descriptions=["a", "b", "c"], metadata={"K": {"x": 1}}, block=16) as w:
        for y in range(7):
            w.write_rows(np.full((3, 1, 10), y, np.float32), y)
        assert not out.exists()
        w.commit()
    ds = gdal.Open(str(out))
    assert ds.GetRasterBand(2).GetDescription() == "b" and ds.GetMetadataItem("K") == '{"x": 1}'
    assert ds.ReadAsArray()[1, 6, 3] == 6 and ds.GetGeoTransform() == gt
    assert ds.GetRasterBand(1).GetBlockSize() == [16, 16]
    with pytest.raises(RuntimeError):
        with GeoTiffWriter(str(tmp_path / "x.tif"), 10, 7, 1, "uint8", gt, "") as w:
            w.write_rows(np.zeros((1, 3, 10), np.uint8), 0)
            raise RuntimeError("boom")
    assert sorted(os.listdir(tmp_path)) == ["o.tif"]


def test_float16_embeddings_are_stored_as_half(tmp_path):
    out = str(tmp_path / "h.tif")
    with GeoTiffWriter(out, 16, 16, 2, "float16", (0, 1, 0, 0, 0, -1), "", nodata=float("nan")) as w:
        w.write_rows(np.full((2, 16, 16), 1 / 3, np.float32), 0)
        w.commit()
    ds = gdal.Open(out)
    assert ds.GetRasterBand(1).GetMetadataItem("NBITS", "IMAGE_STRUCTURE") == "16"
    assert ds.ReadAsArray()[0, 0, 0] == np.float32(np.float16(1 / 3))


def test_stats_are_not_8bit_and_exclude_nodata(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(1)
    data = rng.integers(1000, 3000, (2, 64, 64)).astype(np.uint16)
    data[:, :8] = 0
    p = make_tif(tmp_path / "s.tif", data, nodata=0)
    with RasterSource(p) as src:
        stats = compute_stats(src)
        assert 1000 <= stats[0].p1 < 1100 and 2900 < stats[0].p99 <= 3000
        assert 0.4 < stats[0].mean < 0.6
        assert len(os.listdir(tmp_path / "cache" / "stats")) == 1
        assert compute_stats(src) == stats  # from the cache
        x, valid = src.read(0, 0, 64, 64)
    Normalizer(stats)(x, valid)
    assert np.all(x[:, :8] == 0) and abs(x[0, 8:].mean()) < 0.1 and 0.8 < x[0, 8:].std() < 1.2


def test_stats_prefer_the_model_card(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))
    p = make_tif(tmp_path / "s.tif", np.full((2, 8, 8), 5, np.uint16))

    class Band:
        def __init__(self, name):
            self.band = type("B", (), {"name": name, "sensor": "sentinel2_l2a"})()

    card = {"normalization": {"sentinel2_l2a": {"B04": {"p1": 1, "p99": 9, "mean": 0.5, "std": 0.2}}}}
    with RasterSource(p) as src:
        stats = band_statistics(src, [Band("B04"), Band("B03")], card)
        assert stats[0] == BandStats(1, 9, 0.5, 0.2, "card") and stats[1].source == "computed"
        with pytest.raises(RasterError, match="B03"):
            band_statistics(src, [Band("B04"), Band("B03")], card, mode="card")


def test_all_nodata_stats_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))
    p = make_tif(tmp_path / "z.tif", np.zeros((1, 8, 8), np.uint16), nodata=0)
    with RasterSource(p) as src, pytest.raises(RasterError, match="no valid pixels"):
        compute_stats(src)


def test_stats_from_constant_values_do_not_divide_by_zero():
    s = stats_from_values(np.full(100, 7.0))
    x = np.full((1, 2, 2), 7.0, np.float32)
    assert np.isfinite(Normalizer([s])(x)).all()
