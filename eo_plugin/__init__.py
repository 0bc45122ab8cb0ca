"""QGIS side of SMARTIES: menu/toolbar, dialog, background task, result styling, Processing."""
