"""The time-series page with no input layer: validation settles (no endless set_first -> changed ->
validate loop) and says what is missing."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.qgis


def test_time_series_page_without_any_layer_validates_once(qgis_iface, qgis_new_project, qtbot):
    from eo_plugin.dialogs.main_dialog import SmartiesDialog

    dlg = SmartiesDialog(qgis_iface)
    qtbot.addWidget(dlg)
    calls = []
    dlg.dates_list.changed.connect(lambda: calls.append(1))
    dlg.product_combo.setCurrentIndex(dlg.product_combo.findData("seasonal"))
    dlg.show()
    dlg.validate()
    dlg.validate()
    assert len(calls) <= 1  # nothing changed after the first pass: no signal, no re-validation
    assert dlg.problems()  # the dialog says what is missing (an input raster)
    dlg.release_map_tools()
