"""Labelled points and polygons onto a raster grid: rasterised class labels, pixel positions, colours."""
from __future__ import annotations

import math
import os
import re
import warnings
from dataclasses import dataclass, field as dc_field
from typing import Iterable, Optional, Sequence

import numpy as np

from .errors import JobError

COLOUR_FIELDS = ("color", "colour", "colors", "colours", "hex", "rgb", "class_color", "class_colour")
MAX_LISTED_IDS = 10


class VectorError(JobError):
    """A label/reference vector file cannot be used: missing, empty field values, CRS, extent."""


@dataclass
class LabelRaster:
    """Rasterised labels plus what happened on the way (for reports and warnings)."""

    labels: np.ndarray  # int32 [height, width], -1 = unlabelled
    class_names: list[str]
    n_features: int = 0
    n_outside: int = 0
    outside_ids: list[int] = dc_field(default_factory=list)
    n_conflict_pixels: int = 0  # pixels touched by features of different classes, resolved or dropped
    warnings: list[str] = dc_field(default_factory=list)
    # Feature id per labelled pixel (-1 elsewhere): lets cross-validation keep a polygon's pixels together.
    feature_ids: Optional[np.ndarray] = None

    def counts(self) -> dict[str, int]:
        """Labelled pixels per class name."""
        values = np.bincount(self.labels[self.labels >= 0].ravel(), minlength=len(self.class_names))
        return {name: int(values[i]) for i, name in enumerate(self.class_names)}


def _gdal():
    from osgeo import gdal, ogr, osr

    gdal.UseExceptions()
    ogr.UseExceptions()
    osr.UseExceptions()
    return gdal, ogr, osr


def srs_from_text(text: str, what: str = "CRS"):
    """osr.SpatialReference from WKT / 'EPSG:4326' / proj string, axis order traditional GIS (x=east);
    VectorError naming `what` when it cannot be parsed (one parser with engine.raster.grid)."""
    from .raster.grid import srs_from_user

    return srs_from_user(text, what, VectorError)


def _transform(src, dst, source_name: str):
    """CoordinateTransformation src -> dst, or None when both are the same CRS."""
    _, _, osr = _gdal()
    if src is None or dst is None or src.IsSame(dst):
        return None
    try:
        ct = osr.CoordinateTransformation(src, dst)
    except Exception as exc:
        ct = None
        reason = str(exc)
    else:
        reason = "no transformation available"
    if ct is None:
        raise VectorError(f"Cannot transform coordinates of {source_name} (CRS '{src.GetName()}') to the raster CRS "
                          f"'{dst.GetName()}': {reason}. Reproject the vector layer to the raster CRS first.")
    return ct


def split_source(source: str) -> tuple[str, Optional[str | int], Optional[str]]:
    """(path, layer, attribute filter) of a QGIS/OGR vector source such as
    'fields.gpkg|layername=parcels|subset="crop" = 'wheat'' or 'data.gpkg|layerid=2'; plain paths
    come back unchanged with no layer and no filter."""
    parts = str(source).split("|")
    layer: Optional[str | int] = None
    subset: Optional[str] = None
    for opt in parts[1:]:
        key, _, value = opt.partition("=")
        key = key.strip().lower()
        if key == "layername" and value:
            layer = value
        elif key == "layerid" and value.strip().isdigit():
            layer = int(value)
        elif key == "subset" and value.strip():
            subset = value
    return parts[0], layer, subset


