"""Screenshots for the docs: the dialog filled for a real Sentinel-2 file, and a map with results.

Always renders both; writes docs/screenshots/dialog.png and map.png (committed) only when
SMARTIES_UPDATE_SCREENSHOTS=1, so a test run leaves the checkout clean. Slow; skipped without ../shared.
"""
from __future__ import annotations

import glob
import os
from pathlib import Path

import pytest
from qgis.core import QgsMapRendererParallelJob, QgsMapSettings, QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter

from eo_plugin.demo_project import _true_colour
from eo_plugin.dialogs.main_dialog import SmartiesDialog
from eo_plugin.layers import add_result_layers

ROOT = Path(__file__).resolve().parents[2]
DOCS_SHOTS = ROOT / "docs" / "screenshots"


def _shots(tmp_path: Path) -> Path:
    """Where to save: the docs folder on request, else the test's temporary folder."""
    return DOCS_SHOTS if os.environ.get("SMARTIES_UPDATE_SCREENSHOTS") == "1" else tmp_path
pytestmark = [pytest.mark.qgis, pytest.mark.slow]


def _model(reference_dir: Path) -> str:
    """The bundled default model when installed, else the small reference checkpoint."""
    try:
        from engine.model.registry import locate

        if locate("default"):
            return "default"
    except Exception:  # noqa: BLE001
        pass
    tiny = reference_dir / "smarties_tiny" / "weights.safetensors"
    if not tiny.is_file():
        pytest.skip("no model available for the map screenshot")
    return str(tiny)


def test_dialog_screenshot(qgis_iface, qgis_new_project, qtbot, realdata_dir, tmp_path):
    files = sorted(glob.glob(str(realdata_dir / "s2_l2a_bigearthnet" / "*.tif")))
    if not files:
        pytest.skip("no BigEarthNet S2 files")
    layer = QgsRasterLayer(files[0], Path(files[0]).stem, "gdal")
    QgsProject.instance().addMapLayer(layer)
    dlg = SmartiesDialog(qgis_iface)
    qtbot.addWidget(dlg)
    dlg.layer_combo.setLayer(layer)
    dlg.set_product("clusters")
    dlg.k_spin.setValue(6)
    dlg.output_file.setFilePath(str(Path.home() / "smarties" / "bigearthnet_clusters.tif"))
    os.makedirs(Path.home() / "smarties", exist_ok=True)
    dlg.band_table.set_wavelength(9, 5, "0.935 µm")  # B09 edited by hand -> user source + decision
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.wait(200)  # let the layouts settle (folded sections) before sizing
    # The whole dialog on a 1366 x 768 laptop screen: 768 less a task bar and the window title.
    dlg.resize(1366, 700)
    qtbot.wait(200)
    assert len(dlg.band_table.rows()) == 12
    assert dlg.minimumSizeHint().width() <= 1366 and dlg.minimumSizeHint().height() <= 700
    image = dlg.grab().toImage()
    shots = _shots(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    assert image.save(str(shots / "dialog.png"))
    assert (image.width(), image.height()) == (1366, 700)


def _render(layers, extent, size=560) -> QImage:
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(layers[0].crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(size, size))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


def test_map_screenshot(qgis_iface, qgis_new_project, realdata_dir, reference_dir, tmp_path):
    """Input, clusters, similarity to one point, and 2010->2015 change on NAIP, in one 2x2 PNG."""
    pytest.importorskip("torch")
    folder = realdata_dir / "naip_rgbn_change"
    before, after = folder / "m_4709963_se_14_1_20100629.tif", folder / "m_4709963_se_14_1_20150926.tif"
    if not (before.is_file() and after.is_file()):
        pytest.skip("NAIP samples missing")
    from engine import jobs
    from engine.jobs import JobSpec, RasterInput

    model = _model(reference_dir)
    bands = ["naip:red", "naip:green", "naip:blue", "naip:nir"]
    inp = QgsRasterLayer(str(after), "input", "gdal")
    _true_colour(inp)
    extent = inp.extent()
    point = (extent.xMinimum() + 0.3 * extent.width(), extent.yMinimum() + 0.55 * extent.height())

    def job(product, inputs, **kw):
        spec = JobSpec(product=product, inputs=[RasterInput(paths=[str(p)], bands=bands) for p in inputs],
                       output=str(tmp_path / f"{product}.tif"), model=model, window=224, overlap=0.25,
                       batch_size=4, device="cpu", **kw)
        return jobs.run(spec).outputs

    outputs = {}
    outputs.update(job("clusters", [after], k=6))
    outputs.update(job("similarity", [after], reference_points=[point], reference_crs=inp.crs().authid()))
    outputs.update(job("change", [before, after]))
    layers = {lyr.source(): lyr for lyr in add_result_layers(outputs, "Results")}
    panels = [("NAIP 2015, 5 m (true colour)", [inp]),
              ("Clusters (k=6)", [layers[outputs["clusters"]]]),
              ("Similarity to the red point", [layers[outputs["similarity"]]]),
              ("Change 2010 -> 2015", [layers[outputs["change"]]])]
    size, title_h, gap = 460, 30, 10
    out = QImage(2 * size + gap, 2 * (size + title_h), QImage.Format_ARGB32)
    out.fill(QColor("white"))
    p = QPainter(out)
    p.setFont(QFont("Sans", 12))
    images = []
    for i, (title, lyrs) in enumerate(panels):
        x, y = (i % 2) * (size + gap), (i // 2) * (size + title_h)
        image = _render(lyrs, extent, size)
        images.append(image)
        p.drawImage(x, y + title_h, image)
        p.setPen(QColor("black"))
        p.drawText(x + 6, y + 21, title)
        if i == 2:  # mark the reference point (square extent fitted into the square image)
            scale = size / max(extent.width(), extent.height())
            px = size / 2 + (point[0] - extent.center().x()) * scale
            py = size / 2 - (point[1] - extent.center().y()) * scale
            p.setPen(QColor("red"))
            p.setBrush(QColor("red"))
            p.drawEllipse(int(x + px) - 5, int(y + title_h + py) - 5, 10, 10)
    p.end()
    shots = _shots(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    assert out.save(str(shots / "map.png"))
    for image in images[1:]:  # result maps are not blank: several colours drawn
        colours = {image.pixel(x, y) for x in range(0, image.width(), 20) for y in range(0, image.height(), 20)}
        assert len(colours) >= 3
