"""SMARTIES Processing provider: every product as a toolbox algorithm (batch, models, qgis_process)."""
