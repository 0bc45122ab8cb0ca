"""QGIS entry point of the SMARTIES plugin (installed as folder ``smarties_qgis``)."""
from __future__ import annotations

import os
import sys

# The plugin ships two top-level packages, `engine` and `eo_plugin`, next to this file. Putting the
# folder on sys.path lets both be imported by their own names whether QGIS loads us as package
# `smarties_qgis` or tests import from the repository root.
_PLUGIN_DIR = os.path.dirname(os.path.abspath(__file__))
if _PLUGIN_DIR not in sys.path:
    sys.path.insert(0, _PLUGIN_DIR)


def classFactory(iface):  # noqa: N802 (name required by QGIS)
    """Return the plugin instance; imports only Qt/QGIS code, never torch or onnxruntime."""
    from eo_plugin.installer import activate

    activate()  # packages the plugin installed into its private folder (after QGIS's own on sys.path)
    from eo_plugin.plugin import SmartiesPlugin

    return SmartiesPlugin(iface)
