"""Missing torch/safetensors: the plugin still loads and says exactly what to install, and how."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from eo_plugin import deps

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.qgis


def test_nothing_missing_here():
    # The dev environment has torch and safetensors (requirements.txt).
    assert deps.missing() == []
    assert deps.missing_message() == ""


def test_message_names_packages_and_pinned_command(monkeypatch):
    monkeypatch.setattr(deps, "is_installed", lambda module: module not in ("torch", "onnxruntime"))
    missing = deps.missing()
    assert [d.module for d in missing] == ["torch"]
    assert [d.module for d in deps.missing(required_only=False)] == ["torch", "onnxruntime"]
    text = deps.missing_message()
    assert "torch==2.13.0" in text
    command = text.strip().splitlines()[-1]
    assert " -m pip install" in command and '"torch==2.13.0"' in command
    assert '"numpy>=1.21,<2"' in command  # never let pip upgrade QGIS's numpy to 2.x



def test_linux_system_python_gets_user_install(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(deps, "qgis_python", lambda: "/usr/bin/python3.11")
    monkeypatch.setattr(sys, "prefix", "/usr")
    monkeypatch.setattr(sys, "base_prefix", "/usr")
    dep = [d for d in deps.DEPENDENCIES if d.module == "torch"]
    monkeypatch.setattr(deps, "externally_managed", lambda: True)
    assert deps.install_command(dep) == ('/usr/bin/python3.11 -m pip install --user --break-system-packages '
                                         '"torch==2.13.0" "numpy>=1.21,<2"')
    monkeypatch.setattr(deps, "externally_managed", lambda: False)
    assert deps.install_command(dep).startswith('/usr/bin/python3.11 -m pip install --user "torch')
    # Inside a virtual environment: no --user (pip refuses it there).
    monkeypatch.setattr(deps, "qgis_python", lambda: "/opt/venv/bin/python3.11")
    monkeypatch.setattr(sys, "prefix", "/opt/venv")
    assert deps.install_command(dep).startswith('/opt/venv/bin/python3.11 -m pip install "torch')


def test_qgis_python_command(monkeypatch, tmp_path):
    # The interpreter QGIS embeds lives in sys.exec_prefix/bin, whatever sys.executable says.
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / version).write_text("")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(sys, "executable", "/root/.pyenv/shims/python3")
    monkeypatch.setattr(sys, "exec_prefix", str(tmp_path))
    assert deps.qgis_python() == str(tmp_path / "bin" / version)
    monkeypatch.setattr(sys, "exec_prefix", str(tmp_path / "nowhere"))
    assert deps.qgis_python() == version


def test_plugin_loads_and_explains_when_torch_is_absent():
    """A QGIS without torch/safetensors: the plugin, dialog and provider load; a message shows the command."""
    code = textwrap.dedent(f"""
        import sys
        sys.modules["torch"] = None          # as if not installed: find_spec() returns None
        sys.modules["safetensors"] = None
        sys.path.insert(0, {str(ROOT)!r})
        from qgis.core import QgsApplication
        from qgis.gui import QgsMapCanvas, QgsMessageBar
        from qgis.PyQt.QtWidgets import QMainWindow, QMessageBox
        app = QgsApplication([], True); app.initQgis()

        class Iface:
            def __init__(self):
                self.win = QMainWindow(); self.canvas = QgsMapCanvas(self.win); self.bar = QgsMessageBar()
            def mainWindow(self): return self.win
            def mapCanvas(self): return self.canvas
            def messageBar(self): return self.bar
            def addToolBar(self, name): return self.win.addToolBar(name)
            def addPluginToRasterMenu(self, title, action): pass
            def removePluginRasterMenu(self, title, action): pass
            def addToolBarIcon(self, action): pass
            def removeToolBarIcon(self, action): pass

        import importlib.util
        spec = importlib.util.spec_from_file_location("smarties_qgis", {str(ROOT / "__init__.py")!r})
        pkg = importlib.util.module_from_spec(spec); spec.loader.exec_module(pkg)
        plugin = pkg.classFactory(Iface())
        plugin.initGui()
        plugin.action.trigger()
        box = plugin._deps_box
        print("BOX:", box.isVisible())
        print("TEXT:", box.text().replace(chr(10), " | "))
        print("RUN ENABLED:", plugin.dialog.run_button.isEnabled())
        print("JOB:", plugin.start_job(None, "x"))
        print("PROVIDER:", QgsApplication.processingRegistry().providerById("smarties") is not None)
        plugin.unload()
        print("UNLOADED")
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    text = out.stdout + out.stderr
    assert "BOX: True" in out.stdout, text
    assert "torch==2.13.0" in out.stdout and "safetensors==0.8.0" in out.stdout and "pip install" in out.stdout
    assert "RUN ENABLED: False" in out.stdout
    assert "JOB: None" in out.stdout
    assert "PROVIDER: True" in out.stdout, text  # the Processing provider loads without torch too
    assert "UNLOADED" in out.stdout, text
