"""SmartiesPlugin: Raster menu entry, toolbar icon, Processing provider, dialog and tasks."""
from __future__ import annotations

import os
from typing import Optional

from qgis.core import Qgis, QgsApplication, QgsMessageLog
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMessageBox

from . import deps
from .install_actions import add_check_action, add_install_button, remove_check_action
from .i18n import PLUGIN_DIR, install_translator, remove_translator, tr

ICON_PATH = os.path.join(PLUGIN_DIR, "resources", "icons", "smarties.png")
LOG_TAG = "SMARTIES"


class SmartiesPlugin:
    """The object QGIS creates via classFactory; owns everything it adds to the GUI."""

    def __init__(self, iface):
        self.iface = iface
        self.translator = install_translator()
        self.action: Optional[QAction] = None
        self.toolbar = None
        self.provider = None
        self.dialog = None
        self.tasks: list = []  # keep Python references until each task has finished
        self._deps_box: Optional[QMessageBox] = None
        self.check_action = self.install_dialog = self.diagnostics_dialog = None  # eo_plugin.install_actions
        self.menu_title = tr("&SMARTIES")

    # --------------------------------------------------------------------------- lifecycle ----
    def initProcessing(self) -> None:  # noqa: N802 (QGIS API)
        """Register the Processing provider when its module is present (loads without torch)."""
        try:
            from .processing.provider import register_provider
        except ImportError as exc:
            QgsMessageLog.logMessage(tr("Processing provider not available: {0}").format(exc), LOG_TAG, Qgis.Warning)
            return
        try:
            self.provider = register_provider()
        except Exception as exc:  # noqa: BLE001 - the dialog still works without the toolbox
            QgsMessageLog.logMessage(tr("Processing provider not registered: {0}").format(exc), LOG_TAG,
                                     Qgis.Warning)

    def initGui(self) -> None:  # noqa: N802 (QGIS API)
        """Add the Raster menu entry and toolbar icon, then the Processing provider."""
        self.action = QAction(QIcon(ICON_PATH), tr("SMARTIES - spectral foundation model…"),
                              self.iface.mainWindow())
        self.action.setObjectName("smartiesRunAction")
        self.action.setToolTip(tr("Embeddings, PCA, clusters, similarity, change or classification maps from "
                                  "any multispectral or SAR raster"))
        self.action.triggered.connect(self.show_dialog)
        self.iface.addPluginToRasterMenu(self.menu_title, self.action)
        self.check_action = add_check_action(self)
        self.toolbar = self.iface.addToolBar(tr("SMARTIES"))
        self.toolbar.setObjectName("smartiesToolbar")
        self.toolbar.addAction(self.action)
        self.initProcessing()

    def unload(self) -> None:
        """Remove everything initGui added: menu entry, toolbar, provider, dialog, map tools."""
        for task in list(self.tasks):
            try:
                task.cancel()
            except RuntimeError:  # already deleted by the task manager
                pass
        if self._deps_box is not None:
            self._deps_box.close()
            self._deps_box.deleteLater()
            self._deps_box = None
        remove_check_action(self, getattr(self, "check_action", None))
        self.check_action = None
        if self.dialog is not None:
            self.dialog.release_map_tools()
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        if self.provider is not None:
            try:
                from .processing.provider import unregister_provider

                unregister_provider()
            except ImportError:
                QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.action is not None:
            self.iface.removePluginRasterMenu(self.menu_title, self.action)
            self.iface.removeToolBarIcon(self.action)
            if self.toolbar is not None:
                self.toolbar.removeAction(self.action)
            self.action.deleteLater()
            self.action = None
        if self.toolbar is not None:
            try:
                self.iface.mainWindow().removeToolBar(self.toolbar)
            except (AttributeError, TypeError):  # stub interfaces without a real main window
                pass
            self.toolbar.hide()
            self.toolbar.setParent(None)
            self.toolbar.deleteLater()
            self.toolbar = None
        remove_translator(self.translator)
        self.translator = None

    # ------------------------------------------------------------------------------ actions ---
    def show_dialog(self) -> None:
        """Open (or raise) the main dialog; explain missing packages first."""
        missing = deps.missing()
        if missing:
            self.show_missing_dependencies(missing)
        if self.dialog is None:
            from .dialogs.main_dialog import SmartiesDialog

            self.dialog = SmartiesDialog(self.iface, self.iface.mainWindow())
            self.dialog.runRequested.connect(self.start_job)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def show_missing_dependencies(self, missing=None) -> QMessageBox:
        """Non-blocking message box naming the missing packages and the exact install command."""
        text = deps.missing_message(missing)
        if self._deps_box is not None:
            self._deps_box.close()
        box = QMessageBox(QMessageBox.Warning, tr("SMARTIES: missing Python packages"), text,
                          QMessageBox.Ok, self.iface.mainWindow())
        box.setTextInteractionFlags(Qt.TextSelectableByMouse)  # so users can copy the command
        add_install_button(self, box, missing or deps.missing())
        box.setModal(False)
        box.show()
        self._deps_box = box
        QgsMessageLog.logMessage(text, LOG_TAG, Qgis.Warning)
        return box

    def start_job(self, job, run_name: str):
        """Run a JobSpec as a background task; result layers are added when it finishes."""
        from .tasks import SmartiesTask, start

        missing = deps.missing()
        if missing:
            self.show_missing_dependencies(missing)
            if self.dialog is not None:
                self.dialog.run_not_started(job)
            return None
        task = SmartiesTask(job, run_name, iface=self.iface, on_done=self._task_done)
        self.tasks.append(task)
        if self.dialog is not None:
            self.dialog.watch_task(task)  # progress, stage and time left in the dialog
        return start(task)

    def _task_done(self, task) -> None:
        if task in self.tasks:
            self.tasks.remove(task)
        if self.dialog is not None:
            self.dialog.task_done(task)
