"""Shared by every plugin test."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test starts, and leaves, without the dialog's remembered settings ("smarties/last": product,
    model, window...). They persist in the QGIS profile across test processes: a test that ended on the
    classification page made the next run's dialog open there, and a test expecting the default product
    failed its validation ("needs a labelled layer")."""
    try:
        from qgis.core import QgsSettings
    except ImportError:  # no QGIS here: the plugin tests skip themselves
        yield
        return
    QgsSettings().remove("smarties/last")
    yield
    QgsSettings().remove("smarties/last")
