"""Translation helpers: one context for every plugin string, French loaded from i18n/*.qm."""
from __future__ import annotations

import os
from typing import Optional

from qgis.PyQt.QtCore import QCoreApplication, QTranslator

CONTEXT = "smarties"
PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tr(text: str) -> str:
    """Translate a user-facing string in the plugin's single translation context."""
    return QCoreApplication.translate(CONTEXT, text)


def tr_noop(text: str) -> str:
    """Mark a string for translation where it is defined; tr() translates it where it is shown."""
    return text


def user_locale() -> str:
    """The QGIS UI locale (QgsSettings locale/userLocale), e.g. 'fr_FR'; '' when unset."""
    from qgis.core import QgsSettings

    value = QgsSettings().value("locale/userLocale", "")
    return str(value or "")


def install_translator(locale: Optional[str] = None, qm_dir: Optional[str] = None) -> Optional[QTranslator]:
    """Load and install the .qm file for the locale when one ships (French); return it or None."""
    locale = user_locale() if locale is None else locale
    if not locale:
        return None
    lang = locale[:2].lower()
    qm = os.path.join(qm_dir or os.path.join(PLUGIN_DIR, "i18n"), f"smarties_{lang}.qm")
    if not os.path.isfile(qm):
        return None
    translator = QTranslator()
    if not translator.load(qm):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: Optional[QTranslator]) -> None:
    """Uninstall a translator installed by install_translator."""
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
