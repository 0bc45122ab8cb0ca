"""Run inside the real QGIS desktop (qgis --code): drive the installed plugin, dump a JSON result.

Used by test_qgis_desktop.py; reads its settings from the file named by SMARTIES_CHECK_CFG.
"""
import json
import os

import qgis.utils
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface

cfg = json.load(open(os.environ["SMARTIES_CHECK_CFG"]))
plugin = qgis.utils.plugins.get("smarties_qgis")
res = {"active": "smarties_qgis" in qgis.utils.active_plugins,
       "module": getattr(__import__("eo_plugin"), "__file__", "")}


def raster_menu_entries():
    out = []
    for action in iface.rasterMenu().actions():
        if action.menu() is not None:
            out += [(action.text(), sub.objectName()) for sub in action.menu().actions()]
    return out


res["menu_before"] = [e for e in raster_menu_entries() if e[1] == "smartiesRunAction"]
res["provider_before"] = QgsApplication.processingRegistry().providerById("smarties") is not None
layer = iface.addRasterLayer(cfg["raster"], "scene")
plugin.action.trigger()
dialog = plugin.dialog
dialog.layer_combo.setLayer(layer)
dialog.set_product("pca")
dialog.window_spin.setValue(64)
dialog.output_file.setFilePath(cfg["output"])
res["title"] = dialog.windowTitle()
res["deps_box"] = bool(plugin._deps_box is not None and plugin._deps_box.isVisible())
res["deps_text"] = plugin._deps_box.text() if plugin._deps_box is not None else ""
res["run_enabled"] = dialog.run_button.isEnabled()
res["validation"] = dialog.validation_label.text()
# The dialog as an analyst meets it (issue 20): screen fit, result grid, model list, legend, French.
from qgis.PyQt.QtWidgets import QScrollArea  # noqa: E402

QApplication.processEvents()
screen = QApplication.primaryScreen().availableGeometry()
res["screen"] = [screen.width(), screen.height()]
res["dialog_size"] = [dialog.width(), dialog.height()]
dialog.advanced_box.setCollapsed(False)
QApplication.processEvents()
hint = dialog.minimumSizeHint()
res["min_size_advanced"] = [hint.width(), hint.height()]
dialog.advanced_box.setCollapsed(True)
res["scroll_areas"] = len(dialog.findChildren(QScrollArea))
res["grid_text"] = dialog.grid_label.text()
res["models"] = [dialog.model_combo.itemText(i) for i in range(dialog.model_combo.count())]
res["synthetic_default"] = __import__("eo_plugin.dialogs.models", fromlist=["x"]).default_is_synthetic_only()
res["legend"] = {k: v.text() for k, v in dialog.legend.labels.items()}
res["input_size"] = [layer.width(), layer.height()]
res["stages"] = []


def finish():
    root = QgsProject.instance().layerTreeRoot()
    res["groups"] = [g.name() for g in root.children() if g.nodeType() == 0]
    res["layers"] = [n.layer().source() for n in root.findLayers()]
    res["renderers"] = [n.layer().renderer().type() for n in root.findLayers()]
    res["output_size"] = [[n.layer().width(), n.layer().height()] for n in root.findLayers()
                          if n.layer().source() == cfg["output"]]
    res["status_after"] = dialog.status_label.text()
    qgis.utils.unloadPlugin("smarties_qgis")
    res["menu_after"] = [e for e in raster_menu_entries() if e[1] == "smartiesRunAction"]
    res["provider_after"] = QgsApplication.processingRegistry().providerById("smarties") is not None
    with open(cfg["result"], "w") as fh:
        json.dump(res, fh)
    QApplication.instance().quit()


def poll(count=[0]):
    count[0] += 1
    text = dialog.status_label.text()
    if text and (not res["stages"] or res["stages"][-1] != text):
        res["stages"].append(text)
    if plugin.tasks:
        res["run_enabled_while_running"] = dialog.run_button.isEnabled()
        res["reason_while_running"] = dialog.validation_label.text()
    if plugin.tasks and count[0] < 1200:  # at most ~2 min
        QTimer.singleShot(100, poll)
    else:
        finish()


if res["run_enabled"]:
    dialog.run_button.click()
    dialog.run_button.click()  # a double click starts one run, not two
    res["started"] = len(plugin.tasks)
    QTimer.singleShot(100, poll)
else:
    QTimer.singleShot(100, finish)
