"""Screenshots for the docs: the dialog filled for a real Sentinel-2 file, and a map with results.

Writes docs/screenshots/dialog.png and map.png (committed). Slow; skipped without ../shared.
"""
from __future__ import annotations

import glob
import os
from pathlib import Path

import pytest
from qgis.core import QgsMapRendererParallelJob, QgsMapSettings, QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter

from eo_plugin.demo_project import _true_colour
from eo_plugin.dialogs.main_dialog import SmartiesDialog
from eo_plugin.layers import add_result_layers

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
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
    dlg.resize(980, 1250)
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.wait(200)  # let the layouts settle before grabbing
    assert len(dlg.band_table.rows()) == 12
    image = dlg.grab().toImage()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert image.save(str(SHOTS / "dialog.png"))
    assert image.width() >= 900 and image.height() >= 1000


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
    pytest.importorskip("torch")
    src = realdata_dir / "naip_rgbn_change" / "m_4709963_se_14_1_20150926.tif"
    if not src.is_file():
        pytest.skip("NAIP sample missing")
    from engine import jobs
    from engine.bands import identify_bands
    from engine.jobs import JobSpec, RasterInput

    idents = identify_bands([str(src)], sensor="naip")
    bands = [f"{i.band.sensor}:{i.band.name}" if i.band is not None else "skip" for i in idents]
    job = JobSpec(product="clusters", inputs=[RasterInput(paths=[str(src)], bands=bands)],
                  output=str(tmp_path / "tile_clusters.tif"), model=_model(reference_dir), k=6,
                  window=224, overlap=0.25, batch_size=4, device="cpu", at_input_resolution=True)
    result = jobs.run(job)
    layers = add_result_layers(result.outputs, "Clusters")
    assert layers
    inp = QgsRasterLayer(str(src), "input", "gdal")
    _true_colour(inp)
    extent = inp.extent()
    left, right = _render([inp], extent), _render(layers, extent)
    out = QImage(left.width() * 2 + 10, left.height() + 34, QImage.Format_ARGB32)
    out.fill(QColor("white"))
    p = QPainter(out)
    p.drawImage(0, 34, left)
    p.drawImage(left.width() + 10, 34, right)
    p.setPen(QColor("black"))
    p.setFont(QFont("Sans", 12))
    p.drawText(8, 22, "NAIP 2015, 5 m (true colour)")
    p.drawText(left.width() + 18, 22, "SMARTIES clusters (k=6)")
    p.end()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert out.save(str(SHOTS / "map.png"))
    # The cluster map is not blank: several colours drawn.
    colours = {right.pixel(x, y) for x in range(0, right.width(), 20) for y in range(0, right.height(), 20)}
    assert len(colours) >= 3
