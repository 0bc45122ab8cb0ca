"""`python -m eo_plugin.demo_project DIR` turns demo.json outputs into a styled demo.qgz."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from plugin_helpers import make_geotiff, s2_like

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.qgis


def test_demo_project_command_writes_styled_project(tmp_path):
    rng = np.random.default_rng(0)
    src = s2_like(tmp_path / "input.tif", size=32)
    outputs = {
        "embeddings": str(make_geotiff(tmp_path / "embeddings.tif", rng.normal(size=(8, 4, 4)).astype("float32"))),
        "pca": str(make_geotiff(tmp_path / "pca.tif", rng.normal(size=(3, 4, 4)).astype("float32"))),
        "clusters": "clusters.tif",  # relative paths are relative to the folder
    }
    make_geotiff(tmp_path / "clusters.tif", np.arange(16, dtype="uint8").reshape(4, 4) % 3,
                 category_names=["a", "b", "c"])
    (tmp_path / "demo.json").write_text(json.dumps({"input": str(src), "outputs": outputs}))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "eo_plugin.demo_project", str(tmp_path)], cwd=str(ROOT),
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    project = Path(out.stdout.strip().splitlines()[-1])
    assert project == tmp_path / "demo.qgz" and project.is_file()
    with zipfile.ZipFile(project) as zf:
        qgs = zf.read(next(n for n in zf.namelist() if n.endswith(".qgs"))).decode()
    assert 'name="SMARTIES demo"' in qgs
    assert qgs.count("<maplayer ") == 4
    assert 'type="paletted"' in qgs and 'type="multibandcolor"' in qgs
    assert 'label="b"' in qgs  # cluster legend names from the raster's categories


def test_demo_project_reports_missing_demo_json(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "eo_plugin.demo_project", str(tmp_path)], cwd=str(ROOT),
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 1 and "python -m engine demo" in out.stderr


@pytest.mark.slow
def test_real_engine_demo_then_project(tmp_path, reference_dir):
    """`python -m engine demo` (tiny reference model) followed by the demo project command."""
    weights = reference_dir / "smarties_tiny" / "weights.safetensors"
    if not weights.is_file():
        pytest.skip("tiny reference checkpoint missing")
    pytest.importorskip("torch")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    demo = subprocess.run([sys.executable, "-m", "engine", "demo", "--output", str(tmp_path), "--model", str(weights),
                           "--quiet"], cwd=str(ROOT), capture_output=True, text=True, env=env, timeout=300)
    if demo.returncode != 0 and "sample" in demo.stderr and "not found" in demo.stderr:
        pytest.skip(f"engine demo sample missing: {demo.stderr.strip()}")
    assert demo.returncode == 0, demo.stderr
    out = subprocess.run([sys.executable, "-m", "eo_plugin.demo_project", str(tmp_path)], cwd=str(ROOT),
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    with zipfile.ZipFile(tmp_path / "demo.qgz") as zf:
        qgs = zf.read(next(n for n in zf.namelist() if n.endswith(".qgs"))).decode()
    assert qgs.count("<maplayer ") == len(json.loads((tmp_path / "demo.json").read_text())["outputs"]) + 1
    assert 'type="paletted"' in qgs