def _open_layer(vector_path: str, layer: Optional[str | int]):
    _, ogr, _ = _gdal()
    vector_path, source_layer, subset = split_source(vector_path)
    layer = source_layer if layer is None else layer
    if not os.path.exists(vector_path) and "://" not in vector_path:
        raise VectorError(f"Vector file '{vector_path}' does not exist.")
    try:
        ds = ogr.Open(vector_path)
    except Exception as exc:
        raise VectorError(f"Cannot open vector file '{vector_path}': {exc}") from exc
    if ds is None or ds.GetLayerCount() == 0:
        raise VectorError(f"Vector file '{vector_path}' has no layers.")
    if layer is None:
        lyr = ds.GetLayer(0)
    elif isinstance(layer, int) or (isinstance(layer, str) and layer.isdigit()):
        lyr = ds.GetLayer(int(layer))
    else:
        lyr = ds.GetLayerByName(layer)
    if lyr is None:
        names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
        raise VectorError(f"Layer '{layer}' not found in '{vector_path}'. Layers: {', '.join(names)}.")
    if subset:
        try:  # some drivers (GeoPackage) only check the SQL when the first feature is read
            ok = lyr.SetAttributeFilter(subset) == 0
            lyr.GetNextFeature()
            lyr.ResetReading()
        except RuntimeError:  # GDAL with exceptions enabled
            ok = False
    if subset and not ok:
        raise VectorError(f"The layer filter '{subset}' of '{vector_path}' is not valid OGR SQL; "
                          "simplify the layer's filter in QGIS or save the filtered features to a new file.")
    return ds, lyr  # keep ds alive while the layer is used


def _field_index(lyr, field: str, vector_path: str) -> int:
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    if field in names:
        return names.index(field)
    lower = [n.lower() for n in names]
    if field.lower() in lower:
        return lower.index(field.lower())
    raise VectorError(f"Field '{field}' not found in '{vector_path}'. Fields: {', '.join(names) or '(none)'}.")


def list_fields(vector_path: str, layer: Optional[str | int] = None) -> list[str]:
    """Attribute field names of a vector layer (for class-field pickers)."""
    ds, lyr = _open_layer(vector_path, layer)
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    del lyr, ds
    return names


def check_label_field(vector_path: str, field: str, layer: Optional[str | int] = None) -> None:
    """Raise VectorError early when the file cannot be opened or has no such field."""
    ds, lyr = _open_layer(vector_path, layer)
    _field_index(lyr, field, vector_path)
    del lyr, ds


def _class_value(feat, index: int):
    """Raw class value of a feature: int for integer-valued numbers, str otherwise, None when empty."""
    if not feat.IsFieldSetAndNotNull(index):
        return None
    value = feat.GetField(index)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        # "1", "2.0" in a text column behave like numbers so classes sort 1, 2, 10 (not 1, 10, 2)
        if re.fullmatch(r"[+-]?\d+(\.0*)?", value):
            return int(float(value))
        return value
    return value


def _sorted_class_names(values: Iterable) -> list[str]:
    unique = set(values)
    if all(isinstance(v, (int, float)) for v in unique):
        return [_name(v) for v in sorted(unique)]
    return sorted({_name(v) for v in unique})


def _name(value) -> str:
    return str(value)


def _geometry_bounds_ok(env, extent) -> bool:
    xmin, xmax, ymin, ymax = env
    exmin, eymin, exmax, eymax = extent
    return not (xmax < exmin or xmin > exmax or ymax < eymin or ymin > eymax)


def _raster_extent(width: int, height: int, gt: Sequence[float]) -> tuple[float, float, float, float]:
    xs = [gt[0], gt[0] + width * gt[1], gt[0] + height * gt[2], gt[0] + width * gt[1] + height * gt[2]]
    ys = [gt[3], gt[3] + width * gt[4], gt[3] + height * gt[5], gt[3] + width * gt[4] + height * gt[5]]
    return min(xs), min(ys), max(xs), max(ys)


def _inverse_gt(gt: Sequence[float]):
    gdal, _, _ = _gdal()
    inv = gdal.InvGeoTransform(tuple(float(v) for v in gt))
    if inv is None or (isinstance(inv, tuple) and len(inv) == 2 and not inv[0]):
        raise VectorError(f"The raster geotransform {tuple(gt)} cannot be inverted (zero pixel size?).")
    if len(inv) == 2:  # old bindings return (ok, gt)
        inv = inv[1]
    return inv


