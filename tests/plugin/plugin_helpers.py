"""Small GeoTIFF/vector builders shared by the plugin tests (no ../shared data needed)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()

UTM32N = 32632


def make_geotiff(path: Path, data: np.ndarray, descriptions: Sequence[str] = (), epsg: int = UTM32N,
                 origin=(500000.0, 5000000.0), pixel: float = 10.0, nodata: Optional[float] = None,
                 category_names: Sequence[str] = (), colors: Sequence[tuple] = ()) -> Path:
    """Write data [bands, rows, cols] as a GeoTIFF with optional descriptions/categories/colours."""
    data = np.asarray(data)
    if data.ndim == 2:
        data = data[None]
    dtype = {np.dtype("uint8"): gdal.GDT_Byte, np.dtype("uint16"): gdal.GDT_UInt16,
             np.dtype("int16"): gdal.GDT_Int16, np.dtype("int32"): gdal.GDT_Int32,
             np.dtype("float32"): gdal.GDT_Float32}[data.dtype]
    ds = gdal.GetDriverByName("GTiff").Create(str(path), data.shape[2], data.shape[1], data.shape[0], dtype)
    ds.SetGeoTransform((origin[0], pixel, 0, origin[1], 0, -pixel))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    for i in range(data.shape[0]):
        band = ds.GetRasterBand(i + 1)
        band.WriteArray(data[i])
        if i < len(descriptions):
            band.SetDescription(descriptions[i])
        if nodata is not None:
            band.SetNoDataValue(nodata)
    if category_names:
        ds.GetRasterBand(1).SetCategoryNames(list(category_names))
    if colors:
        ct = gdal.ColorTable()
        for value, rgb in enumerate(colors):
            ct.SetColorEntry(value, tuple(rgb) + (255,))
        ds.GetRasterBand(1).SetColorTable(ct)
    ds.FlushCache()
    band = ds = None  # a live band handle would keep the file (and its .aux.xml) unwritten
    return Path(path)


def s2_like(path: Path, size: int = 48, seed: int = 0) -> Path:
    """A 4-band uint16 reflectance raster described as Sentinel-2 B02 B03 B04 B08."""
    rng = np.random.default_rng(seed)
    data = (rng.random((4, size, size)) * 3000 + 500).astype("uint16")
    return make_geotiff(path, data, descriptions=("B02", "B03", "B04", "B08"))


def make_points(path: Path, points: Sequence[tuple[float, float, str]], epsg: int = UTM32N,
                field: str = "class") -> Path:
    """A GeoPackage of points with a string class field."""
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    lyr = ds.CreateLayer("points", srs, ogr.wkbPoint)
    lyr.CreateField(ogr.FieldDefn(field, ogr.OFTString))
    for x, y, label in points:
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat.SetField(field, label)
        geom = ogr.Geometry(ogr.wkbPoint)
        geom.AddPoint_2D(float(x), float(y))
        feat.SetGeometry(geom)
        lyr.CreateFeature(feat)
    ds = None
    return Path(path)
