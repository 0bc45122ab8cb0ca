"""Reusable widgets of the SMARTIES plugin."""
