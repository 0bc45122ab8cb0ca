"""French translation: every plugin string is translated, the .qm compiles, loads and is used."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "i18n"))
import update_ts  # noqa: E402

pytestmark = pytest.mark.qgis


def test_every_plugin_string_has_a_french_translation():
    messages = update_ts.extract(update_ts.source_files())
    assert len(messages) > 50
    translations = update_ts.read_ts(update_ts.TS_FILES["fr"])
    missing = sorted({text for text, _, _ in messages if not translations.get(text)})
    assert not missing, f"untranslated (run python i18n/update_ts.py and translate): {missing}"
    # Placeholders survive translation.
    for text, _, _ in messages:
        for i in range(4):
            assert (f"{{{i}}}" in text) == (f"{{{i}}}" in translations[text]), text


@pytest.fixture
def compiled_qm(tmp_path) -> Path:
    lrelease = shutil.which("lrelease") or ("/usr/lib/qt5/bin/lrelease" if Path("/usr/lib/qt5/bin/lrelease").exists() else None)
    if lrelease is None:
        pytest.skip("lrelease not installed (qttools5-dev-tools)")
    qm = tmp_path / "smarties_fr.qm"
    subprocess.run([lrelease, "-silent", str(update_ts.TS_FILES["fr"]), "-qm", str(qm)], check=True)
    return tmp_path


def test_french_locale_translates_the_dialog(compiled_qm, qgis_iface, qgis_new_project, qtbot):
    from eo_plugin.i18n import install_translator, remove_translator, tr

    assert install_translator("en_GB", str(compiled_qm)) is None
    translator = install_translator("fr_FR", str(compiled_qm))
    assert translator is not None
    try:
        assert tr("Run") == "Exécuter"
        from eo_plugin.dialogs.main_dialog import SmartiesDialog

        dlg = SmartiesDialog(qgis_iface)
        qtbot.addWidget(dlg)
        assert dlg.run_button.text() == "Exécuter"
        assert dlg.windowTitle() == "SMARTIES - modèle de fondation spectral"
        assert "Choisissez une couche raster d'entrée." in dlg.validation_label.text()
    finally:
        remove_translator(translator)
    assert tr("Run") == "Run"


def test_plugin_loads_translator_from_qgis_locale(compiled_qm, qgis_iface, monkeypatch):
    from qgis.core import QgsSettings

    from eo_plugin import i18n

    monkeypatch.setattr(i18n, "PLUGIN_DIR", str(compiled_qm.parent))
    (compiled_qm.parent / "i18n").mkdir(exist_ok=True)
    shutil.copy(compiled_qm / "smarties_fr.qm", compiled_qm.parent / "i18n" / "smarties_fr.qm")
    settings = QgsSettings()
    old = settings.value("locale/userLocale", "")
    settings.setValue("locale/userLocale", "fr_CA")
    try:
        from eo_plugin.plugin import SmartiesPlugin

        plugin = SmartiesPlugin(qgis_iface)
        assert plugin.translator is not None
        assert i18n.tr("Model") == "Modèle"
        i18n.remove_translator(plugin.translator)
    finally:
        settings.setValue("locale/userLocale", old)
    assert i18n.tr("Model") == "Model"


def test_french_locale_translates_the_processing_provider(compiled_qm, qgis_processing):
    """Display texts of the Processing algorithms are French; ids, parameter names and output keys are not."""
    from qgis.core import QgsApplication

    from eo_plugin.i18n import install_translator, remove_translator
    from eo_plugin.processing.embeddings import EmbeddingsAlgorithm
    from eo_plugin.processing.provider import register_provider, unregister_provider

    translator = install_translator("fr_FR", str(compiled_qm))
    assert translator is not None
    try:
        provider = register_provider()  # as in QGIS: the plugin installs its translator before initProcessing
        alg = QgsApplication.processingRegistry().createAlgorithmById("smarties:embeddings")
        assert alg is not None
        assert alg.name() == "embeddings" and alg.id() == "smarties:embeddings"
        assert alg.displayName() == "Plongements" and alg.group() == "Modèle de fondation"
        assert alg.groupId() == "model"
        assert alg.parameterDefinition("EXTENT").description() == "Traiter uniquement cette emprise"
        assert alg.parameterDefinition("WINDOW").description() == "Taille de la fenêtre en pixels (multiple de 16)"
        assert "Plongements" in alg.outputDefinition("OUTPUT").description()
        assert "Inspecter les bandes" in alg.shortHelpString() and "634-696nm" in alg.shortHelpString()
        names = [p.name() for p in alg.parameterDefinitions()]
        assert {"INPUT", "SENSOR", "BANDS", "MODEL", "EXTENT", "WINDOW", "OUTPUT"} <= set(names)
        # enum values are API too (SENSOR=detect, DEVICE=auto): never translated
        assert alg.parameterDefinition("DEVICE").options() == ["auto", "cpu", "cuda"]
        by_id = {a.name(): a for a in provider.algorithms()}
        assert by_id["inspect_bands"].displayName() == "Inspecter les bandes"
        assert by_id["inspect_bands"].group() == "Bandes" and by_id["inspect_bands"].groupId() == "bands"
        similarity = QgsApplication.processingRegistry().createAlgorithmById("smarties:similarity")
        ok, message = similarity.checkParameterValues({"INPUT": "x.tif"}, None)
        assert not ok and message.startswith("Indiquez une référence")
    finally:
        unregister_provider()
        remove_translator(translator)
    assert EmbeddingsAlgorithm().displayName() == "Embeddings"


def _estimate(**kw):
    from engine.preflight import Estimate

    values = dict(windows=3, input_sizes=[[120, 120]], token_grids=[[8, 8]], embed_dim=768, bands=[4],
                  seconds=240.0, seconds_source="model", peak_memory_bytes=3 << 29, available_memory_bytes=8 << 30,
                  output_bytes=5 << 20, free_disk_bytes=100 << 30, device="cpu",
                  notes=["embeddings rasters as input: no model run"])
    values.update(kw)
    return Estimate(**values)


def test_estimate_text_is_the_engine_line_in_english_and_french(compiled_qm):
    from eo_plugin.dialogs.estimate import estimate_text
    from eo_plugin.i18n import install_translator, remove_translator

    for kw in ({}, {"seconds": 0.2, "seconds_source": "measured"}, {"seconds": 3 * 86400.0}):
        assert estimate_text(_estimate(**kw)) == _estimate(**kw).text()  # no translator: the engine's words
    translator = install_translator("fr_FR", str(compiled_qm))
    try:
        assert estimate_text(_estimate()) == ("3 fenêtre(s) sur une entrée de 120x120 px, environ 4.0 min sur cpu "
                                              "(approximatif), mémoire maximale ~1.5 Gio sur 8.0 Gio disponibles, "
                                              "sortie ~5.0 Mio")
        assert "moins de 1 s sur cpu (mesuré)" in estimate_text(_estimate(seconds=0.2, seconds_source="measured"))
        assert "environ 3.0 jours" in estimate_text(_estimate(seconds=3 * 86400.0))
    finally:
        remove_translator(translator)


def test_french_estimate_button_text(compiled_qm, qgis_iface, qgis_new_project, qtbot, tmp_path):
    from qgis.core import QgsProject, QgsRasterLayer

    from eo_plugin.dialogs.main_dialog import SmartiesDialog
    from eo_plugin.i18n import install_translator, remove_translator
    from plugin_helpers import s2_like

    layer = QgsRasterLayer(str(s2_like(tmp_path / "scene.tif", size=120)), "scene", "gdal")
    QgsProject.instance().addMapLayer(layer)
    translator = install_translator("fr_FR", str(compiled_qm))
    try:
        dlg = SmartiesDialog(qgis_iface)
        qtbot.addWidget(dlg)
        dlg.layer_combo.setLayer(layer)
        dlg.output_file.setFilePath(str(tmp_path / "out.tif"))
        dlg.device_combo.setCurrentIndex(dlg.device_combo.findData("cpu"))
        assert dlg.validate(), dlg.validation_label.text()
        dlg.estimate_button.click()
        shown = dlg.estimate_label.text()
        assert shown.startswith("Estimation : ") and "fenêtre(s) sur une entrée de 120x120 px, " in shown, shown
        assert " sur cpu (mesuré)" in shown or " sur cpu (approximatif)" in shown, shown
        assert "mémoire maximale ~" in shown and " disponibles, sortie ~" in shown and "io" in shown, shown
        for english in ("window", "input", "about", "peak memory", "available", "output", "iB"):
            assert english not in shown, (english, shown)
    finally:
        remove_translator(translator)


def test_french_model_scale_line(compiled_qm):
    """The fidelity box's scale line is the engine's describe(), composed in the user's language."""
    from engine.inference.scale import describe

    from eo_plugin.i18n import install_translator, remove_translator
    from eo_plugin.widgets.fidelity_box import scale_text

    assert scale_text(1.0) == describe(1.0) and scale_text(224 / 120) == describe(224 / 120)  # English: the same
    translator = install_translator("fr_FR", str(compiled_qm))
    try:
        assert scale_text(1.0) == "échelle du modèle : native (x1)"
        assert scale_text(224 / 120) == "échelle du modèle : x1.87, environ 3.5x le calcul"
    finally:
        remove_translator(translator)
