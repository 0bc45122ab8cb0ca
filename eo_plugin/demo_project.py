"""Build a QGIS project from `python -m engine demo` outputs: `python -m eo_plugin.demo_project DIR`."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Optional

DEMO_FILE = "demo.json"
PROJECT_FILE = "demo.qgz"


def read_demo(folder: str) -> dict:
    """Read DIR/demo.json; paths inside are made absolute relative to DIR."""
    path = os.path.join(folder, DEMO_FILE)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path} not found: run `python -m engine demo --output {folder}` first.")
    with open(path, encoding="utf-8") as fh:
        demo = json.load(fh)

    def absolute(p: str) -> str:
        return p if os.path.isabs(p) else os.path.normpath(os.path.join(folder, p))

    demo["outputs"] = {k: absolute(v) for k, v in (demo.get("outputs") or {}).items() if v}
    if demo.get("input"):
        demo["input"] = absolute(demo["input"])
    return demo


def build_project(folder: str, project=None) -> str:
    """Add the demo input (true colour) and styled outputs to a project; write DIR/demo.qgz."""
    from qgis.core import QgsProject, QgsRasterLayer

    from .layers import add_result_layers

    demo = read_demo(folder)
    project = project or QgsProject.instance()
    project.clear()
    missing = [p for p in demo["outputs"].values() if not os.path.exists(p)]
    if missing:
        raise FileNotFoundError(f"Demo outputs missing: {', '.join(missing)}; run the demo again.")
    layers = add_result_layers(demo["outputs"], "SMARTIES demo", project)
    src = demo.get("input")
    if src and os.path.exists(src):
        layer = QgsRasterLayer(src, "Input: " + os.path.basename(src), "gdal")
        if layer.isValid():
            _true_colour(layer)
            project.addMapLayer(layer, False)
            project.layerTreeRoot().addLayer(layer)  # below the results group
            if not layers:
                layers = [layer]
    if layers:
        project.setCrs(layers[0].crs())
        # Only the top result visible at first, so opening the project shows one clear map.
        root = project.layerTreeRoot()
        for node in root.findLayers()[1:]:
            node.setItemVisibilityChecked(False)
    out = os.path.join(folder, PROJECT_FILE)
    if not project.write(out):
        raise OSError(f"Could not write {out}: {project.error()}")
    return out


def _true_colour(layer) -> None:
    """Show an input raster as natural colour when its bands are identified (else bands 1-2-3)."""
    from qgis.core import QgsContrastEnhancement, QgsMultiBandColorRenderer

    rgb = _rgb_bands(layer.source()) or [1, min(2, layer.bandCount()), min(3, layer.bandCount())]
    renderer = QgsMultiBandColorRenderer(layer.dataProvider(), *rgb)
    provider = layer.dataProvider()
    for band, setter in zip(rgb, (renderer.setRedContrastEnhancement, renderer.setGreenContrastEnhancement,
                                  renderer.setBlueContrastEnhancement)):
        lo, hi = provider.cumulativeCut(band, 0.02, 0.98)
        ce = QgsContrastEnhancement(provider.dataType(band))
        ce.setContrastEnhancementAlgorithm(QgsContrastEnhancement.StretchToMinimumMaximum)
        ce.setMinimumValue(lo)
        ce.setMaximumValue(hi if hi > lo else lo + 1)
        setter(ce)
    layer.setRenderer(renderer)


def _rgb_bands(path: str) -> Optional[list[int]]:
    """Band numbers closest to red (665), green (560) and blue (490 nm), from engine.bands."""
    try:
        from engine.bands import identify_bands

        idents = identify_bands([path])
    except Exception:  # noqa: BLE001 - fall back to bands 1-2-3
        return None
    known = [(i.number, i.band.centre_nm) for i in idents if i.band is not None and i.band.max_nm < 3000]
    if len(known) < 3:
        return None
    pick = [min(known, key=lambda k: abs(k[1] - target))[0] for target in (665, 560, 490)]
    return pick if len(set(pick)) == 3 else None


def main(argv: Optional[list[str]] = None) -> int:
    """Command line entry: start a headless QgsApplication, build the project, print its path."""
    parser = argparse.ArgumentParser(prog="python -m eo_plugin.demo_project",
                                     description="Write DIR/demo.qgz from the outputs listed in DIR/demo.json.")
    parser.add_argument("folder", help="folder written by `python -m engine demo --output DIR`")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    try:
        print(build_project(os.path.abspath(args.folder)))
        return 0
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        app.exitQgis()


if __name__ == "__main__":
    sys.exit(main())
