"""Styling and adding result rasters: pure functions usable without iface (tests, demo project)."""
from __future__ import annotations

import os
from typing import Iterable, Optional

from qgis.core import (
    QgsColorRampShader,
    QgsContrastEnhancement,
    QgsGradientColorRamp,
    QgsLayerTreeGroup,
    QgsMultiBandColorRenderer,
    QgsPalettedRasterRenderer,
    QgsProject,
    QgsRasterLayer,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
    QgsStyle,
)
from qgis.PyQt.QtGui import QColor

from .i18n import tr, tr_noop

# Product key (JobResult.outputs) -> how it is drawn. "classify" is an alias of "classes".
PRODUCT_TITLES = {
    "embeddings": tr_noop("Embeddings"),
    "pca": tr_noop("PCA (RGB of components 1-3)"),
    "clusters": tr_noop("Clusters"),
    "similarity": tr_noop("Similarity"),
    "change": tr_noop("Change"),
    "classes": tr_noop("Classes"),
    "confidence": tr_noop("Classification confidence"),
}
# Order in the layer tree, top first: the categorical/scalar maps above the RGB composites.
DRAW_ORDER = ("classes", "confidence", "change", "similarity", "clusters", "pca", "embeddings")

# Colour-blind-safe qualitative palette (Okabe-Ito + Tableau extras) for categories without colours.
QUALITATIVE = (
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999",
    "#8c564b", "#17becf", "#bcbd22", "#1f3a93", "#ff9896", "#98df8a", "#c5b0d5", "#7f7f7f",
)
# Fallbacks when the QGIS style database is unavailable (e.g. a bare headless QgsApplication).
_RAMP_STOPS = {
    "Viridis": ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"),
    "Magma": ("#000004", "#51127c", "#b73779", "#fc8961", "#fcfdbf"),
}


def product_title(product: str) -> str:
    """Translated display name of a product key."""
    return tr(PRODUCT_TITLES.get(canonical_product(product), product))


def canonical_product(product: str) -> str:
    """Map aliases ('classify', 'classification') to the output key used for styling."""
    return {"classify": "classes", "classification": "classes", "seasonal_embeddings": "embeddings",
            "change_profile": "change"}.get(product, product)


def color_ramp(name: str):
    """A QGIS colour ramp by name from the default style, or a built-in gradient fallback."""
    ramp = None
    try:
        ramp = QgsStyle.defaultStyle().colorRamp(name)
    except Exception:  # noqa: BLE001 - style db missing in some headless setups
        ramp = None
    if ramp is None:
        stops = _RAMP_STOPS.get(name, _RAMP_STOPS["Viridis"])
        from qgis.core import QgsGradientStop

        ramp = QgsGradientColorRamp(QColor(stops[0]), QColor(stops[-1]))
        n = len(stops) - 1
        ramp.setStops([QgsGradientStop(i / n, QColor(c)) for i, c in enumerate(stops[1:-1], start=1)])
    return ramp


def _cut(layer: QgsRasterLayer, band: int, low: float, high: float) -> tuple[float, float]:
    lo, hi = layer.dataProvider().cumulativeCut(band, low, high)
    if not (hi > lo):  # constant band: widen so the renderer still draws something
        lo, hi = lo - 0.5, hi + 0.5
    return float(lo), float(hi)


def _pseudocolor(layer: QgsRasterLayer, ramp_name: str, vmin: float, vmax: float) -> None:
    shader_fn = QgsColorRampShader(vmin, vmax)
    shader_fn.setSourceColorRamp(color_ramp(ramp_name))
    shader_fn.setColorRampType(QgsColorRampShader.Interpolated)
    shader_fn.classifyColorRamp(5, -1)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(shader_fn)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(vmin)
    renderer.setClassificationMax(vmax)
    layer.setRenderer(renderer)


def _rgb(layer: QgsRasterLayer, low: float = 0.02, high: float = 0.98) -> None:
    count = layer.bandCount()
    bands = [1, min(2, count), min(3, count)]
    renderer = QgsMultiBandColorRenderer(layer.dataProvider(), *bands)
    setters = (renderer.setRedContrastEnhancement, renderer.setGreenContrastEnhancement,
               renderer.setBlueContrastEnhancement)
    for band, setter in zip(bands, setters):
        lo, hi = _cut(layer, band, low, high)
        ce = QgsContrastEnhancement(layer.dataProvider().dataType(band))
        ce.setContrastEnhancementAlgorithm(QgsContrastEnhancement.StretchToMinimumMaximum)
        ce.setMinimumValue(lo)
        ce.setMaximumValue(hi)
        setter(ce)
    layer.setRenderer(renderer)


