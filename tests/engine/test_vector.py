"""engine.vector: labelled points/polygons onto a raster grid."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

from engine.vector import (VectorError, check_label_field, list_fields, points_to_pixels, rasterize_label_raster,
                           rasterize_labels, read_class_colours)

gdal.UseExceptions()
ogr.UseExceptions()

# A 10 x 8 pixel UTM 32N grid of 10 m pixels.
GT = (500000.0, 10.0, 0.0, 5000080.0, 0.0, -10.0)
W, H = 10, 8


def _srs(epsg: int) -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


UTM = _srs(32632).ExportToWkt()


def write_vector(path, features, srs=None, field_type=ogr.OFTString, extra_fields=()):
    """features: list of (wkt, class value, {extra field: value})."""
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(str(path))
    lyr = ds.CreateLayer("labels", srs=srs if srs is not None else _srs(32632), geom_type=ogr.wkbUnknown)
    lyr.CreateField(ogr.FieldDefn("class", field_type))
    for name in extra_fields:
        lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for wkt, value, extra in features:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        if value is not None:
            f.SetField("class", value)
        for k, v in (extra or {}).items():
            f.SetField(k, v)
        lyr.CreateFeature(f)
    ds = None
    return str(path)


def px_centre(row, col):
    return GT[0] + (col + 0.5) * GT[1], GT[3] + (row + 0.5) * GT[5]


def test_points_burn_their_pixel_and_classes_sort_numerically(tmp_path):
    feats = []
    for (r, c), v in {(0, 0): "10", (2, 3): "2", (7, 9): "2", (4, 4): "1"}.items():
        x, y = px_centre(r, c)
        feats.append((f"POINT ({x + 3} {y - 2})", v, None))
    path = write_vector(tmp_path / "p.gpkg", feats)
    labels, names = rasterize_labels(path, W, H, GT, UTM, field="class")
    assert names == ["1", "2", "10"]
    assert labels.dtype == np.int32 and labels.shape == (H, W)
    assert labels[0, 0] == 2 and labels[2, 3] == 1 and labels[7, 9] == 1 and labels[4, 4] == 0
    assert (labels >= 0).sum() == 4


def test_points_on_the_far_edge_belong_to_the_last_pixel(tmp_path):
    xmax, ymin = GT[0] + W * GT[1], GT[3] + H * GT[5]
    path = write_vector(tmp_path / "e.gpkg", [(f"POINT ({xmax} {ymin})", "a", None),
                                             (f"POINT ({GT[0]} {GT[3]})", "b", None)])
    labels, names = rasterize_labels(path, W, H, GT, UTM, field="class")
    assert labels[H - 1, W - 1] == names.index("a")
    assert labels[0, 0] == names.index("b")


def test_polygon_smaller_than_a_pixel_still_counts(tmp_path):
    # 2 m square in the corner of pixel (3, 5): it covers no pixel centre.
    x0, y0 = GT[0] + 5 * 10 + 1, GT[3] - 3 * 10 - 3
    poly = f"POLYGON (({x0} {y0}, {x0 + 2} {y0}, {x0 + 2} {y0 - 2}, {x0} {y0 - 2}, {x0} {y0}))"
    path = write_vector(tmp_path / "s.gpkg", [(poly, "water", None)])
    for touched in (True, False):
        labels, names = rasterize_labels(path, W, H, GT, UTM, field="class", all_touched=touched)
        assert names == ["water"]
        assert labels[3, 5] == 0 and (labels >= 0).sum() == 1


def test_polygons_of_two_classes_and_mixed_border_pixels(tmp_path):
    # Two rectangles meeting half-way through column 4: that column is mixed.
    def rect(c0, c1):
        xa, xb = GT[0] + c0 * 10, GT[0] + c1 * 10
        ya, yb = GT[3], GT[3] - 8 * 10
        return f"POLYGON (({xa} {ya}, {xb} {ya}, {xb} {yb}, {xa} {yb}, {xa} {ya}))"
    path = write_vector(tmp_path / "r.gpkg", [(rect(0, 4.5), "crop", None), (rect(4.5, 10), "forest", None)])
    res = rasterize_label_raster(path, W, H, GT, UTM, field="class")
    assert res.class_names == ["crop", "forest"]
    assert (res.labels[:, :4] == 0).all() and (res.labels[:, 5:] == 1).all()
    assert res.n_conflict_pixels == H  # column 4 is touched by both
    # feature ids follow the labels: one id per rectangle, -1 where unlabelled
    assert set(np.unique(res.feature_ids[:, :4])) == {1} and set(np.unique(res.feature_ids[:, 5:])) == {2}
    assert ((res.feature_ids >= 0) == (res.labels >= 0)).all()
    # centre x of column 4 is 4.5 -> on the shared border; whatever rule, never a wrong class.
    assert set(np.unique(res.labels[:, 4])) <= {-1, 0, 1}
    assert any("different classes" in w for w in res.warnings)


def test_reprojects_from_wgs84(tmp_path):
    to_ll = osr.CoordinateTransformation(_srs(32632), _srs(4326))
    x, y = px_centre(5, 6)
    lon, lat, _ = to_ll.TransformPoint(x, y)
    path = write_vector(tmp_path / "ll.gpkg", [(f"POINT ({lon} {lat})", 3, None)], srs=_srs(4326),
                        field_type=ogr.OFTInteger)
    labels, names = rasterize_labels(path, W, H, GT, UTM, field="class")
    assert names == ["3"] and labels[5, 6] == 0 and (labels >= 0).sum() == 1
    rc = points_to_pixels([(lon, lat)], "EPSG:4326", GT, UTM)
    assert rc[0] == pytest.approx((5.5, 6.5), abs=1e-4)
    assert points_to_pixels([(x, y)], None, GT, UTM)[0] == pytest.approx((5.5, 6.5))


def test_empty_class_values_name_the_features(tmp_path):
    x, y = px_centre(1, 1)
    path = write_vector(tmp_path / "n.gpkg", [(f"POINT ({x} {y})", "a", None), (f"POINT ({x} {y})", None, None),
                                             (f"POINT ({x} {y})", "  ", None)])
    with pytest.raises(VectorError, match=r"empty class.*ids 2, 3"):
        rasterize_labels(path, W, H, GT, UTM, field="class")


def test_missing_field_lists_fields(tmp_path):
    x, y = px_centre(1, 1)
    path = write_vector(tmp_path / "f.gpkg", [(f"POINT ({x} {y})", "a", None)])
    with pytest.raises(VectorError, match="Fields: class"):
        rasterize_labels(path, W, H, GT, UTM, field="landcover")
    with pytest.raises(VectorError, match="Fields: class"):
        check_label_field(path, "landcover")
    check_label_field(path, "CLASS")  # case-insensitive, like the rasterisation
    assert list_fields(path) == ["class"]
    with pytest.raises(VectorError, match="does not exist"):
        check_label_field(str(tmp_path / "nope.gpkg"), "class")


def test_features_outside_are_reported_and_all_outside_is_an_error(tmp_path):
    x, y = px_centre(1, 1)
    far = f"POINT ({x + 1e5} {y})"
    path = write_vector(tmp_path / "o.gpkg", [(f"POINT ({x} {y})", "a", None), (far, "b", None)])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        labels, names = rasterize_labels(path, W, H, GT, UTM, field="class")
    assert names == ["a"] and labels[1, 1] == 0
    assert any("1 of 2 feature(s) lie outside" in str(w.message) for w in caught)
    res = rasterize_label_raster(path, W, H, GT, UTM, field="class")
    assert res.n_outside == 1 and res.outside_ids == [2]
    path2 = write_vector(tmp_path / "o2.gpkg", [(far, "b", None)])
    with pytest.raises(VectorError, match="outside the raster extent"):
        rasterize_labels(path2, W, H, GT, UTM, field="class")


def test_crs_that_cannot_be_transformed(tmp_path):
    local = osr.SpatialReference()
    local.SetLocalCS("site grid")
    x, y = px_centre(1, 1)
    path = write_vector(tmp_path / "l.gpkg", [(f"POINT ({x} {y})", "a", None)], srs=local)
    with pytest.raises(VectorError, match="Cannot transform"):
        rasterize_labels(path, W, H, GT, UTM, field="class")


def test_without_field_every_feature_is_one_class(tmp_path):
    x, y = px_centre(2, 2)
    path = write_vector(tmp_path / "ref.gpkg", [(f"POINT ({x} {y})", "a", None), (f"POINT ({x + 20} {y})", "b", None)])
    labels, names = rasterize_labels(path, W, H, GT, UTM)
    assert names == ["labels"] and labels[2, 2] == 0 and labels[2, 4] == 0


def test_read_class_colours(tmp_path):
    x, y = px_centre(2, 2)
    path = write_vector(tmp_path / "c.gpkg", [(f"POINT ({x} {y})", "a", {"color": "#FF0000"}),
                                             (f"POINT ({x} {y})", "b", {"color": "0,128,255"}),
                                             (f"POINT ({x} {y})", "a", {"color": "#00ff00"})],
                        extra_fields=("color",))
    assert read_class_colours(path, "class") == {"a": "#ff0000", "b": "#0080ff"}
    plain = write_vector(tmp_path / "nc.gpkg", [(f"POINT ({x} {y})", "a", None)])
    assert read_class_colours(plain, "class") is None


def test_landsat_points(realdata_dir):
    folder = realdata_dir / "l8_sr_brazil"
    ds = gdal.Open(str(folder / "LC08_232066_20190727.tif"))
    res = rasterize_label_raster(str(folder / "endmembers.shp"), ds.RasterXSize, ds.RasterYSize,
                                 ds.GetGeoTransform(), ds.GetProjection(), field="class")
    assert res.class_names == ["0", "1", "2", "3"]
    assert res.n_features == 91 and res.n_outside == 0
    assert sum(res.counts().values()) == 91  # 91 points in 91 distinct 30 m pixels


def test_qgis_style_sources_pick_the_layer_and_apply_its_filter(tmp_path):
    from engine.vector import split_source

    assert split_source("a.gpkg") == ("a.gpkg", None, None)
    assert split_source("a.gpkg|layername=fields|subset=\"class\" = 'b'") == ("a.gpkg", "fields", "\"class\" = 'b'")
    assert split_source("a.gpkg|layerid=1") == ("a.gpkg", 1, None)
    path = str(tmp_path / "two.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    for name, classes in (("roads", ["r"]), ("fields", ["a", "b"])):
        lyr = ds.CreateLayer(name, srs=_srs(32632), geom_type=ogr.wkbPoint)
        lyr.CreateField(ogr.FieldDefn("class", ogr.OFTString))
        for i, value in enumerate(classes):
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetGeometry(ogr.CreateGeometryFromWkt("POINT (%f %f)" % px_centre(1 + 2 * i, 1 + 2 * i)))
            f.SetField("class", value)
            lyr.CreateFeature(f)
    ds = None
    def names(source):
        return list(rasterize_label_raster(source, W, H, GT, UTM, "class").class_names)

    assert names(path) == ["r"]  # a plain path reads the first layer
    assert names(path + "|layername=fields") == ["a", "b"]
    assert names(path + "|layerid=1") == ["a", "b"]
    assert names(path + "|layername=fields|subset=\"class\" = 'b'") == ["b"]
    with pytest.raises(VectorError, match="filter"):
        rasterize_label_raster(path + "|layername=fields|subset=nonsense ((", W, H, GT, UTM, "class")
    with pytest.raises(VectorError, match="Layers: roads, fields"):
        list_fields(path + "|layername=lakes")


def test_one_crs_parser_with_the_callers_error_type():
    from engine.errors import RasterError
    from engine.raster.grid import srs_from_user
    from engine.vector import srs_from_text

    with pytest.raises(VectorError, match="point CRS 'EPSG:99999999'.*EPSG:4326"):
        srs_from_text("EPSG:99999999", "point CRS")
    with pytest.raises(RasterError, match="extent CRS"):
        srs_from_user("not a crs", "extent CRS")
    srs = srs_from_text("EPSG:4326")
    assert srs.GetAuthorityCode(None) == "4326"
    ct = osr.CoordinateTransformation(srs, _srs(32632))
    x, _, _ = ct.TransformPoint(9.0, 45.0)  # lon/lat order: traditional GIS axis order
    assert 499000 < x < 501000
