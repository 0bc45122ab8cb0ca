"""Streamed GeoTIFF writing under a temporary name, renamed to the final name only on success."""
from __future__ import annotations

import json
import os
import uuid
from typing import Optional, Sequence

import numpy as np
from osgeo import gdal

from ..errors import RasterError

gdal.UseExceptions()

_GDAL_TYPES = {"uint8": gdal.GDT_Byte, "int16": gdal.GDT_Int16, "uint16": gdal.GDT_UInt16,
               "int32": gdal.GDT_Int32, "float32": gdal.GDT_Float32, "float64": gdal.GDT_Float64}
# GDAL 3.6 has no Float16 data type; a Float32 GTiff band with NBITS=16 is stored as IEEE half
# floats on disk (half the size) and read back as float32.
_SIDECARS = (".aux.xml", ".msk", ".ovr")


def temp_name(final: str) -> str:
    """A temporary file name next to `final` (same folder, so the rename is atomic)."""
    folder, base = os.path.split(os.path.abspath(final))
    stem, ext = os.path.splitext(base)
    return os.path.join(folder, f".{stem}.tmp-{uuid.uuid4().hex[:8]}{ext or '.tif'}")


def remove_quietly(path: str) -> None:
    """Delete a file and its GDAL sidecars if they exist."""
    for p in [path] + [path + s for s in _SIDECARS]:
        try:
            os.remove(p)
        except OSError:
            pass


def commit_file(tmp: str, final: str) -> None:
    """Move a finished temporary file (and sidecars) onto the final name."""
    remove_quietly(final)
    for s in ("",) + _SIDECARS:
        if os.path.exists(tmp + s):
            os.replace(tmp + s, final + s)


class GeoTiffWriter:
    """Tiled, compressed GeoTIFF written row by row as a run goes.

    Rows arrive top to bottom through `write_rows`; they are buffered until a whole row of tiles
    is complete and then written in one go, so GDAL never has to re-read or re-compress a tile and
    memory stays at one row of tiles. Use as a context manager: an exception (or cancel) deletes
    the temporary file; `commit()` renames it to the final name.
    """

    def __init__(self, path: str, width: int, height: int, bands: int, dtype: str,
                 geotransform: Sequence[float], crs_wkt: str, nodata: Optional[float] = None,
                 descriptions: Optional[Sequence[str]] = None, metadata: Optional[dict] = None,
                 block: int = 256, color_table: Optional[Sequence[tuple[int, int, int]]] = None,
                 category_names: Optional[Sequence[str]] = None):
        self.final = os.path.abspath(path)
        folder = os.path.dirname(self.final)
        if not os.path.isdir(folder):
            raise RasterError(f"Output folder {folder} does not exist; create it or choose another output path.")
        self.tmp = temp_name(self.final)
        self.width, self.height, self.bands = width, height, bands
        self.dtype = np.dtype(dtype)
        gtype = gdal.GDT_Float32 if self.dtype == np.float16 else _GDAL_TYPES[self.dtype.name]
        block = max(16, min(block, 512))
        self.block = block
        opts = ["TILED=YES", f"BLOCKXSIZE={block}", f"BLOCKYSIZE={block}", "COMPRESS=DEFLATE",
                "BIGTIFF=IF_SAFER", "INTERLEAVE=BAND" if bands > 3 else "INTERLEAVE=PIXEL"]
        if self.dtype.kind == "f":
            opts.append("PREDICTOR=3" if self.dtype != np.float16 else "PREDICTOR=1")
        if self.dtype == np.float16:
            opts.append("NBITS=16")  # GTiff stores Float32 bands as IEEE half floats on disk
        try:
            self.ds = gdal.GetDriverByName("GTiff").Create(self.tmp, width, height, bands, gtype, opts)
        except RuntimeError as exc:
            raise RasterError(f"Cannot create {self.final}: {exc}. Check that the folder is writable "
                              "and has free space.") from None
        self.ds.SetGeoTransform(tuple(geotransform))
        if crs_wkt:
            self.ds.SetProjection(crs_wkt)
        for i in range(bands):
            b = self.ds.GetRasterBand(i + 1)
            if nodata is not None:
                b.SetNoDataValue(float(nodata))
            if descriptions is not None and i < len(descriptions):
                b.SetDescription(descriptions[i])
        if color_table is not None:
            ct = gdal.ColorTable()
            for idx, rgb in enumerate(color_table):
                ct.SetColorEntry(idx, tuple(int(v) for v in rgb) + (255,))
            self.ds.GetRasterBand(1).SetRasterColorTable(ct)
            self.ds.GetRasterBand(1).SetRasterColorInterpretation(gdal.GCI_PaletteIndex)
        if category_names is not None:
            self.ds.GetRasterBand(1).SetRasterCategoryNames(list(category_names))
        if metadata:
            self.ds.SetMetadata({k: v if isinstance(v, str) else json.dumps(v) for k, v in metadata.items()})
        self._buf = np.empty((bands, 0, width), dtype=self.dtype)
        self._next_row = 0  # first row not yet handed to GDAL
        self.closed = False

    def write_rows(self, rows: np.ndarray, yoff: int) -> None:
        """Append rows [bands, n, width] starting at row `yoff` (must follow the previous rows)."""
        rows = np.asarray(rows)
        if rows.ndim == 2:
            rows = rows[None]
        buffered_to = self._next_row + self._buf.shape[1]
        if yoff != buffered_to:
            raise RasterError(f"Internal error: rows must be written in order (got {yoff}, expected {buffered_to}).")
        self._buf = np.concatenate([self._buf, rows.astype(self.dtype, copy=False)], axis=1)
        while self._buf.shape[1] >= self.block or (self._next_row + self._buf.shape[1] >= self.height
                                                   and self._buf.shape[1]):
            n = min(self.block, self._buf.shape[1])
            self._flush(self._buf[:, :n], self._next_row)
            self._buf = self._buf[:, n:]
            self._next_row += n

    def _flush(self, block_rows: np.ndarray, yoff: int) -> None:
        data = block_rows.astype(np.float32) if self.dtype == np.float16 else block_rows
        try:
            self.ds.WriteRaster(0, yoff, self.width, data.shape[1], np.ascontiguousarray(data).tobytes(),
                                buf_type=self.ds.GetRasterBand(1).DataType,
                                band_list=list(range(1, self.bands + 1)))
            self.ds.FlushCache()
        except RuntimeError as exc:
            raise RasterError(f"Writing {self.final} failed at rows {yoff}-{yoff + data.shape[1]}: {exc}. "
                              "Is the disk full?") from None

    def set_metadata(self, metadata: dict) -> None:
        """Add metadata items (non-strings stored as JSON)."""
        cur = self.ds.GetMetadata() or {}
        cur.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in metadata.items()})
        self.ds.SetMetadata(cur)

    def commit(self) -> str:
        """Finish the file and rename it to the final name; returns the final path."""
        if self._next_row + self._buf.shape[1] != self.height:
            self.abort()
            raise RasterError(f"Internal error: {self.final} got {self._next_row + self._buf.shape[1]} "
                              f"of {self.height} rows.")
        self.ds.FlushCache()
        self.ds = None
        self.closed = True
        commit_file(self.tmp, self.final)
        return self.final

    def abort(self) -> None:
        """Close and delete the temporary file (nothing is left under the output name)."""
        self.ds = None
        self.closed = True
        remove_quietly(self.tmp)

    def __enter__(self) -> "GeoTiffWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None or not self.closed:
            if not self.closed:
                self.abort()
