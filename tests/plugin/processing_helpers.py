"""Helpers shared by the Processing tests: tiny S2-like GeoTIFFs, label layers, raster checks."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from osgeo import gdal, ogr, osr

S2_L2A_BANDS = ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B11", "B12"]
ORIGIN = (500000.0, 5000000.0)
PIXEL = 10.0
EPSG = 32633


def write_s2_like(path: Path, size: int = 64, seed: int = 0, origin=ORIGIN, pixel: float = PIXEL) -> Path:
    """A 12-band uint16 Sentinel-2 L2A-like GeoTIFF with band descriptions and two land covers."""
    rng = np.random.default_rng(seed)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), size, size, len(S2_L2A_BANDS), gdal.GDT_UInt16)
    ds.SetGeoTransform((origin[0], pixel, 0.0, origin[1], 0.0, -pixel))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    ds.SetProjection(srs.ExportToWkt())
    # Left half "vegetation" (high NIR), right half "water" (low everything), plus noise: a real
    # structure so clusters/classes have something to find.
    yy, xx = np.mgrid[0:size, 0:size]
    veg = xx < size // 2
    for i, name in enumerate(S2_L2A_BANDS):
        nir_like = name in ("B05", "B06", "B07", "B08", "B8A", "B09")
        base = np.where(veg, 3500 if nir_like else 700, 300 if nir_like else 500)
        data = base + rng.normal(0, 60, (size, size)) + 5 * i
        band = ds.GetRasterBand(i + 1)
        band.WriteArray(np.clip(data, 1, 10000).astype(np.uint16))
        band.SetDescription(name)
    ds.FlushCache()
    ds = None
    return path


def write_points(path: Path, points: list[tuple[float, float, int]], epsg: int = EPSG, field: str = "class") -> Path:
    """A GeoPackage of labelled points (x, y, class)."""
    driver = ogr.GetDriverByName("GPKG")
    ds = driver.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    layer = ds.CreateLayer("labels", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn(field, ogr.OFTInteger))
    for x, y, value in points:
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField(field, value)
        geom = ogr.Geometry(ogr.wkbPoint)
        geom.AddPoint_2D(x, y)
        feature.SetGeometry(geom)
        layer.CreateFeature(feature)
    ds = None
    return path


def half_labels(size: int = 64, origin=ORIGIN, pixel: float = PIXEL) -> list[tuple[float, float, int]]:
    """Points in the left (class 1) and right (class 2) halves of write_s2_like's raster."""
    out = []
    for row in range(4, size, 12):
        for col in (6, 14, 22):
            out.append((origin[0] + (col + 0.5) * pixel, origin[1] - (row + 0.5) * pixel, 1))
        for col in (40, 50, 58):
            out.append((origin[0] + (col + 0.5) * pixel, origin[1] - (row + 0.5) * pixel, 2))
    return out


def raster_info(path) -> dict:
    """Geotransform, CRS (as EPSG when known), size, band count and all values of a raster."""
    ds = gdal.Open(str(path))
    assert ds is not None, f"{path} is not a readable raster"
    srs = osr.SpatialReference(wkt=ds.GetProjection())
    srs.AutoIdentifyEPSG()
    info = {
        "geotransform": ds.GetGeoTransform(),
        "epsg": srs.GetAuthorityCode(None),
        "size": (ds.RasterXSize, ds.RasterYSize),
        "bands": ds.RasterCount,
        "values": ds.ReadAsArray().astype(np.float64),
        "nodata": ds.GetRasterBand(1).GetNoDataValue(),
    }
    ds = None
    return info


def assert_token_grid(output, source, patch: int = 16) -> dict:
    """Output shares the source's CRS and extent, one pixel per `patch` x `patch` source pixels (the
    token grid ends where the source ends, so pixels at ragged sizes are a little smaller)."""
    out, src = raster_info(output), raster_info(source)
    assert out["epsg"] == src["epsg"]
    gt, sgt = out["geotransform"], src["geotransform"]
    assert gt[0] == np.float64(sgt[0]) and gt[3] == np.float64(sgt[3])
    for axis, g in ((0, 1), (1, 5)):
        assert out["size"][axis] == -(-src["size"][axis] // patch), (out, src)
        assert abs(gt[g] * out["size"][axis] - sgt[g] * src["size"][axis]) < 1e-6 * abs(sgt[g] * src["size"][axis])
    return out


def valid_values(info: dict) -> np.ndarray:
    """Values that are not the nodata value."""
    values = info["values"]
    if info["nodata"] is not None:
        values = values[values != info["nodata"]]
    return values


DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "resources" / "models" / "smarties-eo-tiny.safetensors"


def tiny_model(folder: Path) -> str:
    """'default' when the bundled model is there, else a tiny random encoder saved in `folder`.

    Raises ImportError while engine.model is missing (callers skip).
    """
    if DEFAULT_MODEL.is_file():
        return "default"
    import torch
    from engine.model.checkpoint import save_encoder
    from engine.model.encoder import SpectralEncoder
    from engine.model.vit import Architecture

    torch.manual_seed(0)
    model = SpectralEncoder(Architecture(embed_dim=32, depth=1, num_heads=2, img_size=64))
    return str(save_encoder(model, Path(folder) / "tiny.safetensors"))
