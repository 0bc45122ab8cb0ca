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
def realdata_dir() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"real data not found at {REALDATA}")
    return REALDATA


@pytest.fixture(scope="session")
def realdata_train_dir() -> Path:
    if not REALDATA_TRAIN.is_dir():
        pytest.skip(f"real training data not found at {REALDATA_TRAIN}")
    return REALDATA_TRAIN
