"""Fixtures shared by the engine tests: the SMARTIES parity fixture and its encoder."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def tiny(reference_dir):
    """Folder of ../shared/reference/smarties_tiny (skips when ../shared is absent)."""
    return reference_dir / "smarties_tiny"


@pytest.fixture(scope="session")
def tiny_encoder(tiny):
    """The fixture's weights loaded through the engine's checkpoint loader."""
    from engine.model.checkpoint import load_checkpoint

    return load_checkpoint(tiny / "weights.safetensors")
