"""qgis_process (headless Processing) runs SMARTIES algorithms through scripts/qgis-process."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

try:
    from .processing_helpers import raster_info, tiny_model, valid_values
except ImportError:
    from processing_helpers import raster_info, tiny_model, valid_values

ROOT = Path(__file__).resolve().parents[2]
WRAPPER = ROOT / "scripts" / "qgis-process"
QGIS_PROCESS = os.environ.get("SMARTIES_QGIS_PROCESS_BIN") or shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.access(QGIS_PROCESS, os.X_OK), reason="qgis_process is not installed (apt-get install qgis)"),
]


def qgis_process(profile_root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the wrapper with a temporary profile root; no display, so it goes offscreen."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(SMARTIES_QGIS_CONFIG=str(profile_root), SMARTIES_QGIS_PROCESS_BIN=QGIS_PROCESS)
    return subprocess.run([str(WRAPPER), *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> str:
    try:
        return tiny_model(tmp_path_factory.mktemp("qp_model"))
    except ImportError as err:
        pytest.skip(f"engine.model not there yet: {err}")


def test_qgis_process_runs_pca_on_a_real_file(tmp_path, realdata_dir, model):
    src = sorted((realdata_dir / "s2_l2a_bigearthnet").glob("*_stack12_10m.tif"))[0]
    out = tmp_path / "out dir" / "pca.tif"  # a space in the path on purpose
    done = qgis_process(tmp_path / "profile", "--json", "run", "smarties:pca", "--", f"INPUT={src}",
                        f"MODEL={model}", "WINDOW=64", "DEVICE=cpu", f"OUTPUT={out}")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    assert Path(results["OUTPUT"]) == out
    # maps come out on the input's grid by default (same size, origin and pixel size)
    info, source = raster_info(out), raster_info(src)
    assert info["epsg"] == source["epsg"] and info["size"] == source["size"]
    assert np.allclose(info["geotransform"], source["geotransform"])
    assert info["bands"] == 3 and np.isfinite(valid_values(info)).all()
    # the wrapper installed the plugin as a link to this checkout and enabled it
    plugin = tmp_path / "profile" / "profiles" / "default" / "python" / "plugins" / "smarties_qgis"
    assert plugin.resolve() == ROOT
    ini = (tmp_path / "profile" / "profiles" / "default" / "QGIS" / "QGIS3.ini").read_text()
    assert "[PythonPlugins]" in ini and "smarties_qgis=true" in ini


def test_qgis_process_inspect_bands_and_errors(tmp_path, realdata_dir):
    src = realdata_dir / "l8_sr_brazil" / "LC08_232066_20190727.tif"
    done = qgis_process(tmp_path / "profile", "--json", "run", "smarties:inspect_bands", "--", f"INPUT={src}",
                        "SENSOR=landsat8", "BANDS=B2,B3,B4,B5,B6,B7", f"OUTPUT={tmp_path / 'bands.html'}")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    decisions = json.loads(results["DECISIONS"])
    # B2 (452-512 nm) is the derived blue_2 layer 18; B5 NIR is near_infrared_3 (11)
    assert [d["layer_index"] for d in decisions][:1] == [18] and decisions[3]["layer_index"] == 11
    assert (tmp_path / "bands.html").is_file()
    # a wrong band count is a readable error, not a traceback
    bad = qgis_process(tmp_path / "profile", "run", "smarties:inspect_bands", "--", f"INPUT={src}",
                       "BANDS=B2,B3", f"OUTPUT={tmp_path / 'b2.html'}")
    assert bad.returncode != 0 and "6 band" in (bad.stdout + bad.stderr)
