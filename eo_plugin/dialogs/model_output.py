"""The dialog's model and output choices: what each model is and how to get it (download), a default
output file, and the plain line saying which grid the result will have."""
from __future__ import annotations

from qgis.core import QgsApplication, QgsTask

from ..i18n import tr
from . import checks
from .models import FILE_MODEL, can_download, download_model, model_choices, model_note
from .output_path import default_output


class ModelOutputChoices:
    """Mixin for SmartiesDialog (model combo, Download button, output file, result grid line)."""

    def _on_fidelity_context(self, *_):
        """The fidelity settings show the scale and statistics of this model for this sensor."""
        model = self.model_combo.currentData()
        self.fidelity_box.set_model(self.model_file.filePath() if model == FILE_MODEL else model,
                                    self.sensor_combo.currentData())

    def _on_model_changed(self, *_):
        model = self.model_combo.currentData()
        self.model_file.setEnabled(model == FILE_MODEL)
        self._on_fidelity_context()
        choice = self._model_choices.get(model)
        self.model_note.setText(model_note(choice) if model != FILE_MODEL else "")
        self.download_button.setVisible(choice is not None and not choice.available and bool(choice.url)
                                        and can_download())
        self.validate()

    def download_model(self) -> None:
        """Download the chosen published model in a background task; the combo follows when done."""
        model = self.model_combo.currentData()
        choice = self._model_choices.get(model)
        if choice is None or choice.available or self._download_task is not None:
            return
        result = {}

        def fetch(task):
            result["path"] = download_model(model)
            return True

        task = QgsTask.fromFunction(tr("SMARTIES: download {0}").format(model), fetch,
                                    on_finished=lambda exc, *_: self._download_done(model, result, exc))
        self._download_task = task
        self.download_button.setEnabled(False)
        self.model_note.setText(tr("Downloading {0}… (progress in the task bar)").format(choice.filename or model))
        QgsApplication.taskManager().addTask(task)

    def _download_done(self, model: str, result: dict, exc) -> None:
        self._download_task = None
        self.download_button.setEnabled(True)
        self.refresh_models()
        if exc is not None or not result.get("path"):
            self.model_note.setText(tr("Download failed: {0}").format(exc or "?"))

    def refresh_models(self) -> None:
        """Re-read which models are on this computer (after a download or install)."""
        self._model_choices = {c.model_id: c for c in model_choices()}
        for i in range(self.model_combo.count()):
            choice = self._model_choices.get(self.model_combo.itemData(i))
            if choice is not None:
                self.model_combo.setItemText(i, choice.title)
        self._on_model_changed()

    # --------------------------------------------------------------------------- output -----
    def _propose_output(self) -> None:
        """Fill in a default output (project folder or a temporary folder) unless the user chose one."""
        current = self.output_file.filePath()
        if current and current != self._auto_output:
            return
        layer = self.layer_combo.currentLayer()
        if layer is None:
            return
        path, temporary = default_output(layer.name(), self.product(), self._last_output_dir)
        self._auto_output = path
        self.output_file.setFilePath(path)
        self.output_note.setText(tr("In a temporary folder: the project has no folder yet.") if temporary else "")

    def _on_output_edited(self, *_):
        if self.output_file.filePath() != self._auto_output:
            self.output_note.setText("")
        self.validate()

    def _update_grid_label(self) -> None:
        """Say plainly what grid the result will have (and when the area is smaller than one window)."""
        from .main_dialog import layer_file

        layer = self.layer_combo.currentLayer()
        if layer is None or layer_file(layer) is None:
            self.grid_label.setText("")
            return
        extent, crs = self._chosen_extent()
        width, height, _ = checks.processed_area(layer, extent, crs)
        if width < checks.MIN_SIDE_PX or height < checks.MIN_SIDE_PX:
            self.grid_label.setText("")
            return
        self.grid_label.setText(checks.grid_text(width, height, layer, bool(self.resolution_combo.currentData()),
                                                 self.window_spin.value()))