def _geo_to_pixel(inv, x: float, y: float) -> tuple[float, float]:
    """(row, col) fractional pixel coordinates of a point in raster CRS."""
    col = inv[0] + inv[1] * x + inv[2] * y
    row = inv[3] + inv[4] * x + inv[5] * y
    return row, col


def _pixel_of(row: float, col: float, width: int, height: int, tol: float = 1e-6) -> Optional[tuple[int, int]]:
    """Integer pixel containing (row, col); points on the far edge (within tol) belong to the last pixel."""
    if row < -tol or col < -tol or row > height + tol or col > width + tol:
        return None
    r = min(max(int(math.floor(row)), 0), height - 1)
    c = min(max(int(math.floor(col)), 0), width - 1)
    return r, c


def points_to_pixels(points: Sequence[tuple[float, float]], crs: Optional[str], geotransform: Sequence[float],
                     crs_wkt: Optional[str]) -> list[tuple[float, float]]:
    """Fractional (row, col) of map points given in `crs` (None = raster CRS) on the raster grid."""
    inv = _inverse_gt(geotransform)
    ct = None
    if crs and crs_wkt:
        ct = _transform(srs_from_text(crs, "point CRS"), srs_from_text(crs_wkt, "raster CRS"), "the points")
    out = []
    for i, (x, y) in enumerate(points):
        if ct is not None:
            try:
                x, y, *_ = ct.TransformPoint(float(x), float(y))
            except Exception as exc:
                raise VectorError(f"Cannot transform point {i} ({x}, {y}) to the raster CRS: {exc}.") from exc
            if not (math.isfinite(x) and math.isfinite(y)):
                raise VectorError(f"Point {i} cannot be transformed to the raster CRS (outside the projection's area).")
        out.append(_geo_to_pixel(inv, float(x), float(y)))
    return out


def _mem_raster(width: int, height: int, gt: Sequence[float], srs_wkt: str = ""):
    gdal, _, _ = _gdal()
    ds = gdal.GetDriverByName("MEM").Create("", width, height, 1, gdal.GDT_Byte)
    ds.SetGeoTransform(tuple(float(v) for v in gt))
    if srs_wkt:
        ds.SetProjection(srs_wkt)
    return ds


def _burn(geoms: list, width: int, height: int, gt: Sequence[float], all_touched: bool) -> np.ndarray:
    """Boolean mask of pixels touched by the given (raster-CRS) geometries."""
    gdal, ogr, _ = _gdal()
    mask_ds = _mem_raster(width, height, gt)
    mem = ogr.GetDriverByName("Memory").CreateDataSource("")
    lyr = mem.CreateLayer("burn", geom_type=ogr.wkbUnknown)
    for g in geoms:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetGeometry(g)
        lyr.CreateFeature(f)
    options = ["ALL_TOUCHED=TRUE"] if all_touched else []
    # Geometries are already in the raster CRS; GDAL's "no spatial reference" warning is noise here.
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        gdal.RasterizeLayer(mask_ds, [1], lyr, burn_values=[1], options=options)
    finally:
        gdal.PopErrorHandler()
    return mask_ds.GetRasterBand(1).ReadAsArray().astype(bool)


def _burn_ids(geoms: list[tuple[int, object]], width: int, height: int, gt: Sequence[float],
              all_touched: bool) -> np.ndarray:
    """int32 raster of feature ids (-1 = none; overlaps: the later feature wins)."""
    gdal, ogr, _ = _gdal()
    ds = gdal.GetDriverByName("MEM").Create("", width, height, 1, gdal.GDT_Int32)
    ds.SetGeoTransform(tuple(float(v) for v in gt))
    ds.GetRasterBand(1).Fill(-1)
    mem = ogr.GetDriverByName("Memory").CreateDataSource("")
    lyr = mem.CreateLayer("ids", geom_type=ogr.wkbUnknown)
    lyr.CreateField(ogr.FieldDefn("fid_value", ogr.OFTInteger64))
    for fid, g in geoms:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetGeometry(g)
        f.SetField("fid_value", int(fid))
        lyr.CreateFeature(f)
    options = ["ATTRIBUTE=fid_value"] + (["ALL_TOUCHED=TRUE"] if all_touched else [])
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        gdal.RasterizeLayer(ds, [1], lyr, options=options)
    finally:
        gdal.PopErrorHandler()
    return ds.GetRasterBand(1).ReadAsArray().astype(np.int32)