def category_names(path: str, band: int = 1) -> dict[int, str]:
    """Class value -> name from the raster's GDAL category names (empty when it has none)."""
    try:
        from osgeo import gdal

        ds = gdal.Open(path)
        if ds is None:
            return {}
        # GDAL 3.6 GeoTIFF loads .aux.xml category names lazily: GetCategoryNames() right after
        # Open() returns None, while gdal.Info() forces the PAM load and lists them.
        info = gdal.Info(ds, format="json")
        names = (info.get("bands") or [{}])[band - 1].get("categories") or []
    except Exception:  # noqa: BLE001 - a missing GDAL or odd file only costs the legend names
        return {}
    return {i: n for i, n in enumerate(names) if n}


def _category_label(name: Optional[str]) -> Optional[str]:
    """A category name the engine wrote in English ('cluster 3') in the user's language."""
    import re

    m = re.fullmatch(r"cluster (\d+)", name or "")
    return tr("cluster {0}").format(m.group(1)) if m else name


def _paletted(layer: QgsRasterLayer, default_label: str) -> None:
    provider = layer.dataProvider()
    names = category_names(layer.source())
    table_colours = {}
    table = provider.colorTable(1)
    if table:
        table_colours = {int(c.value): c.color for c in QgsPalettedRasterRenderer.colorTableToClassData(table)}
    if names:
        values = sorted(names)
    else:
        # GDAL colour tables usually cover 0..255: list only the values actually in the raster.
        values = sorted(int(c.value) for c in QgsPalettedRasterRenderer.classDataFromRaster(provider, 1))[:256]
    nodata = int(provider.sourceNoDataValue(1)) if provider.sourceHasNoDataValue(1) else None
    classes = []
    for i, value in enumerate(v for v in values if v != nodata):
        colour = table_colours.get(value) or QColor(QUALITATIVE[i % len(QUALITATIVE)])
        label = _category_label(names.get(value)) or f"{default_label} {value}"
        classes.append(QgsPalettedRasterRenderer.Class(value, colour, label))
    layer.setRenderer(QgsPalettedRasterRenderer(provider, 1, classes))


def style_layer(layer: QgsRasterLayer, product: str) -> QgsRasterLayer:
    """Apply the default look of a product to a result layer and return it."""
    product = canonical_product(product)
    if not layer.isValid():
        return layer
    if product in ("pca", "embeddings"):
        _rgb(layer)
    elif product == "clusters":
        _paletted(layer, tr("Cluster"))
    elif product == "classes":
        _paletted(layer, tr("Class"))
    elif product == "similarity":
        lo, hi = _cut(layer, 1, 0.02, 0.98)
        # Cosine similarity lives in [-1, 1]; stretch within it so near-identical scenes still show.
        _pseudocolor(layer, "Viridis", max(lo, -1.0), min(hi, 1.0) if hi > max(lo, -1.0) else 1.0)
    elif product == "change":
        _, p98 = _cut(layer, 1, 0.0, 0.98)
        _pseudocolor(layer, "Magma", 0.0, p98 if p98 > 0 else 1.0)
    elif product == "confidence":
        _pseudocolor(layer, "Viridis", 0.0, 1.0)
    else:
        layer.setRenderer(layer.renderer())  # keep QGIS's default for unknown products
    layer.triggerRepaint()
    return layer


def ordered_outputs(outputs: dict[str, str]) -> list[tuple[str, str]]:
    """(product, path) pairs in layer-tree order (top first); unknown products last."""
    known = [(p, outputs[p]) for p in DRAW_ORDER if p in outputs]
    rest = [(p, v) for p, v in outputs.items() if p not in DRAW_ORDER]
    return known + rest


def add_result_layers(outputs: dict[str, str], group_name: str,
                      project: Optional[QgsProject] = None,
                      parent: Optional[QgsLayerTreeGroup] = None) -> list[QgsRasterLayer]:
    """Add each output file as a styled raster layer in a new group at the top of the layer tree."""
    project = project or QgsProject.instance()
    root = parent or project.layerTreeRoot()
    group = root.insertGroup(0, group_name)
    layers = []
    for product, path in ordered_outputs(outputs):
        if not path or not os.path.exists(path) or not str(path).lower().endswith((".tif", ".tiff", ".vrt")):
            continue  # companions (JSON reports, heads) are not map layers
        base = os.path.splitext(os.path.basename(path))[0]
        layer = QgsRasterLayer(path, f"{product_title(product)} — {base}", "gdal")
        if not layer.isValid():
            continue
        style_layer(layer, product)
        project.addMapLayer(layer, False)
        group.addLayer(layer)
        layers.append(layer)
    return layers


def layer_paths(layers: Iterable[QgsRasterLayer]) -> list[str]:
    """File paths behind layers (for logs and tests)."""
    return [lyr.source() for lyr in layers]
