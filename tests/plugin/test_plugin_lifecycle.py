"""classFactory / initGui / unload in real QGIS: menu, toolbar and provider appear and vanish."""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QMenu, QToolBar

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.qgis


@pytest.fixture
def raster_menu(qgis_iface, monkeypatch):
    """Give the stub iface a real Raster menu so menu entries can be seen appearing/vanishing."""
    menu_bar = qgis_iface.mainWindow().menuBar()
    raster = QMenu("Raster", menu_bar)
    menu_bar.addMenu(raster)
    submenus: dict[str, QMenu] = {}

    def add(title, action):
        sub = submenus.get(title) or raster.addMenu(title)
        submenus[title] = sub
        sub.addAction(action)

    def remove(title, action):
        sub = submenus.get(title)
        if sub is not None:
            sub.removeAction(action)
            if not sub.actions():
                raster.removeAction(sub.menuAction())
                del submenus[title]

    monkeypatch.setattr(qgis_iface, "addPluginToRasterMenu", add, raising=False)
    monkeypatch.setattr(qgis_iface, "removePluginRasterMenu", remove, raising=False)
    yield raster
    menu_bar.removeAction(raster.menuAction())


def _menu_actions(menu: QMenu) -> list:
    out = []
    for a in menu.actions():
        out.append(a)
        if a.menu() is not None:
            out.extend(a.menu().actions())
    return out


def _toolbars(qgis_iface) -> list[QToolBar]:
    return [t for t in qgis_iface.mainWindow().findChildren(QToolBar) if t.objectName() == "smartiesToolbar"]


def test_class_factory_init_gui_and_unload(qgis_iface, raster_menu):
    spec = importlib.util.spec_from_file_location("smarties_qgis", ROOT / "__init__.py")
    package = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(package)
    plugin = package.classFactory(qgis_iface)
    plugin.initGui()
    try:
        actions = [a for a in _menu_actions(raster_menu) if a.objectName() == "smartiesRunAction"]
        assert len(actions) == 1
        assert [a.objectName() for a in _menu_actions(raster_menu)].count("smartiesCheckInstallation") == 1
        assert not actions[0].icon().isNull()
        toolbars = _toolbars(qgis_iface)
        assert len(toolbars) == 1 and plugin.action in toolbars[0].actions()
        registry = QgsApplication.processingRegistry()
        if plugin.provider is not None:  # provider module present (another engineer's)
            assert registry.providerById("smarties") is not None
    finally:
        plugin.unload()
    assert not [a for a in _menu_actions(raster_menu) if a.objectName() == "smartiesRunAction"]
    assert raster_menu.actions() == []
    assert all(not t.isVisible() or t.parent() is None for t in _toolbars(qgis_iface))
    assert QgsApplication.processingRegistry().providerById("smarties") is None
    assert plugin.action is None and plugin.dialog is None


def test_unload_after_dialog_and_point_tool(qgis_iface, raster_menu, qtbot):
    from eo_plugin.plugin import SmartiesPlugin

    plugin = SmartiesPlugin(qgis_iface)
    plugin.initGui()
    plugin.action.trigger()  # opens the dialog
    dialog = plugin.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.set_product("similarity")
    dialog.pick_button.setChecked(True)
    canvas = qgis_iface.mapCanvas()
    assert canvas.mapTool() is dialog.point_tool
    plugin.unload()
    assert canvas.mapTool() is None or canvas.mapTool().__class__.__name__ != "PointPickerTool"
    assert plugin.dialog is None


def test_class_factory_does_not_import_torch():
    """Loading the plugin and building its dialog must not import torch/onnxruntime."""
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from qgis.core import QgsApplication
        app = QgsApplication([], True); app.initQgis()
        import importlib.util
        spec = importlib.util.spec_from_file_location("smarties_qgis", {str(ROOT / "__init__.py")!r},
                                                      submodule_search_locations=[{str(ROOT)!r}])
        pkg = importlib.util.module_from_spec(spec); spec.loader.exec_module(pkg)
        import eo_plugin.plugin, eo_plugin.dialogs.main_dialog, eo_plugin.tasks, eo_plugin.layers
        bad = [m for m in ("torch", "onnxruntime") if m in sys.modules]
        print("IMPORTED:", bad)
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert "IMPORTED: []" in out.stdout, out.stdout + out.stderr


