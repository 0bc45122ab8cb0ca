"""Plugin hooks of the installer: the "Install…" button of the missing-packages notice and the
"Check installation…" menu entry (kept here so plugin.py only calls them)."""
from __future__ import annotations

from typing import Optional

from qgis.PyQt.QtWidgets import QAction, QMessageBox

from . import deps
from .i18n import tr


def open_installer(parent=None, missing: Optional[list] = None):
    """Show the installer for the missing packages (all engine packages when none are named)."""
    from . import installer
    from .dialogs.install_dialog import InstallDialog

    packages = list(missing) if missing else list(deps.DEPENDENCIES)
    if any(d.module == "sklearn" for d in packages) or any(d.module == "torch" for d in packages):
        # optional packages that share the same pins come along, so one install covers every feature
        packages += [d for d in deps.DEPENDENCIES if d not in packages and not d.required]
    dialog = InstallDialog(installer.plan_install(packages), parent)
    dialog.show()
    return dialog


def open_diagnostics(parent=None):
    """Show "Check installation" (imports each package, so it may take a few seconds)."""
    from .dialogs.install_dialog import DiagnosticsDialog

    dialog = DiagnosticsDialog(parent)
    dialog.show()
    return dialog


def add_install_button(plugin, box: QMessageBox, missing) -> None:
    """An "Install…" button on the missing-packages notice that opens the installer."""
    box.setInformativeText(tr("Or press Install…: the plugin runs pip for you into a folder of its own "
                              "(QGIS's packages stay as they are), shows its output and asks to restart QGIS."))
    button = box.addButton(tr("Install…"), QMessageBox.ActionRole)
    button.setObjectName("smartiesInstallButton")
    # ActionRole buttons do not close the box; keep the dialog referenced on the plugin
    button.clicked.connect(lambda: setattr(plugin, "install_dialog", open_installer(plugin.iface.mainWindow(),
                                                                                     missing)))


def add_check_action(plugin) -> QAction:
    """Raster menu entry "Check installation…" (versions, where packages come from, why no GPU)."""
    action = QAction(tr("SMARTIES - check installation…"), plugin.iface.mainWindow())
    action.setObjectName("smartiesCheckInstallation")
    action.triggered.connect(lambda: setattr(plugin, "diagnostics_dialog",
                                             open_diagnostics(plugin.iface.mainWindow())))
    plugin.iface.addPluginToRasterMenu(plugin.menu_title, action)
    return action


def remove_check_action(plugin, action: Optional[QAction]) -> None:
    if action is not None:
        plugin.iface.removePluginRasterMenu(plugin.menu_title, action)
        action.deleteLater()
    for name in ("install_dialog", "diagnostics_dialog"):
        dialog = getattr(plugin, name, None)
        if dialog is not None:
            dialog.close()
            setattr(plugin, name, None)
