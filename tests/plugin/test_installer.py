"""The one-click installer (pip into a plugin-private folder, offline from a local wheel folder) and the
"Check installation" diagnostics, in real QGIS."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import numpy
import pytest
from qgis.PyQt.QtWidgets import QMessageBox

from eo_plugin import deps, installer
from eo_plugin.dialogs.install_dialog import DiagnosticsDialog, InstallDialog

pytestmark = pytest.mark.qgis
PROBE = deps.Dependency("smarties_probe", "smarties-probe==0.1", False, "test package")


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    """A folder with one small wheel, built here from a local package (no network)."""
    root = tmp_path_factory.mktemp("probe")
    (root / "src" / "smarties_probe").mkdir(parents=True)
    (root / "src" / "smarties_probe" / "__init__.py").write_text('__version__ = "0.1"\n')
    (root / "src" / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "smarties-probe"\nversion = "0.1"\n')
    out = root / "wheels"
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                          "-w", str(out), str(root / "src")], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert len(list(out.glob("smarties_probe-0.1-*.whl"))) == 1
    return out


@pytest.fixture
def clean_path():
    before = list(sys.path)
    yield
    sys.path[:] = before
    sys.modules.pop("smarties_probe", None)
    importlib.invalidate_caches()


def test_installer_installs_offline_into_a_private_folder_then_imports(qgis_iface, qtbot, wheels, tmp_path,
                                                                        clean_path):
    target = tmp_path / "private" / "python3"
    plan = installer.plan_install([PROBE], target=str(target), find_links=str(wheels))
    assert plan.args[:3] == [deps.qgis_python(), "-m", "pip"] and "--target" in plan.args and "--no-index" in plan.args
    dialog = InstallDialog(plan)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "--target" in dialog.command.toPlainText() and "smarties-probe==0.1" in dialog.command.toPlainText()
    dialog.install_button.click()
    qtbot.waitUntil(lambda: dialog.exit_code is not None, timeout=180000)
    log = dialog.output.toPlainText()
    assert dialog.exit_code == 0, log
    assert "Successfully installed smarties-probe-0.1" in log  # pip's own output, shown in the window
    assert (target / "constraints.txt").read_text().strip() == f"numpy=={numpy.__version__}"
    assert dialog.restart_box is not None and dialog.restart_box.isVisible()  # asks to restart QGIS
    assert sys.path[-1] == str(target)  # after QGIS's own packages: they always win
    import smarties_probe

    assert Path(smarties_probe.__file__).resolve().is_relative_to(target.resolve())
    assert not Path(numpy.__file__).resolve().is_relative_to(target.resolve())
    status = installer.package_status("smarties_probe", private=str(target))
    assert status.importable and status.private and status.version == "0.1"
    dialog.restart_box.button(QMessageBox.No).click()  # "later": nothing happens


def test_a_failed_install_says_so_and_changes_nothing(qgis_iface, qtbot, wheels, tmp_path):
    missing = deps.Dependency("smarties_nothing", "smarties-nothing==9.9", False, "absent")
    plan = installer.plan_install([missing], target=str(tmp_path / "p"), find_links=str(wheels))
    dialog = InstallDialog(plan)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.exit_code is not None, timeout=180000)
    assert dialog.exit_code != 0 and "smarties-nothing" in dialog.output.toPlainText()
    assert "exit code" in dialog.status.text() and dialog.restart_box is None
    assert str(tmp_path / "p") not in sys.path


@pytest.mark.parametrize("platform,gpu,expect_index,expect_note", [
    ("linux", installer.GpuInfo(), installer.TORCH_CPU_INDEX, "no NVIDIA driver"),
    ("linux", installer.GpuInfo("550.54.15", ["NVIDIA H200"]), None, "CUDA build"),
    ("linux", installer.GpuInfo("470.82", ["Tesla K80"]), installer.TORCH_CPU_INDEX, "older than 525"),
    ("win32", installer.GpuInfo("552.12", ["NVIDIA RTX 4090"]), installer.TORCH_CUDA_INDEX, "CUDA build"),
    ("win32", installer.GpuInfo(), None, "no NVIDIA driver"),
])
def test_torch_build_follows_the_machine(monkeypatch, tmp_path, platform, gpu, expect_index, expect_note):
    monkeypatch.setattr(sys, "platform", platform)
    plan = installer.plan_install(target=str(tmp_path), gpu=gpu, python="python3")
    args = plan.args
    if expect_index:
        assert args[args.index("--extra-index-url") + 1] == expect_index
    else:
        assert "--extra-index-url" not in args
    assert any(expect_note in n for n in plan.notes), plan.notes
    for dep in deps.DEPENDENCIES:  # pinned versions, numpy kept through the constraints file
        assert dep.requirement in args
    assert args[args.index("--constraint") + 1] == str(tmp_path / "constraints.txt")
    assert plan.constraint_lines == [f"numpy=={numpy.__version__}"] and numpy.__version__.startswith("1.")
    assert "--target" in plan.command_text() and "scikit-learn==1.8.0" in plan.command_text()


def test_diagnostics_dialog_lists_packages_and_why_no_gpu(qgis_iface, qtbot):
    import torch

    dialog = DiagnosticsDialog()
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(i, 0).text(): [dialog.table.item(i, j).text() for j in range(4)]
            for i in range(dialog.table.rowCount())}
    assert {"torch", "safetensors", "sklearn", "onnxruntime", "numpy", "osgeo"} <= set(rows)
    assert rows["torch"][1] == "importable" and rows["torch"][2] == torch.__version__
    assert rows["numpy"][2] == numpy.__version__ and rows["numpy"][3].startswith("QGIS")
    text = dialog.text.toPlainText()
    assert "Runs on: " in text and "NVIDIA driver: " in text
    if not torch.cuda.is_available():
        assert "Why no GPU: " in text
        if torch.version.cuda is None:
            assert "CPU-only build" in text


def test_diagnostics_show_a_missing_package(monkeypatch):
    monkeypatch.setattr(deps, "DEPENDENCIES", deps.DEPENDENCIES + (deps.Dependency("no_such_module_x", "x==1",
                                                                                   False, "test"),))
    report = installer.diagnostics()
    row = [r for r in report["packages"] if r.module == "no_such_module_x"][0]
    assert not row.importable and "not found" in row.error
    assert "MISSING  no_such_module_x" in installer.diagnostics_text(report)


def test_missing_notice_offers_install_and_menu_offers_check(qgis_iface, qtbot, monkeypatch):
    from eo_plugin.plugin import SmartiesPlugin

    plugin = SmartiesPlugin(qgis_iface)
    plugin.initGui()
    try:
        monkeypatch.setattr(deps, "is_installed", lambda module: module != "torch")
        box = plugin.show_missing_dependencies()
        button = [b for b in box.buttons() if b.objectName() == "smartiesInstallButton"][0]
        assert "Install…" in box.informativeText() and "pip" in box.informativeText()
        monkeypatch.setattr(installer, "detect_gpu", lambda: installer.GpuInfo())
        button.click()
        dialog = plugin.install_dialog
        assert isinstance(dialog, InstallDialog) and dialog.isVisible()
        command = dialog.command.toPlainText()
        assert "torch==2.13.0" in command and "--target" in command and installer.private_dir() in command
        assert plugin.check_action.objectName() == "smartiesCheckInstallation"
        plugin.check_action.trigger()
        assert isinstance(plugin.diagnostics_dialog, DiagnosticsDialog) and plugin.diagnostics_dialog.isVisible()
    finally:
        plugin.unload()
    assert plugin.install_dialog is None and plugin.diagnostics_dialog is None
