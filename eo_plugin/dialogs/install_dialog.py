"""The installer window (pip output live, command shown, restart prompt) and "Check installation"."""
from __future__ import annotations

from typing import Optional

from qgis.PyQt.QtCore import QProcess, QProcessEnvironment, Qt
from qgis.PyQt.QtGui import QFontDatabase, QGuiApplication
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from .. import installer
from ..i18n import tr


def _mono(edit: QPlainTextEdit) -> QPlainTextEdit:
    edit.setReadOnly(True)
    edit.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
    return edit


class InstallDialog(QDialog):
    """Runs an InstallPlan with QProcess (the GUI stays responsive) and shows pip's output as it comes."""

    def __init__(self, plan: installer.InstallPlan, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("SMARTIES: install Python packages"))
        self.setObjectName("smartiesInstallDialog")
        self.plan = plan
        self.exit_code: Optional[int] = None
        self.restart_box: Optional[QMessageBox] = None
        layout = QVBoxLayout(self)
        what = QLabel("\n".join(["• " + n for n in plan.notes]))
        what.setWordWrap(True)
        layout.addWidget(what)
        layout.addWidget(QLabel(tr("Command (to run it yourself, first write {0} with: {1}):").format(
            plan.constraints, "; ".join(plan.constraint_lines))))
        self.command = _mono(QPlainTextEdit(plan.command_text()))
        self.command.setMaximumHeight(80)
        layout.addWidget(self.command)
        layout.addWidget(QLabel(tr("Output")))
        self.output = _mono(QPlainTextEdit())
        self.output.setMinimumSize(640, 240)
        layout.addWidget(self.output)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.install_button = self.buttons.addButton(tr("Install"), QDialogButtonBox.AcceptRole)
        copy = self.buttons.addButton(tr("Copy command"), QDialogButtonBox.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.plan.command_text()))
        self.install_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.MergedChannels)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("PYTHONUNBUFFERED", "1")
        env.insert("PIP_NO_INPUT", "1")
        self.process.setProcessEnvironment(env)
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._failed_to_start)

    def start(self) -> None:
        """Write the constraints file and start pip."""
        self.install_button.setEnabled(False)
        self.exit_code = None
        installer.write_constraints(self.plan)
        self.output.appendPlainText("$ " + self.plan.command_text())
        self.status.setText(tr("Installing… (this can take several minutes; PyTorch is a large download)"))
        self.process.start(self.plan.args[0], self.plan.args[1:])

    def _read(self) -> None:
        text = bytes(self.process.readAllStandardOutput()).decode("utf-8", "replace")
        for line in text.splitlines():
            self.output.appendPlainText(line)

    def _failed_to_start(self, error) -> None:
        if error == QProcess.FailedToStart:
            self.status.setText(tr("Could not start {0}; run the command above in a terminal.").format(
                self.plan.args[0]))
            self.exit_code = -1
            self.install_button.setEnabled(True)

    def _finished(self, code: int, _status=None) -> None:
        self._read()
        self.exit_code = int(code)
        self.install_button.setEnabled(True)
        if code != 0:
            self.status.setText(tr("pip stopped with exit code {0}; the output above says why. Nothing in "
                                   "QGIS's own packages was changed.").format(code))
            return
        installer.activate(self.plan.target)
        self.status.setText(tr("Installed into {0}. Restart QGIS so every part of the plugin uses the new "
                               "packages.").format(self.plan.target))
        self.restart_box = QMessageBox(QMessageBox.Information, tr("SMARTIES: restart QGIS"),
                                       tr("The packages are installed. Restart QGIS now to use them?"),
                                       QMessageBox.Yes | QMessageBox.No, self)
        self.restart_box.setModal(False)
        self.restart_box.buttonClicked.connect(self._restart_answer)
        self.restart_box.show()

    def _restart_answer(self, button) -> None:
        if self.restart_box.standardButton(button) == QMessageBox.Yes:
            try:
                from qgis.utils import iface

                iface.actionExit().trigger()  # QGIS asks to save the project first
            except Exception:  # noqa: BLE001 - no main window (tests, qgis_process)
                pass


class DiagnosticsDialog(QDialog):
    """What this QGIS can import, versions, where each package comes from, and why no GPU is used."""

    COLUMNS = ("package", "state", "version", "from")

    def __init__(self, parent=None, report: Optional[dict] = None):
        super().__init__(parent)
        self.setWindowTitle(tr("SMARTIES: check installation"))
        self.setObjectName("smartiesDiagnosticsDialog")
        self.report = report or installer.diagnostics()
        layout = QVBoxLayout(self)
        rows = self.report["packages"]
        self.table = QTableWidget(len(rows), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([tr("Package"), tr("State"), tr("Version"), tr("From")])
        for i, r in enumerate(rows):
            state = tr("importable") if r.importable else (tr("broken") if r.location else tr("missing"))
            origin = (tr("plugin folder") if r.private else tr("QGIS")) + (f": {r.location}" if r.location else "")
            for j, text in enumerate((r.module, state, r.version, origin if r.location else r.error)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                if r.error:
                    item.setToolTip(r.error)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        self.text = _mono(QPlainTextEdit(installer.diagnostics_text(self.report)))
        self.text.setMinimumSize(640, 200)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        copy = buttons.addButton(tr("Copy"), QDialogButtonBox.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
