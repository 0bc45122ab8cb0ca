"""The bundled demo scene: a deterministic synthetic Sentinel-2 L2A (and Sentinel-1) image."""
from __future__ import annotations

from pathlib import Path

from .simulate import render, write_geotiff
from .synthetic import make_scene

SAMPLE_SEED = 2026
SAMPLE_SIZE = 448
SAMPLE_DOY = 190
SAMPLE_EPSG = 32633  # WGS 84 / UTM zone 33N (central Europe)
SAMPLE_ORIGIN = (499980.0, 5100000.0)


def write_samples(folder: str | Path, with_s1: bool = True, with_labels: bool = False) -> list[str]:
    """Write sample_s2_l2a.tif (12 bands, uint16 x10000, nodata 0) and sample_s1_grd.tif (VV/VH dB)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    scene = make_scene(SAMPLE_SEED, SAMPLE_SIZE, doy=SAMPLE_DOY, cloud_cover=0.04)
    out = [write_geotiff(render(scene, "sentinel2_l2a"), folder / "sample_s2_l2a.tif", epsg=SAMPLE_EPSG,
                         origin=SAMPLE_ORIGIN,
                         labels_path=str(folder / "sample_labels.tif") if with_labels else None)]
    if with_s1:
        out.append(write_geotiff(render(scene, "sentinel1_grd"), folder / "sample_s1_grd.tif",
                                 epsg=SAMPLE_EPSG, origin=SAMPLE_ORIGIN))
    return out
