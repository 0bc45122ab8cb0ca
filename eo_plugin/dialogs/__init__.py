"""Dialogs of the SMARTIES plugin."""
