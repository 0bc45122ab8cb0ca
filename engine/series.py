"""Time series of rasters: the acquisition date of each file (metadata, file name, or given) and date order.

A series is several rasters of one place; each keeps its own sensor and band table. Dates come,
in this order, from what the user typed, the file's metadata (ACQUISITION_DATE, DATE_ACQUIRED,
SENSING_TIME, TIFFTAG_DATETIME, ...) or its name (2019-06-13, 20190613, a Landsat scene id with
year + day of year, a Sentinel-2 product name).
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from typing import Optional, Sequence

from .errors import JobError

# Metadata items that hold an acquisition date, most specific first.
DATE_KEYS = ("ACQUISITION_DATE", "DATE_ACQUIRED", "SENSING_DATE", "SENSING_TIME", "DATATAKE_SENSING_START",
             "PRODUCT_START_TIME", "ACQUISITIONDATE", "DATE", "TIFFTAG_DATETIME")
_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.:/]?(0[1-9]|1[0-2])[-_.:/]?(0[1-9]|[12]\d|3[01])(?!\d)")
# Landsat scene ids: LT50350322008110PAC01 (sensor, path, row, year, day of year).
_LANDSAT_ID = re.compile(r"L[CEOTM]\d{7}((?:19|20)\d\d)(\d{3})")


@dataclass(frozen=True)
class SeriesDate:
    """The date of one raster of a series and where it was read."""

    date: _dt.date
    source: str  # user | metadata:<KEY> | file-name

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @property
    def day_of_year(self) -> int:
        return self.date.timetuple().tm_yday


def parse_date(text: str) -> Optional[_dt.date]:
    """The first calendar date in `text` (ISO, compact YYYYMMDD, TIFF 'YYYY:MM:DD', Landsat scene id)."""
    text = str(text or "")
    for m in _ISO.finditer(text):
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    m = _LANDSAT_ID.search(text)
    if m:
        year, doy = int(m.group(1)), int(m.group(2))
        if 1 <= doy <= 366:
            return _dt.date(year, 1, 1) + _dt.timedelta(days=doy - 1)
    return None


def _metadata(path: str) -> dict:
    from osgeo import gdal

    try:
        ds = gdal.Open(path)
    except RuntimeError:
        return {}
    if ds is None:
        return {}
    meta = dict(ds.GetMetadata() or {})
    if ds.RasterCount:
        for k, v in (ds.GetRasterBand(1).GetMetadata() or {}).items():
            meta.setdefault(k, v)
    return meta


def read_date(path: str, given: Optional[str] = None) -> Optional[SeriesDate]:
    """The acquisition date of `path`: `given` (when not empty), else metadata, else the file name."""
    if given:
        d = parse_date(given)
        if d is None:
            raise JobError(f"Date '{given}' given for {path} is not a date; write it as YYYY-MM-DD.")
        return SeriesDate(d, "user")
    meta = {k.upper(): v for k, v in _metadata(path).items()}
    for key in DATE_KEYS:
        if key in meta:
            d = parse_date(meta[key])
            if d is not None:
                return SeriesDate(d, f"metadata:{key}")
    d = parse_date(os.path.basename(path))
    return SeriesDate(d, "file-name") if d is not None else None


def series_dates(paths: Sequence[str], given: Sequence[Optional[str]] = ()) -> list[SeriesDate]:
    """One date per raster of a series; JobError naming the file when one cannot be found."""
    given = list(given) + [None] * (len(paths) - len(given))
    out = []
    for path, g in zip(paths, given):
        d = read_date(path, g)
        if d is None:
            raise JobError(f"Cannot tell the date of {path}: no date in its metadata or file name. "
                           "Give it (--dates YYYY-MM-DD,... on the command line, or in the dates list).")
        out.append(d)
    return out


def date_order(dates: Sequence[SeriesDate]) -> list[int]:
    """Indices of `dates` from earliest to latest (stable for equal dates)."""
    return sorted(range(len(dates)), key=lambda i: dates[i].date)


def season_of(day_of_year: int) -> int:
    """Quarter of the year a day falls in: 0 Dec-Feb, 1 Mar-May, 2 Jun-Aug, 3 Sep-Nov (meteorological)."""
    month = (_dt.date(2001, 1, 1) + _dt.timedelta(days=min(max(day_of_year, 1), 365) - 1)).month
    return (month % 12) // 3


SEASON_NAMES = ("winter (Dec-Feb)", "spring (Mar-May)", "summer (Jun-Aug)", "autumn (Sep-Nov)")


def parse_mask(text: Optional[str]) -> Optional[tuple[str, list[float]]]:
    """A series mask 'fmask=2,3,4' -> ('fmask', [2.0, 3.0, 4.0]) (band name or 1-based number, then the
    pixel values to leave out); None/'' -> None; JobError for anything else."""
    if not text or not str(text).strip():
        return None
    band, sep, values = str(text).partition("=")
    try:
        vals = [float(v) for v in values.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        vals = []
    if not sep or not band.strip() or not vals:
        raise JobError(f"Mask '{text}' is not BAND=VALUES; write e.g. fmask=2,3,4 (the band named fmask, pixels "
                       "2, 3 or 4 left out) or 4=2,3,4 (band number 4).")
    return band.strip(), vals
