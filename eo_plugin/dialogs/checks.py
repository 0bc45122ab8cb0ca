"""Checks the dialog runs while the user fills it in, so problems show before Run, not after it."""
from __future__ import annotations

import json
import os
import struct
import zipfile
from functools import lru_cache
from typing import Optional, Sequence

from qgis.core import QgsCoordinateTransform, QgsProject, QgsRasterLayer, QgsRectangle, QgsUnitTypes

from ..i18n import tr

MIN_SIDE_PX = 32  # engine.products.output_grid.MIN_SIDE_PX (2 x 2 patches of 16 px)
PATCH = 16


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def output_problems(output: str, inputs: Sequence[str]) -> list[str]:
    """Problems with the output path: missing, relative, not .tif, a folder, an input, unwritable folder."""
    output = (output or "").strip()
    if not output:
        return [tr("Choose an output file (.tif).")]
    if not os.path.isabs(os.path.expanduser(output)):
        return [tr("The output '{0}' is a relative path: give the full path (use the … button).").format(output)]
    output = os.path.expanduser(output)
    if os.path.isdir(output):
        return [tr("The output {0} is a folder: add a file name ending in .tif.").format(output)]
    if not output.lower().endswith((".tif", ".tiff")):
        return [tr("The output file must end in .tif.")]
    folder = os.path.dirname(output)
    if not os.path.isdir(folder):
        return [tr("The output folder {0} does not exist.").format(folder)]
    if not os.access(folder, os.W_OK | os.X_OK):
        return [tr("You cannot write to the folder {0}: choose another output folder.").format(folder)]
    for path in inputs:
        if path and os.path.exists(output) and _same_file(output, path):
            return [tr("The output {0} is also an input raster: choose another output file.").format(output)]
        if path and os.path.normcase(os.path.abspath(path)) == os.path.normcase(os.path.abspath(output)):
            return [tr("The output {0} is also an input raster: choose another output file.").format(output)]
    return []


def processed_area(layer: QgsRasterLayer, extent: Optional[QgsRectangle], extent_crs=None):
    """(width px, height px, area rectangle in layer CRS) of what a run reads; width 0 when outside."""
    full = layer.extent()
    area = QgsRectangle(full)
    if extent is not None and not extent.isNull():
        rect = QgsRectangle(extent)
        if extent_crs is not None and extent_crs.isValid() and extent_crs != layer.crs():
            try:
                rect = QgsCoordinateTransform(extent_crs, layer.crs(), QgsProject.instance()).transformBoundingBox(rect)
            except Exception:  # noqa: BLE001 - a failed transform is reported as "outside"
                return 0, 0, QgsRectangle()
        area = full.intersect(rect)
        if area.isEmpty() or area.width() <= 0 or area.height() <= 0:
            return 0, 0, QgsRectangle()
    px, py = layer.rasterUnitsPerPixelX() or 1.0, layer.rasterUnitsPerPixelY() or 1.0
    return int(round(area.width() / px)), int(round(area.height() / py)), area


def area_problems(layer: QgsRasterLayer, extent: Optional[QgsRectangle], extent_crs=None) -> list[str]:
    """The extent misses the raster, or the processed area is too small for a map."""
    width, height, _ = processed_area(layer, extent, extent_crs)
    if width == 0 or height == 0:
        return [tr("The extent lies outside the raster '{0}': choose an extent that overlaps it, or untick "
                   "Extent to process the whole layer.").format(layer.name())]
    if width < MIN_SIDE_PX or height < MIN_SIDE_PX:
        return [tr("The area to process is {0} x {1} px; SMARTIES reads 16 x 16 px patches and needs at least "
                   "{2} x {2} px for a map. Choose a larger extent or raster.").format(width, height, MIN_SIDE_PX)]
    return []


