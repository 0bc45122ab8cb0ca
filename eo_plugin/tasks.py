"""Background run of one job as a QgsTask; the worker thread only sees file paths, never layers."""
from __future__ import annotations

import os
import traceback
from typing import Callable, Optional

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProject, QgsTask

from .i18n import tr
from .layers import add_result_layers

LOG_TAG = "SMARTIES"


class SmartiesTask(QgsTask):
    """Runs engine.jobs.run(job) off the GUI thread; finished() adds the styled result layers."""

    def __init__(self, job, run_name: str, iface=None, project: Optional[QgsProject] = None,
                 on_done: Optional[Callable[["SmartiesTask"], None]] = None):
        super().__init__(tr("SMARTIES: {0}").format(run_name), QgsTask.CanCancel)
        self.job = job
        self.run_name = run_name
        self.iface = iface
        self.project = project
        self.on_done = on_done
        self.result = None
        self.error: str = ""
        self.detail: str = ""
        self.was_cancelled = False
        self.layers: list = []
        self.status_message = ""
        # Decided here (GUI thread) so cleanup after a cancel never deletes a file the user had.
        self._output_existed = os.path.exists(job.output)

    # --- worker thread -----------------------------------------------------------------------
    def run(self) -> bool:  # noqa: D401 (QgsTask API)
        """Run the job; only engine calls and file paths here (no layers, project or widgets)."""
        from engine import jobs as engine_jobs  # looked up at run time so tests can patch run()
        from engine.errors import EngineError, JobCancelled

        try:
            self.result = engine_jobs.run(self.job, progress=self._progress, cancel=self.isCanceled)
            return True
        except JobCancelled:
            self.was_cancelled = True
        except EngineError as exc:
            self.error = str(exc)
            self.detail = traceback.format_exc()
        except MemoryError:
            self.error = tr("Out of memory: lower the batch size or the window size in Advanced settings.")
            self.detail = traceback.format_exc()
        except Exception as exc:  # noqa: BLE001 - anything else is a bug; report it in full
            self.error = tr("Unexpected error: {0}").format(exc)
            self.detail = traceback.format_exc()
        return False

    def _progress(self, fraction: float, message: str = "") -> None:
        self.status_message = message
        self.setProgress(max(0.0, min(100.0, 100.0 * float(fraction))))

    # --- GUI thread --------------------------------------------------------------------------
    def finished(self, ok: bool) -> None:  # noqa: D401 (QgsTask API)
        """Add result layers, or report the error / cancel; called on the GUI thread."""
        try:
            if ok and self.result is not None:
                self._add_layers()
            elif self.was_cancelled or self.isCanceled():
                self.was_cancelled = True
                self._remove_partial_output()
                self._message(tr("Run '{0}' cancelled; no output was written.").format(self.run_name),
                              Qgis.Info)
            else:
                self._remove_partial_output()
                error = self.error or tr("The run stopped without a message.")
                QgsMessageLog.logMessage(f"{self.run_name}: {error}\n{self.detail}", LOG_TAG, Qgis.Critical)
                self._message(tr("Run '{0}' failed: {1} (details in the Log Messages panel, tab "
                                 "SMARTIES)").format(self.run_name, error), Qgis.Critical)
        finally:
            if self.on_done is not None:
                self.on_done(self)

    def _add_layers(self) -> None:
        outputs = dict(self.result.outputs)
        self.layers = add_result_layers(outputs, self.run_name, self.project or QgsProject.instance())
        report = getattr(self.result, "report", {}) or {}
        QgsMessageLog.logMessage(f"{self.run_name}: outputs {outputs}; report {report}", LOG_TAG, Qgis.Info)
        text = tr("Run '{0}' finished: {1} layer(s) added.").format(self.run_name, len(self.layers))
        shown = {lyr.source() for lyr in self.layers}
        others = [p for p in outputs.values() if p and p not in shown and os.path.exists(p)]
        if others:  # reports, saved classifier heads: say where they are
            text += " " + tr("Other files: {0}").format(", ".join(others))
        self._message(text, Qgis.Success)

    def _remove_partial_output(self) -> None:
        # The engine writes to a temporary name and renames at the end; this only guards against a
        # final file appearing anyway (e.g. an engine bug) so a cancel never leaves a half file.
        if not self._output_existed and os.path.exists(self.job.output):
            try:
                os.remove(self.job.output)
            except OSError:
                pass

    def _message(self, text: str, level) -> None:
        QgsMessageLog.logMessage(text, LOG_TAG, level)
        if self.iface is not None:
            try:
                self.iface.messageBar().pushMessage(tr("SMARTIES"), text, level=level,
                                                    duration=0 if level == Qgis.Critical else 8)
            except Exception:  # noqa: BLE001 - a missing message bar must not lose the result
                pass


def start(task: SmartiesTask) -> SmartiesTask:
    """Hand the task to QGIS's task manager (progress shows in the status bar)."""
    QgsApplication.taskManager().addTask(task)
    return task
