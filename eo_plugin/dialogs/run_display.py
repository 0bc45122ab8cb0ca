"""Runs as the dialog shows them: progress with stage and time left, one run per output, the overwrite
question, and what happened at the end (with a link to the classification report)."""
from __future__ import annotations

import os
from typing import Optional

from qgis.PyQt.QtWidgets import QMessageBox

from ..i18n import tr


def output_key(path: str) -> str:
    """One spelling per output file (absolute, case-folded where the file system folds case)."""
    return os.path.normcase(os.path.realpath(os.path.abspath(os.path.expanduser(path or ""))))


class RunDisplay:
    """Mixin for SmartiesDialog: keeps the runs it started and shows their progress."""

    _running: dict

    def running_output(self, path: str) -> bool:
        """True while a run writing `path` is queued or going."""
        return output_key(path) in self._running

    def mark_started(self, job) -> None:
        """Remember a run as soon as it is requested (a double click must not start a second one)."""
        self._running[output_key(job.output)] = None
        self.validate()

    def watch_task(self, task) -> None:
        """Follow a started task: progress bar, stage message with time left."""
        self._running[output_key(task.job.output)] = task
        self.progress_bar.setValue(0)
        self.progress_bar.setVisible(True)
        task.progressChanged.connect(self._on_task_progress)
        stage = getattr(task, "stageChanged", None)
        if stage is not None:
            stage.connect(self._on_task_stage)
        self.validate()

    def _on_task_progress(self, value: float) -> None:
        self.progress_bar.setValue(int(round(value)))

    def _on_task_stage(self, text: str) -> None:
        running = [t for t in self._running.values() if t is not None]
        name = running[-1].run_name if running else ""
        self.status_label.setText(tr("Running '{0}': {1}").format(name, text) if name else text)

    def run_not_started(self, job) -> None:
        """The plugin could not start the requested run (e.g. missing packages): Run is free again."""
        if getattr(job, "output", None):
            self._running.pop(output_key(job.output), None)
        self.validate()

    def task_done(self, task) -> None:
        """A watched task ended: say how, link the report, free its output for another run."""
        self._running.pop(output_key(task.job.output), None)
        if not any(t is not None for t in self._running.values()):
            self.progress_bar.setVisible(False)
        if getattr(task, "was_cancelled", False):
            text = tr("Run '{0}' cancelled; nothing was written.").format(task.run_name)
        elif getattr(task, "error", ""):
            text = tr("Run '{0}' failed: {1}").format(task.run_name, task.error)
        else:
            text = tr("Run '{0}' finished: {1} layer(s) added.").format(task.run_name, len(getattr(task, "layers", [])))
            url = getattr(task, "report_url", "")
            if url:
                text += ' <a href="{0}">{1}</a>'.format(url, tr("Open the classification report"))
        self.status_label.setText(text)
        self.validate()

    def confirm_overwrite(self, path: str) -> bool:
        """Ask before replacing an existing output file (Yes replaces it when the run succeeds)."""
        answer = QMessageBox.question(
            self, tr("Replace the output?"),
            tr("{0} already exists. Replace it when the run succeeds?").format(path),
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes

    def running_problem(self, output: str) -> Optional[str]:
        """The reason Run is off while a run for this output goes on."""
        if output and self.running_output(output):
            return tr("A run writing {0} is still going: wait for it, cancel it in the task bar, or choose another "
                      "output file.").format(output)
        return None