def test_package_zip_installs_and_loads_in_a_fresh_profile(tmp_path):
    """`make package` ZIP unzipped into a profile's python/plugins loads through qgis.utils."""
    dist = tmp_path / "dist"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DIST_DIR=str(dist))
    subprocess.run(["bash", str(ROOT / "scripts" / "package.sh")], check=True, env=env, capture_output=True,
                   timeout=120)
    zips = list(dist.glob("smarties_qgis-*.zip"))
    assert len(zips) == 1
    with zipfile.ZipFile(zips[0]) as zf:
        names = zf.namelist()
    assert "smarties_qgis/metadata.txt" in names and "smarties_qgis/__init__.py" in names
    assert "smarties_qgis/resources/icons/smarties.png" in names
    assert any(n.startswith("smarties_qgis/engine/") for n in names)
    assert all(n.startswith("smarties_qgis/") for n in names)
    forbidden = ("/tests/", "__pycache__", ".pyc", "/.git", "/.venv", "/benchmarks/", "/docs/")
    assert not [n for n in names if any(f in "/" + n for f in forbidden)]

    plugins_dir = tmp_path / "profile" / "python" / "plugins"
    plugins_dir.mkdir(parents=True)
    with zipfile.ZipFile(zips[0]) as zf:
        zf.extractall(plugins_dir)
    code = textwrap.dedent(f"""
        import sys
        # A clean interpreter: the repository must not be importable, only the installed copy.
        sys.path = [p for p in sys.path if p not in ("", {str(ROOT)!r})]
        from qgis.core import QgsApplication
        from qgis.gui import QgsMapCanvas
        from qgis.PyQt.QtWidgets import QMainWindow
        app = QgsApplication([], True); app.initQgis()
        from qgis.gui import QgsMessageBar
        import qgis.utils

        class Iface:  # the part of QgisInterface the plugin uses
            def __init__(self):
                self.win = QMainWindow(); self.canvas = QgsMapCanvas(self.win); self.bar = QgsMessageBar()
                self.menu = []
            def mainWindow(self): return self.win
            def mapCanvas(self): return self.canvas
            def messageBar(self): return self.bar
            def addToolBar(self, name): return self.win.addToolBar(name)
            def addPluginToRasterMenu(self, title, action): self.menu.append(action)
            def removePluginRasterMenu(self, title, action): self.menu.remove(action)
            def addToolBarIcon(self, action): pass
            def removeToolBarIcon(self, action): pass

        qgis.utils.iface = Iface()
        qgis.utils.plugin_paths = [{str(plugins_dir)!r}]
        sys.path.insert(0, {str(plugins_dir)!r})
        qgis.utils.updateAvailablePlugins()
        print("AVAILABLE:", "smarties_qgis" in qgis.utils.available_plugins)
        print("LOADED:", qgis.utils.loadPlugin("smarties_qgis"))
        print("STARTED:", qgis.utils.startPlugin("smarties_qgis"))
        import eo_plugin, engine
        print("FROM:", eo_plugin.__file__.startswith({str(plugins_dir)!r}), engine.__file__.startswith({str(plugins_dir)!r}))
        print("ACTIVE:", "smarties_qgis" in qgis.utils.active_plugins, len(qgis.utils.iface.menu))
        print("UNLOADED:", qgis.utils.unloadPlugin("smarties_qgis"), len(qgis.utils.iface.menu))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=180,
                         cwd=str(tmp_path))
    text = out.stdout + out.stderr
    # two Raster menu entries: the dialog and "Check installation"
    for line in ("AVAILABLE: True", "LOADED: True", "STARTED: True", "FROM: True True", "ACTIVE: True 2",
                 "UNLOADED: True 0"):
        assert line in out.stdout, text
