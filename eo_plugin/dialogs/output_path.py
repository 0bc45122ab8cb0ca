"""A default output file: in the project's folder when the project is saved, else a temporary folder."""
from __future__ import annotations

import os
import re
import tempfile
from typing import Optional

from qgis.core import QgsProject

PRODUCT_SUFFIX = {"classification": "classes"}


def output_folder(last_folder: Optional[str] = None) -> tuple[str, bool]:
    """(folder, is_temporary): the project's folder, else the last folder used, else a temp folder."""
    home = QgsProject.instance().homePath()
    if home and os.path.isdir(home) and os.access(home, os.W_OK):
        return home, False
    if last_folder and os.path.isdir(last_folder) and os.access(last_folder, os.W_OK):
        return last_folder, False
    folder = os.path.join(tempfile.gettempdir(), "smarties")
    os.makedirs(folder, exist_ok=True)
    return folder, True


def _safe(name: str) -> str:
    return re.sub(r"[^\w\-.]+", "_", name).strip("._") or "raster"


def default_output(layer_name: str, product: str, last_folder: Optional[str] = None) -> tuple[str, bool]:
    """(path, is_temporary) of a file name not yet taken: <folder>/<layer>_<product>[_N].tif."""
    folder, temporary = output_folder(last_folder)
    stem = f"{_safe(layer_name)}_{PRODUCT_SUFFIX.get(product, product)}"
    path = os.path.join(folder, stem + ".tif")
    n = 2
    while os.path.exists(path):
        path = os.path.join(folder, f"{stem}_{n}.tif")
        n += 1
    return path, temporary