def _point_parts(geom) -> list[tuple[float, float]]:
    _, ogr, _ = _gdal()
    flat = ogr.GT_Flatten(geom.GetGeometryType())
    if flat == ogr.wkbPoint:
        return [(geom.GetX(), geom.GetY())]
    return [(geom.GetGeometryRef(i).GetX(), geom.GetGeometryRef(i).GetY()) for i in range(geom.GetGeometryCount())]


def _list_ids(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:MAX_LISTED_IDS])
    return shown + (f" and {len(ids) - MAX_LISTED_IDS} more" if len(ids) > MAX_LISTED_IDS else "")


def rasterize_label_raster(vector_path: str, width: int, height: int, geotransform: Sequence[float],
                           crs_wkt: Optional[str], field: Optional[str] = None, layer: Optional[str | int] = None,
                           all_touched: bool = True) -> LabelRaster:
    """Rasterise labelled points/lines/polygons onto a grid; see rasterize_labels. Returns a full report."""
    gdal, ogr, osr = _gdal()
    ds, lyr = _open_layer(vector_path, layer)
    src_srs = lyr.GetSpatialRef()
    dst_srs = srs_from_text(crs_wkt, "raster CRS") if crs_wkt else None
    notes: list[str] = []
    if src_srs is not None:
        src_srs = src_srs.Clone()
        src_srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    elif dst_srs is not None:
        notes.append(f"'{os.path.basename(vector_path)}' has no CRS; its coordinates are taken to be in the raster CRS.")
    ct = _transform(src_srs, dst_srs, f"'{vector_path}'")
    field_idx = _field_index(lyr, field, vector_path) if field else None
    single_name = lyr.GetName() or "label"

    extent = _raster_extent(width, height, geotransform)
    inv = _inverse_gt(geotransform)
    per_value_geoms: dict = {}  # class value -> polygon/line geometries in raster CRS
    point_votes: dict[tuple[int, int], dict] = {}  # pixel -> {class value: count}
    surface_points: list[tuple[object, tuple[float, float], int]] = []
    id_geoms: list[tuple[int, object]] = []  # (fid, polygon/line geometry) for the feature-id raster
    point_fids: dict[tuple[int, int], dict] = {}  # pixel -> {class value: fid}
    empty_ids, outside_ids, nogeom_ids, bad_transform_ids = [], [], [], []
    n_features = 0
    lyr.ResetReading()
    for feat in lyr:
        n_features += 1
        fid = feat.GetFID()
        value = _class_value(feat, field_idx) if field_idx is not None else 0
        if value is None:
            empty_ids.append(fid)
            continue
        geom = feat.GetGeometryRef()
        if geom is None or geom.IsEmpty():
            nogeom_ids.append(fid)
            continue
        geom = geom.Clone()
        if ct is not None:
            try:
                err = geom.Transform(ct)
            except Exception:
                err = 1
            env = geom.GetEnvelope() if not err else None
            if err or env is None or not all(math.isfinite(v) for v in env):
                bad_transform_ids.append(fid)
                continue
        if not _geometry_bounds_ok(geom.GetEnvelope(), extent):
            outside_ids.append(fid)
            continue
        flat = ogr.GT_Flatten(geom.GetGeometryType())
        if flat in (ogr.wkbPoint, ogr.wkbMultiPoint):
            inside = False
            for x, y in _point_parts(geom):
                pix = _pixel_of(*_geo_to_pixel(inv, x, y), width, height)
                if pix is None:
                    continue
                inside = True
                votes = point_votes.setdefault(pix, {})
                votes[value] = votes.get(value, 0) + 1
                point_fids.setdefault(pix, {})[value] = fid
            if not inside:
                outside_ids.append(fid)
            continue
        per_value_geoms.setdefault(value, []).append(geom)
        id_geoms.append((fid, geom))
        if flat in (ogr.wkbPolygon, ogr.wkbMultiPolygon, ogr.wkbCurvePolygon, ogr.wkbMultiSurface):
            try:
                pos = geom.PointOnSurface()
            except Exception:
                pos = geom.Centroid()
            if pos is not None and not pos.IsEmpty():
                surface_points.append((value, (pos.GetX(), pos.GetY()), fid))

    if empty_ids:
        raise VectorError(f"{len(empty_ids)} feature(s) of '{vector_path}' have an empty class in field '{field}' "
                          f"(feature ids {_list_ids(empty_ids)}). Fill in their class or delete them.")
    if bad_transform_ids:
        raise VectorError(f"{len(bad_transform_ids)} feature(s) of '{vector_path}' cannot be transformed to the raster "
                          f"CRS (feature ids {_list_ids(bad_transform_ids)}). Check the layer's CRS.")
    if nogeom_ids:
        notes.append(f"{len(nogeom_ids)} feature(s) without geometry were skipped (ids {_list_ids(nogeom_ids)}).")
    used = n_features - len(outside_ids) - len(nogeom_ids)
    if n_features == 0:
        raise VectorError(f"'{vector_path}' has no features.")
    if used <= 0:
        raise VectorError(f"All {n_features} feature(s) of '{vector_path}' lie outside the raster extent "
                          f"{tuple(round(v, 3) for v in extent)}. Check that the labels and the raster cover "
                          "the same area (and the layer's CRS).")
    if outside_ids:
        notes.append(f"{len(outside_ids)} of {n_features} feature(s) lie outside the raster and were ignored "
                     f"(ids {_list_ids(outside_ids)}).")

    values = set(per_value_geoms) | {v for votes in point_votes.values() for v in votes}
    if field_idx is None:
        class_names = [single_name]
        index_of = {0: 0}
    else:
        class_names = _sorted_class_names(values)
        index_of = {v: class_names.index(_name(v)) for v in values}

    labels = np.full((height, width), -1, dtype=np.int32)
    feature_ids = (_burn_ids(id_geoms, width, height, geotransform, all_touched) if id_geoms
                   else np.full((height, width), -1, dtype=np.int32))
    n_conflicts = 0
    if per_value_geoms:
        hits = np.zeros((height, width), dtype=np.int32)
        first = np.full((height, width), -1, dtype=np.int32)
        for value, geoms in per_value_geoms.items():
            mask = _burn(geoms, width, height, geotransform, all_touched)
            first[mask & (hits == 0)] = index_of[value]
            hits += mask
        labels[hits == 1] = first[hits == 1]
        conflict = hits > 1
        n_conflicts = int(conflict.sum())
        if n_conflicts:
            # Mixed border pixels: keep them only when exactly one class covers the pixel centre.
            centre_hits = np.zeros((height, width), dtype=np.int32)
            centre_first = np.full((height, width), -1, dtype=np.int32)
            for value, geoms in per_value_geoms.items():
                mask = _burn(geoms, width, height, geotransform, False) & conflict
                centre_first[mask & (centre_hits == 0)] = index_of[value]
                centre_hits += mask
            keep = conflict & (centre_hits == 1)
            labels[keep] = centre_first[keep]
            notes.append(f"{n_conflicts} pixel(s) are touched by features of different classes; "
                         f"{int(keep.sum())} kept by their centre, the rest left unlabelled.")
        # A polygon smaller than a pixel may cover no pixel centre (all_touched=False): it still gets
        # the pixel holding a point inside it, so every labelled polygon gives at least one sample.
        for value, (x, y), fid in surface_points:
            pix = _pixel_of(*_geo_to_pixel(inv, x, y), width, height)
            if pix is not None and labels[pix] < 0 and hits[pix] <= 1:
                labels[pix] = index_of[value]
                feature_ids[pix] = fid

    # Points are explicit samples: they override polygon labels; a pixel with points of several
    # classes takes the majority, and a tie leaves it unlabelled.
    tie_pixels = 0
    for pix, votes in point_votes.items():
        ranked = sorted(votes.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            labels[pix] = -1
            tie_pixels += 1
        else:
            labels[pix] = index_of[ranked[0][0]]
            feature_ids[pix] = point_fids[pix][ranked[0][0]]
    if tie_pixels:
        notes.append(f"{tie_pixels} pixel(s) hold points of different classes in equal numbers and were left unlabelled.")

    feature_ids[labels < 0] = -1
    result = LabelRaster(labels=labels, class_names=class_names, n_features=n_features, n_outside=len(outside_ids),
                         outside_ids=outside_ids, n_conflict_pixels=n_conflicts + tie_pixels, warnings=notes,
                         feature_ids=feature_ids)
    missing = [name for name, count in result.counts().items() if count == 0]
    if missing:
        result.warnings.append(f"Class(es) {', '.join(missing)} received no labelled pixel (conflicts with other classes).")
    del ds
    return result


def rasterize_labels(vector_path: str, width: int, height: int, geotransform: Sequence[float],
                     crs_wkt: Optional[str], field: Optional[str] = None, layer: Optional[str | int] = None,
                     all_touched: bool = True) -> tuple[np.ndarray, list[str]]:
    """Labels int32 [height, width] (-1 = unlabelled) and sorted class names from a point/polygon file.

    Features are reprojected to the raster CRS; points burn the pixel containing them; polygons burn
    every pixel they touch (all_touched) and at least the pixel holding a point inside them. Without
    `field` every feature is one class named after the layer. Problems that lose data (features
    outside the raster, conflicting pixels) are issued as warnings; unusable input raises VectorError.
    """
    result = rasterize_label_raster(vector_path, width, height, geotransform, crs_wkt, field, layer, all_touched)
    for note in result.warnings:
        warnings.warn(note, stacklevel=2)
    return result.labels, result.class_names


def _parse_colour(value) -> Optional[str]:
    """'#rrggbb', 'rrggbb', '#rrggbbaa', 'r,g,b[,a]' -> '#rrggbb'; None when unreadable."""
    if value is None:
        return None
    text = str(value).strip()
    m = re.fullmatch(r"#?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?", text)
    if m:
        return "#" + m.group(1).lower()
    parts = [p for p in re.split(r"[,; ]+", text) if p]
    if len(parts) in (3, 4):
        try:
            rgb = [int(float(p)) for p in parts[:3]]
        except ValueError:
            return None
        if all(0 <= v <= 255 for v in rgb):
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return None


def read_class_colours(vector_path: str, field: Optional[str], layer: Optional[str | int] = None) -> Optional[dict[str, str]]:
    """{class name: '#rrggbb'} from a colour field ('color', 'colour', ...) when the layer has one; else None."""
    if not field:
        return None
    ds, lyr = _open_layer(vector_path, layer)
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    colour_idx = next((names.index(n) for n in names if n.lower() in COLOUR_FIELDS), None)
    if colour_idx is None:
        return None
    class_idx = _field_index(lyr, field, vector_path)
    colours: dict[str, str] = {}
    lyr.ResetReading()
    for feat in lyr:
        value = _class_value(feat, class_idx)
        if value is None or _name(value) in colours:
            continue
        colour = _parse_colour(feat.GetField(colour_idx)) if feat.IsFieldSetAndNotNull(colour_idx) else None
        if colour:
            colours[_name(value)] = colour
    del ds
    return colours or None
