"""Shared test fixtures: paths to ../shared data (skip cleanly when absent), GPU marker."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EO_SHARED_DIR", ROOT.parent / "shared"))
REFERENCE = SHARED / "reference"
REALDATA = SHARED / "realdata"
REALDATA_TRAIN = SHARED / "realdata_train"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _shared_files() -> dict:
    """{path: mtime} of every file under ../shared (empty when absent)."""
    out = {}
    if SHARED.is_dir():
        for dirpath, _, names in os.walk(SHARED):
            for name in names:
                path = os.path.join(dirpath, name)
                try:
                    out[path] = os.stat(path).st_mtime_ns
                except OSError:
                    pass
    return out


def pytest_sessionstart(session):
    session.config._shared_before = _shared_files()


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when a test added or changed a file under ../shared (it must stay read-only)."""
    before = getattr(session.config, "_shared_before", None)
    if before is None:
        return
    after = _shared_files()
    touched = sorted(p for p, m in after.items() if before.get(p) != m)
    if touched:
        print(f"\nTests wrote into {SHARED} (it must stay untouched; open copies via the realdata_dir "
              "fixtures):\n  " + "\n  ".join(touched[:20]))
        session.exitstatus = 1


def pytest_collection_modifyitems(config, items):
    try:
        import torch

        has_cuda = torch.cuda.is_available()
    except ImportError:
        has_cuda = False
    skip_gpu = pytest.mark.skip(reason="needs a CUDA GPU")
    for item in items:
        if "gpu" in item.keywords and not has_cuda:
            item.add_marker(skip_gpu)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"reference data not found at {REFERENCE}")
    return REFERENCE


@pytest.fixture(scope="session")
def shared_copy(tmp_path_factory) -> Path:
    """One copy per test session of the real-data folders of ../shared (about 40 MB).

    QGIS and GDAL write .aux.xml statistics next to the rasters they open (histograms for layer
    styling): tests must leave ../shared as they found it, so they open these copies instead.
    """
    import shutil

    if not REALDATA.is_dir() and not REALDATA_TRAIN.is_dir():
        pytest.skip(f"real data not found under {SHARED}")
    root = tmp_path_factory.mktemp("shared")
    for src in (REALDATA, REALDATA_TRAIN):
        if src.is_dir():
            shutil.copytree(src, root / src.name, ignore=shutil.ignore_patterns("*.aux.xml"))
    return root


@pytest.fixture(scope="session")
def realdata_dir(shared_copy) -> Path:
    if not (shared_copy / "realdata").is_dir():
        pytest.skip(f"real data not found at {REALDATA}")
    return shared_copy / "realdata"


@pytest.fixture(scope="session")
def realdata_train_dir(shared_copy) -> Path:
    if not (shared_copy / "realdata_train").is_dir():
        pytest.skip(f"real training data not found at {REALDATA_TRAIN}")
    return shared_copy / "realdata_train"
