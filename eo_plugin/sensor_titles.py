"""Sensor preset titles as tr_noop strings, so the dialog shows them in the user's language.

Kept equal to the "title" of each engine/sensors/*.json (a test checks it); a preset whose title
changed is shown in English until this list follows.
"""
from __future__ import annotations

from .i18n import tr_noop

SENSOR_TITLES = {
    "hls_l30": tr_noop("HLS L30 v2.0 (Landsat 8/9 OLI + TIRS: B01-B07, B09, B10, B11)"),
    "hls_s30": tr_noop("HLS S30 v2.0 (Sentinel-2 MSI, 13 bands)"),
    "landsat5": tr_noop("Landsat 4/5 TM (B1-B7)"),
    "landsat7": tr_noop("Landsat 7 ETM+ (B1-B7; no panchromatic B8)"),
    "landsat8": tr_noop("Landsat 8/9 OLI + TIRS (B1-B7, B9, B10, B11; no panchromatic B8)"),
    "naip": tr_noop("USDA NAIP 4-band aerial (red, green, blue, NIR; Leica ADS100)"),
    "planetscope4": tr_noop("PlanetScope 4-band, Dove Classic PS2 (blue, green, red, NIR)"),
    "planetscope8": tr_noop("PlanetScope SuperDove 8-band (PSB.SD)"),
    "rgb_vhr": tr_noop("Commercial sub-metre RGB (Maxar/fMoW-like; red, green, blue order)"),
    "sentinel1_grd": tr_noop("Sentinel-1 C-SAR GRD (VV, VH backscatter in dB)"),
    "sentinel2_l1c": tr_noop("Sentinel-2 MSI Level-1C (13 bands, TOA reflectance)"),
    "sentinel2_l2a": tr_noop("Sentinel-2 MSI Level-2A (12 bands, surface reflectance)"),
}
