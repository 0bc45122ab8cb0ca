"""The packaged plugin inside the real QGIS desktop (xvfb): installed from the ZIP into a fresh profile.

Without torch in QGIS's Python the plugin still loads, in French, and shows the install command; with
torch on PYTHONPATH a run from the dialog finishes as a task and adds a styled layer group.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from plugin_helpers import s2_like

ROOT = Path(__file__).resolve().parents[2]
CHECK = Path(__file__).with_name("desktop_check.py")
pytestmark = [pytest.mark.qgis, pytest.mark.slow]


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    if not (shutil.which("qgis") and shutil.which("xvfb-run")):
        pytest.skip("needs the qgis desktop binary and xvfb-run")
    base = tmp_path_factory.mktemp("qgis_profiles")
    dist = base / "dist"
    env = dict(os.environ, DIST_DIR=str(dist))
    if shutil.which("lrelease") or Path("/usr/lib/qt5/bin/lrelease").exists():
        subprocess.run(["bash", str(ROOT / "scripts" / "compile_translations.sh")], check=True, timeout=60)
    subprocess.run(["bash", str(ROOT / "scripts" / "package.sh")], check=True, env=env, capture_output=True,
                   timeout=120)
    plugins = base / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(next(dist.glob("smarties_qgis-*.zip"))) as zf:
        zf.extractall(plugins)
    ini = base / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nsmarties_qgis=true\n\n[locale]\nuserLocale=fr_FR\noverrideFlag=true\n")
    return base


def _run_qgis(profile: Path, tmp_path: Path, extra_env: dict) -> dict:
    raster = s2_like(tmp_path / "scene.tif", size=96)
    cfg = {"raster": str(raster), "output": str(tmp_path / "pca.tif"), "result": str(tmp_path / "result.json")}
    (tmp_path / "cfg.json").write_text(json.dumps(cfg))
    env = dict(os.environ, SMARTIES_CHECK_CFG=str(tmp_path / "cfg.json"))
    env.pop("QT_QPA_PLATFORM", None)  # the desktop app needs a (virtual) display
    env.pop("PYTHONPATH", None)
    env.update(extra_env)
    # a laptop screen: 1366 x 768
    out = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", "qgis", "--profiles-path", str(profile), "--nologo", "--noversioncheck",
                          "--code", str(CHECK)], capture_output=True, text=True, env=env, timeout=240,
                         cwd=str(tmp_path))
    result = tmp_path / "result.json"
    assert result.is_file(), out.stdout[-3000:] + out.stderr[-3000:]
    return json.loads(result.read_text())


def _venv_site_packages() -> str:
    import torch

    return str(Path(torch.__file__).resolve().parents[1])


def test_desktop_without_torch_explains_in_french(profile, tmp_path):
    res = _run_qgis(profile, tmp_path, {})
    if not res["deps_box"]:
        pytest.skip("this QGIS's own Python already has torch and safetensors")
    assert res["active"] and str(profile) in res["module"]  # the installed copy, not the checkout
    assert len(res["menu_before"]) == 1 and res["provider_before"]
    assert "pip install" in res["deps_text"] and "torch==2.13.0" in res["deps_text"]
    assert res["run_enabled"] is False
    if (ROOT / "i18n" / "smarties_fr.qm").exists():
        assert res["title"] == "SMARTIES - modèle de fondation spectral"
        assert "Paquets Python manquants" in res["validation"]
    assert res["menu_after"] == [] and res["provider_after"] is False


def test_desktop_run_adds_styled_layers(profile, tmp_path):
    pytest.importorskip("torch")
    res = _run_qgis(profile, tmp_path, {"PYTHONPATH": _venv_site_packages()})
    assert res["run_enabled"], res["validation"]
    assert res.get("started") == 1
    assert str(tmp_path / "pca.tif") in res["layers"]
    assert len(res["groups"]) == 1 and res["renderers"][0] == "multibandcolor"
    assert res["menu_after"] == [] and res["provider_after"] is False
    # issue 20, in the desktop (French profile, 1366 x 768 screen):
    assert res["output_size"] == [res["input_size"]]  # 1: a map comes on the input's grid
    assert "96 x 96 px" in res["grid_text"]
    assert res["run_enabled_while_running"] is False and "en cours" in res["reason_while_running"]  # 2
    w, h = res["screen"]
    assert res["scroll_areas"] == 0 and res["min_size_advanced"][0] <= w and res["min_size_advanced"][1] <= h - 40  # 6
    assert res["dialog_size"][0] <= w and res["dialog_size"][1] <= h
    assert any("fenêtre" in s for s in res["stages"]) or any("terminé" in s for s in res["stages"])  # 7, 8
    assert ("synthétiques" in res["models"][0]) == res["synthetic_default"]  # 5, 8: as the model card says
    assert any("non téléchargé" in m for m in res["models"][1:])
    assert res["legend"]["trained"] == "entraînée"  # 6, 8
