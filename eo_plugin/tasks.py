"""Background run of one job as a QgsTask; the worker thread only sees file paths, never layers."""
from __future__ import annotations

import os
import time
import traceback
from typing import Callable, Optional

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProject, QgsTask
from qgis.PyQt.QtCore import QUrl, pyqtSignal

from .i18n import tr
from .layers import add_result_layers

LOG_TAG = "SMARTIES"


def format_eta(seconds: float) -> str:
    """'about 40 s left', 'about 3 min left', 'about 1 h 10 min left'."""
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return tr("about {0} s left").format(max(5, int(round(seconds / 5.0)) * 5))
    minutes = int(round(seconds / 60.0))
    if minutes < 60:
        return tr("about {0} min left").format(minutes)
    return tr("about {0} h {1} min left").format(minutes // 60, minutes % 60)


def stage_text(message: str) -> str:
    """An engine stage message in the user's language ('window 112 of 192' -> 'fenêtre 112 sur 192')."""
    import re

    m = re.fullmatch(r"window (\d+) of (\d+)", message or "")
    if m:
        return tr("window {0} of {1}").format(m.group(1), m.group(2))
    m = re.fullmatch(r"(\d+) windows done", message or "")
    if m:
        return tr("{0} windows done").format(m.group(1))
    known = {"reading band information": tr("reading band information"),
             "normalisation statistics": tr("normalisation statistics"),
             "resampling to the input grid": tr("resampling to the input grid"), "done": tr("done"),
             "writing class and confidence rasters": tr("writing class and confidence rasters")}
    if message in known:
        return known[message]
    if (message or "").startswith("computing "):
        return tr("computing {0}").format(message[len("computing "):])
    return message or ""


class SmartiesTask(QgsTask):
    """Runs engine.jobs.run(job) off the GUI thread; finished() adds the styled result layers."""

    # Stage message with a time estimate ("window 112 of 192 - about 2 min left"); emitted from the
    # worker thread, delivered on the GUI thread (queued) to the dialog's progress display.
    stageChanged = pyqtSignal(str)

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
        self._started = None
        self.report_url = ""
        # Decided here (GUI thread) so cleanup after a cancel never deletes a file the user had.
        self._output_existed = os.path.exists(job.output)

    # --- worker thread -----------------------------------------------------------------------
    def run(self) -> bool:  # noqa: D401 (QgsTask API)
        """Run the job; only engine calls and file paths here (no layers, project or widgets)."""
        from engine import jobs as engine_jobs  # looked up at run time so tests can patch run()
        from engine.errors import EngineError, JobCancelled

        self._started = time.monotonic()
        try:
            missing = [p for inp in self.job.inputs for p in inp.paths if not os.path.exists(p.split("|")[0])]
            if missing:
                self.error = tr("File not found: {0}. Was it moved or deleted? Choose the layer again.").format(missing[0])
                return False
            self.result = engine_jobs.run(self.job, progress=self._progress, cancel=self.isCanceled)
            return True
        except JobCancelled:
            self.was_cancelled = True
            # A cancel is not a failure: returning True keeps QGIS from announcing "Task failed";
            # finished() says it was cancelled and that nothing was written.
            return True
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
        fraction = max(0.0, min(1.0, float(fraction)))
        text = stage_text(message)
        elapsed = time.monotonic() - self._started if self._started is not None else 0.0
        if 0.05 <= fraction < 1.0 and elapsed > 2.0:
            text = f"{text} — {format_eta(elapsed * (1.0 - fraction) / fraction)}" if text else format_eta(
                elapsed * (1.0 - fraction) / fraction)
        self.status_message = text
        self.setProgress(100.0 * fraction)
        self.stageChanged.emit(text)

    def cancel(self) -> None:  # noqa: D401 (QgsTask API) - called on the GUI thread
        """Ask the run to stop; the task bar then names the run as cancelled."""
        self.setDescription(tr("SMARTIES: {0} (cancelled)").format(self.run_name))
        super().cancel()

    # --- GUI thread --------------------------------------------------------------------------
    def finished(self, ok: bool) -> None:  # noqa: D401 (QgsTask API)
        """Add result layers, or report the error / cancel; called on the GUI thread."""
        try:
            if ok and self.result is not None and not self.was_cancelled:
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
        report_file = outputs.get("report")
        if report_file and os.path.isfile(report_file):
            url = QUrl.fromLocalFile(report_file).toString()
            text += " " + "<a href=\"{0}\">{1}</a>".format(url, tr("Open the classification report"))
            self.report_url = url
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