def grid_difference(a: QgsRasterLayer, b: QgsRasterLayer) -> Optional[str]:
    """None when two layers share a grid; otherwise how they differ, in words."""
    if a.crs() != b.crs():
        return tr("their coordinate systems differ ({0} and {1})").format(a.crs().authid() or "?", b.crs().authid() or "?")
    if (a.width(), a.height()) != (b.width(), b.height()):
        return tr("their sizes differ ({0} x {1} and {2} x {3} px)").format(a.width(), a.height(), b.width(), b.height())
    ea, eb = a.extent(), b.extent()
    tol = 1e-6 * max(abs(a.rasterUnitsPerPixelX()), 1e-12) * 100
    if any(abs(x - y) > tol for x, y in ((ea.xMinimum(), eb.xMinimum()), (ea.yMaximum(), eb.yMaximum()),
                                          (ea.xMaximum(), eb.xMaximum()), (ea.yMinimum(), eb.yMinimum()))):
        return tr("their extents differ")
    return None


@lru_cache(maxsize=8)
def _device_available(device: str) -> Optional[bool]:
    try:
        import torch
    except ImportError:
        return None  # the missing-package message covers it
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            return False
        index = device.split(":", 1)[1] if ":" in device else "0"
        return not index.isdigit() or int(index) < torch.cuda.device_count()
    if device == "mps":
        return bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    return True


def device_problem(device: str) -> Optional[str]:
    """Why the chosen device cannot run here (None when it can or when 'auto'/'cpu')."""
    if not device or device in ("auto", "cpu"):
        return None
    if _device_available(device) is False:
        return tr("The device '{0}' is not available on this computer: choose auto or cpu in Advanced.").format(device)
    return None


def model_file_problem(path: str) -> Optional[str]:
    """A chosen model file that cannot be a model: missing, empty, or a damaged header."""
    if not path:
        return tr("Choose a model file or pick a listed model.")
    if not os.path.isfile(path):
        return tr("Model file {0} does not exist.").format(path)
    size = os.path.getsize(path)
    bad = tr("Model file {0} is damaged or incomplete (not a readable {1} file): download or export it again.")
    lower = path.lower()
    if size == 0:
        return bad.format(path, os.path.splitext(lower)[1] or "model")
    try:
        if lower.endswith(".safetensors"):
            with open(path, "rb") as fh:
                head = fh.read(8)
                (n,) = struct.unpack("<Q", head) if len(head) == 8 else (0,)
                if not 2 <= n <= min(size - 8, 100 << 20):
                    return bad.format(path, ".safetensors")
                header = json.loads(fh.read(n).decode("utf-8"))
            ends = [v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"]
            if not ends or 8 + n + max(ends) > size:
                return bad.format(path, ".safetensors")
        elif lower.endswith((".pt", ".pth")):
            if not zipfile.is_zipfile(path):
                with open(path, "rb") as fh:  # old torch.save format starts with a pickle protocol byte
                    if fh.read(1) != b"\x80":
                        return bad.format(path, lower[-4:].lstrip("."))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return bad.format(path, os.path.splitext(lower)[1])
    return None


def _num(value: float) -> str:
    return f"{abs(value):.6g}" if abs(value) >= 0.01 else f"{abs(value):.3g}"


def grid_text(width: int, height: int, layer: QgsRasterLayer, at_input_resolution: bool, window: int) -> str:
    """One plain sentence: the grid of the result, and a word when the area is smaller than a window."""
    tw, th = -(-width // PATCH), -(-height // PATCH)
    pixel = layer.rasterUnitsPerPixelX()
    units = QgsUnitTypes.toAbbreviatedString(layer.crs().mapUnits()) if layer.crs().isValid() else ""
    if at_input_resolution:
        text = tr("Result: {0} x {1} px at {2} {3} (input grid; {4} x {5} patches).").format(
            width, height, _num(pixel), units, tw, th)
    else:
        text = tr("Result: {0} x {1} px at {2} {3} (one per 16 x 16 px patch, ending at the input's edge).").format(
            tw, th, _num(pixel * width / tw), units)
    if width < window or height < window:
        text += " " + tr("Smaller than one {0} px window: seen once, edges mirrored.").format(window)
    return text
