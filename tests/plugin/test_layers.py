"""Result styling: each product gets its renderer, ramp and stretch; layers land in a named group."""
from __future__ import annotations

import numpy as np
import pytest
from qgis.core import (
    QgsMultiBandColorRenderer,
    QgsPalettedRasterRenderer,
    QgsProject,
    QgsRasterLayer,
    QgsSingleBandPseudoColorRenderer,
)

from eo_plugin.layers import add_result_layers, category_names, style_layer
from plugin_helpers import make_geotiff

pytestmark = pytest.mark.qgis


def _layer(path):
    layer = QgsRasterLayer(str(path), path.stem, "gdal")
    assert layer.isValid()
    return layer


def test_pca_and_embeddings_are_rgb_with_cumulative_cut(tmp_path):
    rng = np.random.default_rng(0)
    data = rng.normal(size=(5, 40, 40)).astype("float32")
    data[0] *= 10  # band 1 wide: its 2-98 % stretch must differ from band 2's
    for product in ("pca", "embeddings"):
        layer = style_layer(_layer(make_geotiff(tmp_path / f"{product}.tif", data)), product)
        r = layer.renderer()
        assert isinstance(r, QgsMultiBandColorRenderer)
        assert (r.redBand(), r.greenBand(), r.blueBand()) == (1, 2, 3)
        red = r.redContrastEnhancement()
        lo, hi = np.percentile(data[0], [2, 98])
        assert red.minimumValue() == pytest.approx(lo, abs=0.5)
        assert red.maximumValue() == pytest.approx(hi, abs=0.5)
        assert red.minimumValue() > data[0].min() and red.maximumValue() < data[0].max()


def test_clusters_paletted_with_category_names_and_colours(tmp_path):
    data = np.repeat(np.arange(3, dtype="uint8"), 300).reshape(30, 30)
    path = make_geotiff(tmp_path / "clusters.tif", data, category_names=["water", "forest", "urban"],
                        colors=[(0, 0, 255), (0, 128, 0), (200, 0, 0)])
    assert category_names(str(path)) == {0: "water", 1: "forest", 2: "urban"}
    layer = style_layer(_layer(path), "clusters")
    r = layer.renderer()
    assert isinstance(r, QgsPalettedRasterRenderer)
    classes = {int(c.value): (c.label, c.color.name()) for c in r.classes()}
    assert classes == {0: ("water", "#0000ff"), 1: ("forest", "#008000"), 2: ("urban", "#c80000")}


def test_clusters_without_names_get_numbered_distinct_colours(tmp_path):
    data = np.repeat(np.arange(4, dtype="uint8"), 100).reshape(20, 20)
    layer = style_layer(_layer(make_geotiff(tmp_path / "c.tif", data)), "clusters")
    r = layer.renderer()
    assert isinstance(r, QgsPalettedRasterRenderer)
    assert [c.label for c in r.classes()] == ["Cluster 0", "Cluster 1", "Cluster 2", "Cluster 3"]
    assert len({c.color.name() for c in r.classes()}) == 4


def test_classes_named_from_categories(tmp_path):
    data = np.repeat(np.array([1, 2], dtype="uint8"), 200).reshape(20, 20)
    path = make_geotiff(tmp_path / "classes.tif", data, category_names=["", "crop", "grass"])
    layer = style_layer(_layer(path), "classify")
    r = layer.renderer()
    assert isinstance(r, QgsPalettedRasterRenderer)
    assert {int(c.value): c.label for c in r.classes()} == {1: "crop", 2: "grass"}


def test_similarity_and_change_pseudocolour_stretch(tmp_path):
    rng = np.random.default_rng(1)
    sim = np.clip(rng.normal(0.6, 0.2, size=(50, 50)), -1, 1).astype("float32")
    sim_layer = style_layer(_layer(make_geotiff(tmp_path / "sim.tif", sim)), "similarity")
    r = sim_layer.renderer()
    assert isinstance(r, QgsSingleBandPseudoColorRenderer)
    lo, hi = np.percentile(sim, [2, 98])
    assert r.classificationMin() == pytest.approx(lo, abs=0.05)
    assert r.classificationMax() == pytest.approx(hi, abs=0.05)
    assert -1.0 <= r.classificationMin() < r.classificationMax() <= 1.0

    change = rng.gamma(2.0, 0.1, size=(50, 50)).astype("float32")
    change_layer = style_layer(_layer(make_geotiff(tmp_path / "change.tif", change)), "change")
    r = change_layer.renderer()
    assert isinstance(r, QgsSingleBandPseudoColorRenderer)
    assert r.classificationMin() == 0.0
    assert r.classificationMax() == pytest.approx(np.percentile(change, 98), rel=0.05)
    items = r.shader().rasterShaderFunction().colorRampItemList()
    assert len(items) >= 2 and items[0].color.name() != items[-1].color.name()


def test_add_result_layers_makes_a_group_with_styled_layers(tmp_path, qgis_new_project):
    rng = np.random.default_rng(2)
    pca = make_geotiff(tmp_path / "run_pca.tif", rng.normal(size=(3, 20, 20)).astype("float32"))
    clusters = make_geotiff(tmp_path / "run_clusters.tif", np.repeat(np.arange(2, dtype="uint8"), 200).reshape(20, 20))
    report = tmp_path / "run.json"
    report.write_text("{}")
    layers = add_result_layers({"pca": str(pca), "clusters": str(clusters), "report": str(report)}, "My run")
    assert [lyr.source() for lyr in layers] == [str(clusters), str(pca)]
    group = QgsProject.instance().layerTreeRoot().findGroup("My run")
    assert group is not None
    assert [n.layer() for n in group.findLayers()] == layers
    assert isinstance(layers[0].renderer(), QgsPalettedRasterRenderer)
    assert isinstance(layers[1].renderer(), QgsMultiBandColorRenderer)


def test_full_colour_table_without_names_lists_only_present_values(tmp_path):
    data = np.array([[3, 3, 7], [7, 7, 3]], dtype="uint8")
    colours = [(i, 255 - i, (7 * i) % 256) for i in range(256)]
    layer = _layer(make_geotiff(tmp_path / "ct.tif", data, colors=colours))
    r = style_layer(layer, "clusters").renderer()
    assert [(int(c.value), c.label) for c in r.classes()] == [(3, "Cluster 3"), (7, "Cluster 7")]
    assert r.classes()[1].color.name() == "#07f831"
