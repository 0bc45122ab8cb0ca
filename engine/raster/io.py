"""Reading rasters with GDAL: windowed reads, stacking single-band files, nodata, extent, resolution."""
from __future__ import annotations

import functools
import os
import threading
import uuid
from typing import Optional, Sequence

import numpy as np
from osgeo import gdal, gdal_array

from ..errors import RasterError
from .grid import (PixelWindow, extent_to_window, srs_from_user, srs_from_wkt, sub_geotransform,
                   transform_extent)

gdal.UseExceptions()


def _open(path: str) -> gdal.Dataset:
    """gdal.Open with a RasterError that names the file and says what to check."""
    if not path.startswith("/vsi") and not os.path.exists(path):
        raise RasterError(f"Raster file not found: {path}. Check the path.")
    try:
        ds = gdal.Open(path, gdal.GA_ReadOnly)
    except RuntimeError as exc:
        raise RasterError(f"GDAL cannot open {path}: {exc}. Is it a raster format GDAL reads "
                          "(GeoTIFF, JP2, VRT, ...)?") from None
    if ds is None or ds.RasterCount == 0:
        raise RasterError(f"{path} has no raster bands GDAL can read.")
    return ds


class RasterSource:
    """The area of one raster (or a stack of single-band files) that a job processes.

    All coordinates given to `read` are relative to the processed area (after extent clipping
    and optional resampling). Thread-safe: each thread gets its own GDAL handle.
    """

    def __init__(self, paths: str | Sequence[str], band_indices: Optional[Sequence[int]] = None,
                 extent: Optional[tuple[float, float, float, float]] = None,
                 extent_crs: Optional[str] = None, resolution: Optional[float] = None):
        self.paths = [paths] if isinstance(paths, str) else [str(p) for p in paths]
        if not self.paths:
            raise RasterError("No input raster given.")
        self.label = self.paths[0] if len(self.paths) == 1 else f"{self.paths[0]} (+{len(self.paths) - 1} files)"
        self._vsimem: list[str] = []
        self._local = threading.local()
        self.resolution = resolution
        self.extent = extent
        self.extent_crs = extent_crs

        base_ds = [_open(p) for p in self.paths]
        self._covers: Optional[list] = None  # per stacked band: (xmin, ymin, xmax, ymax) its file covers
        if len(self.paths) == 1:
            self._name = self.paths[0]
        else:
            self._name = self._stack(base_ds)
        ds = _open(self._name)
        self.total_bands = ds.RasterCount
        full_w, full_h = ds.RasterXSize, ds.RasterYSize
        self.crs_wkt = ds.GetProjection() or ""
        gt = ds.GetGeoTransform(can_return_null=True)
        self.has_georef = gt is not None
        gt = tuple(gt) if gt is not None else (0.0, 1.0, 0.0, 0.0, 0.0, -1.0)

        if extent is not None:
            ext = extent
            if extent_crs:
                dst = srs_from_wkt(self.crs_wkt)
                if dst is None:
                    raise RasterError(f"{self.label} has no coordinate system, so an extent in "
                                      f"{extent_crs} cannot be placed on it.")
                ext = transform_extent(extent, srs_from_user(extent_crs, "extent CRS"), dst)
            win = extent_to_window(ext, gt, full_w, full_h, self.label)
        else:
            win = PixelWindow(0, 0, full_w, full_h)

        if resolution:
            if resolution <= 0:
                raise RasterError(f"Resolution {resolution} must be a positive ground distance.")
            self._name = self._warp(ds, gt, win, float(resolution))
            ds = _open(self._name)
            win = PixelWindow(0, 0, ds.RasterXSize, ds.RasterYSize)
            gt = tuple(ds.GetGeoTransform())
            self.window = win
            self.geotransform = gt
        else:
            self.window = win
            self.geotransform = sub_geotransform(gt, win.xoff, win.yoff)
        self.width, self.height = win.width, win.height

        if band_indices is None:
            band_indices = list(range(self.total_bands))
        for i in band_indices:
            if not 0 <= i < self.total_bands:
                raise RasterError(f"Band {i + 1} does not exist in {self.label} "
                                  f"({self.total_bands} bands).")
        self.band_indices = list(band_indices)
        bands = [ds.GetRasterBand(i + 1) for i in self.band_indices]
        self.descriptions = [b.GetDescription() or "" for b in bands]
        self.nodata = [b.GetNoDataValue() for b in bands]
        self.scales = [(b.GetScale() or 1.0, b.GetOffset() or 0.0) for b in bands]
        # unit conversions installed by engine.raster.units: a non-linear step after scale/offset
        self.transforms: list = [None] * len(bands)
        self.conversions: list[str] = [""] * len(bands)
        self.dtypes = [gdal.GetDataTypeName(b.DataType) for b in bands]
        self._mask_flags = [b.GetMaskFlags() for b in bands]
        self.block_size = tuple(bands[0].GetBlockSize()) if bands else (256, 256)
        self._read_gt = tuple(ds.GetGeoTransform()) if self.has_georef else None  # of the dataset read
        self._coverage = [self._covers[i] for i in self.band_indices] if self._covers else None
        self._local.ds = ds

    # -- construction helpers -------------------------------------------------------------------
    def _new_vsimem(self, suffix: str) -> str:
        name = f"/vsimem/smarties_{uuid.uuid4().hex}{suffix}"
        self._vsimem.append(name)
        return name

    def _stack(self, datasets: list) -> str:
        """Stack files band after band on the finest grid (e.g. Sentinel-2 10/20/60 m bands)."""
        crs = [d.GetProjection() for d in datasets]
        for p, c in zip(self.paths[1:], crs[1:]):
            a, b = srs_from_wkt(crs[0]), srs_from_wkt(c)
            if (a is None) != (b is None) or (a is not None and not a.IsSame(b)):
                raise RasterError(f"{p} is not in the same coordinate system as {self.paths[0]}; "
                                  "reproject the files to one CRS before stacking them.")
        sources = []
        for p, d in zip(self.paths, datasets):
            # BuildVRT(separate) takes only the first band of each file; expand multi-band files.
            if d.RasterCount == 1:
                sources.append(os.path.abspath(p))
            else:
                for b in range(1, d.RasterCount + 1):
                    one = self._new_vsimem(".vrt")
                    gdal.Translate(one, d, format="VRT", bandList=[b])
                    sources.append(one)
        name = self._new_vsimem(".vrt")
        try:
            vrt = gdal.BuildVRT(name, sources, separate=True, resolution="highest")
        except RuntimeError as exc:
            raise RasterError(f"Cannot stack {', '.join(self.paths)}: {exc}") from None
        if vrt is None:
            raise RasterError(f"Cannot stack {', '.join(self.paths)} onto one grid.")
        # Keep each file's band description on the stacked band so identification still works.
        k = 0
        for d in datasets:
            for b in range(1, d.RasterCount + 1):
                k += 1
                desc = d.GetRasterBand(b).GetDescription()
                if desc:
                    vrt.GetRasterBand(k).SetDescription(desc)
                nd = d.GetRasterBand(b).GetNoDataValue()
                if nd is not None:
                    vrt.GetRasterBand(k).SetNoDataValue(nd)
        vrt.FlushCache()
        vrt = None
        self._covers = self._coverages(datasets, name)
        return name

    @staticmethod
    def _coverages(datasets: list, name: str) -> Optional[list]:
        """Each stacked band's file extent when the files do not all cover the stack (else None).

        Outside its file a band has no data: those pixels are nodata, never zeros taken as values.
        """
        stack = gdal.Open(name)
        sgt = stack.GetGeoTransform()
        full = (sgt[0], sgt[3] + stack.RasterYSize * sgt[5], sgt[0] + stack.RasterXSize * sgt[1], sgt[3])
        covers = []
        for d in datasets:
            gt = d.GetGeoTransform()
            ext = (gt[0], gt[3] + d.RasterYSize * gt[5], gt[0] + d.RasterXSize * gt[1], gt[3])
            covers.extend([ext] * d.RasterCount)
        tol = 1e-6 * max(abs(sgt[1]), abs(sgt[5]))
        if all(c[0] <= full[0] + tol and c[1] <= full[1] + tol and c[2] >= full[2] - tol and c[3] >= full[3] - tol
               for c in covers):
            return None
        return covers

    def _warp(self, ds, gt, win: PixelWindow, res: float) -> str:
        """Warped VRT at ground resolution `res` over the clipped window (no data is copied)."""
        xmin = gt[0] + win.xoff * gt[1]
        ymax = gt[3] + win.yoff * gt[5]
        xmax = xmin + win.width * gt[1]
        ymin = ymax + win.height * gt[5]
        coarser = res > abs(gt[1])
        name = self._new_vsimem(".vrt")
        try:
            gdal.Warp(name, ds, format="VRT", xRes=res, yRes=res,
                      outputBounds=(min(xmin, xmax), min(ymin, ymax), max(xmin, xmax), max(ymin, ymax)),
                      resampleAlg="average" if coarser else "bilinear")
        except RuntimeError as exc:
            raise RasterError(f"Cannot resample {self.label} to {res} units per pixel: {exc}") from None
        return name

    # -- reading --------------------------------------------------------------------------------
    def _ds(self) -> gdal.Dataset:
        ds = getattr(self._local, "ds", None)
        if ds is None:
            ds = _open(self._name)
            self._local.ds = ds
        return ds

    @property
    def count(self) -> int:
        """Number of bands read (after skipped bands are left out)."""
        return len(self.band_indices)

    def read(self, xoff: int, yoff: int, width: int, height: int,
             buf_size: Optional[tuple[int, int]] = None) -> tuple[np.ndarray, np.ndarray]:
        """Read a window as float32 [C, h, w] (scale/offset applied) and a validity mask [h, w].

        A pixel is valid when every used band holds data there (not nodata, not masked, finite).
        `buf_size` (w, h) reads a decimated version (nearest neighbour).
        """
        stored, valid = self.read_stored(xoff, yoff, width, height, buf_size)
        data = stored.astype(np.float32)
        for k, (scale, offset) in enumerate(self.scales):
            if scale != 1.0 or offset != 0.0:
                data[k] *= np.float32(scale)
                data[k] += np.float32(offset)
        if any(self.transforms):
            for k, fn in enumerate(self.transforms):
                if fn is not None:
                    fn(data[k])
            valid &= np.isfinite(data).all(axis=0)
        return data, valid

    def set_conversion(self, k: int, scale: float, offset: float, transform=None, description: str = "") -> None:
        """Read band k as transform(value * scale + offset) (engine.raster.units)."""
        self.scales[k] = (float(scale), float(offset))
        self.transforms[k] = transform
        self.conversions[k] = description

    @functools.cached_property
    def stored_dtype(self) -> np.dtype:
        """The numpy type `read_stored` returns: the bands' own type (a common one when they differ)."""
        types = {gdal_array.GDALTypeCodeToNumericTypeCode(gdal.GetDataTypeByName(t)) for t in self.dtypes}
        types.discard(None)
        return np.result_type(*types) if types else np.dtype(np.float32)

    def read_stored(self, xoff: int, yoff: int, width: int, height: int,
                    buf_size: Optional[tuple[int, int]] = None) -> tuple[np.ndarray, np.ndarray]:
        """Read a window in the file's own type [C, h, w] (no scale/offset) and its validity mask [h, w].

        The GPU path uploads this (uint16 is half the bytes of float32) and converts on the device;
        `read` is this plus the conversion to float32 with each band's scale/offset.
        """
        win = PixelWindow(xoff, yoff, width, height)
        if xoff < 0 or yoff < 0 or width <= 0 or height <= 0 or xoff + width > self.width \
                or yoff + height > self.height:
            raise RasterError(f"Window {win} is outside {self.label} ({self.width}x{self.height} px).")
        bw, bh = buf_size or (width, height)
        gx, gy = xoff + self.window.xoff, yoff + self.window.yoff
        try:
            ds = self._ds()
            data = np.empty((self.count, bh, bw), dtype=self.stored_dtype)
            valid = np.ones((bh, bw), dtype=bool)
            dataset_mask_done = False
            for k, i in enumerate(self.band_indices):
                band = ds.GetRasterBand(i + 1)
                arr = band.ReadAsArray(gx, gy, width, height, buf_xsize=bw, buf_ysize=bh)
                if arr is None:
                    raise RuntimeError("GDAL returned no data")
                flags = self._mask_flags[k]
                nd = self.nodata[k]
                if flags & gdal.GMF_ALL_VALID:
                    pass
                elif flags == gdal.GMF_NODATA and nd is not None:
                    # Compare in the file's own type so that e.g. -9999 in int16 matches exactly.
                    valid &= ~((arr == nd) | (np.isnan(arr) if np.isnan(nd) else False))
                elif not (flags & gdal.GMF_PER_DATASET and dataset_mask_done):
                    m = band.GetMaskBand().ReadAsArray(gx, gy, width, height, buf_xsize=bw, buf_ysize=bh)
                    valid &= m > 0
                    dataset_mask_done = bool(flags & gdal.GMF_PER_DATASET)
                data[k] = arr
            if self._coverage is not None and self._read_gt is not None:
                valid &= self._covered(gx, gy, width, height, bw, bh)
            if data.dtype.kind in "fc":
                valid &= np.isfinite(data).all(axis=0)
        except RasterError:
            raise
        except (RuntimeError, ValueError, MemoryError) as exc:
            raise RasterError(f"Reading {self.label} failed at window {win}: {exc}") from None
        return data, valid

    def _covered(self, gx: int, gy: int, width: int, height: int, bw: int, bh: int) -> np.ndarray:
        """[bh, bw] True where every read band's own file covers the pixel centre."""
        gt = self._read_gt
        xs = gt[0] + (gx + (np.arange(bw) + 0.5) * width / bw) * gt[1]
        ys = gt[3] + (gy + (np.arange(bh) + 0.5) * height / bh) * gt[5]
        inside = np.ones((bh, bw), bool)
        for xmin, ymin, xmax, ymax in self._coverage:
            inside &= ((ys >= ymin) & (ys <= ymax))[:, None] & ((xs >= xmin) & (xs <= xmax))[None, :]
        return inside

    @property
    def may_have_nodata(self) -> bool:
        """False only when every read band is declared all-valid and integer (no NaN possible)."""
        return self._coverage is not None or not all(
            (f & gdal.GMF_ALL_VALID) and not t.startswith(("Float", "CFloat")) for f, t in zip(self._mask_flags, self.dtypes))

    def source_args(self) -> dict:
        """Arguments that reopen the same processed area: RasterSource(**source.source_args())."""
        return {"paths": list(self.paths), "band_indices": list(self.band_indices), "extent": self.extent,
                "extent_crs": self.extent_crs, "resolution": self.resolution}

    def identity(self) -> dict:
        """What the processed data depends on (for caching statistics)."""
        files = []
        for p in self.paths:
            st = os.stat(p) if os.path.exists(p) else None
            files.append([os.path.abspath(p), st.st_size if st else 0, st.st_mtime if st else 0])
        return {"files": files, "bands": self.band_indices, "window": list(self.window.__dict__.values()),
                "resolution": self.resolution, "scales": self.scales, "conversions": self.conversions}

    def close(self) -> None:
        """Release handles and in-memory VRTs."""
        self._local = threading.local()
        for name in self._vsimem:
            try:
                gdal.Unlink(name)
            except RuntimeError:
                pass
        self._vsimem = []

    def __enter__(self) -> "RasterSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
