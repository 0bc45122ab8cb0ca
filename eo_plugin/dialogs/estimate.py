"""The Estimate button of the Advanced section: engine.preflight's pre-run estimate before Run.

add_estimate_button puts the button at the right end of the device line, add_estimate_line its answer's label
(left of Run and Close). show_estimate builds the job the Run button would build and
shows the estimate in the plugin's words (estimate_text: the line of preflight(job).text(), translated,
and its notes), or the one-line reason it is refused in the dialog's error colour. The label empties
whenever the dialog re-validates (inputs changed, a run ended), so an estimate on screen always belongs
to the settings shown.
"""
from __future__ import annotations

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton

from ..i18n import tr, tr_noop
from ..widgets.wrapped_line import WrappedLine

ERROR_STYLE = "QLabel { color: #b00020; }"  # the validation label's colour
# Units of engine.preflight.format_bytes / format_duration, shown translated
UNITS = {
    "B": tr_noop("B"), "KiB": tr_noop("KiB"), "MiB": tr_noop("MiB"), "GiB": tr_noop("GiB"), "TiB": tr_noop("TiB"),
    "PiB": tr_noop("PiB"), "s": tr_noop("s"), "min": tr_noop("min"), "h": tr_noop("h"), "days": tr_noop("days"),
    "months": tr_noop("months"), "years": tr_noop("years"),
}
# engine.preflight's notes without numbers in them, shown translated (others as the engine wrote them)
NOTES = (
    tr_noop("embeddings rasters as input: no model run"),
    tr_noop("this run would take more than a month; check --resolution, --extent and --window"),
)


def add_estimate_button(row: QHBoxLayout, dialog) -> None:
    """The Estimate button, at the right end of the device line (top-aligned when the line wraps)."""
    button = QPushButton(tr("Estimate"))
    button.setToolTip(tr("Windows, time (one window measured with the chosen model and device), peak memory "
                         "and output size of a run with these settings, without running it"))
    button.setObjectName("smartiesEstimateButton")
    row.addWidget(button, 0, Qt.AlignRight | Qt.AlignTop)
    dialog.estimate_button = button
    button.clicked.connect(lambda *_: show_estimate(dialog))


def add_estimate_line(row: QHBoxLayout, dialog) -> None:
    """The label that shows the Estimate button's answer, left of Run and Close (hidden while empty)."""
    label = WrappedLine()  # its lines count in the dialog's minimum height (none hidden under Run)
    label.setObjectName("smartiesEstimateLine")
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.setVisible(False)
    row.addWidget(label, 1)
    dialog.estimate_label = label


def clear_estimate(dialog) -> None:
    """Forget the shown estimate (the settings it was made for changed)."""
    label = getattr(dialog, "estimate_label", None)
    if label is not None and label.text():
        label.clear()
        label.setVisible(False)


def _show(label: QLabel, text: str, error: bool) -> None:
    label.setStyleSheet(ERROR_STYLE if error else "")
    label.setText(text)
    label.setVisible(True)


def show_estimate(dialog) -> str:
    """Estimate the run the Run button would start; show and return the text (or why there is none)."""
    label = dialog.estimate_label
    if not dialog.validate():  # the same checks as Run: incomplete inputs are named, no job is built
        problems = dialog.problems()
        reason = problems[0] if problems else tr("the settings are not complete")
        text = tr("No estimate: {0}").format(reason)
        _show(label, text, error=True)
        return text
    from engine.errors import EngineError
    from engine.preflight import preflight

    QApplication.setOverrideCursor(Qt.WaitCursor)  # one window goes through the model (ms to seconds)
    try:
        estimate = preflight(dialog.build_job())
    except (EngineError, ValueError, OSError) as err:  # settings refused: the engine's one-line message
        text = tr("No estimate: {0}").format(err)
        _show(label, text, error=True)
        return text
    except Exception as err:  # noqa: BLE001 - an estimate must never break the dialog
        text = tr("The estimate failed ({0}): {1}").format(type(err).__name__, err)
        _show(label, text, error=True)
        return text
    finally:
        QApplication.restoreOverrideCursor()
    text = tr("Estimate: {0}").format(estimate_text(estimate))
    if estimate.notes:
        text += "\n" + "\n".join(tr("Note: {0}").format(tr(note) if note in NOTES else note)
                                  for note in estimate.notes)
    _show(label, text, error=False)
    return text


def _amount(text: str) -> str:
    """'4.0 min' / '1.5 GiB' (engine.preflight's formats) with the unit translated."""
    number, _, unit = text.partition(" ")
    return f"{number} {tr(UNITS[unit])}" if unit in UNITS else text


def estimate_text(estimate) -> str:
    """engine.preflight.Estimate.text(), composed here so that every word of it is translated."""
    from engine.preflight import format_bytes, format_duration

    if estimate.seconds < 1:
        duration = tr("under 1 s")
    else:
        duration = tr("about {0}").format(_amount(format_duration(estimate.seconds)))
    how = tr("measured") if estimate.seconds_source == "measured" else tr("rough")
    return tr("{0} window(s) of {1} px input, {2} on {3} ({4}), peak memory ~{5} of {6} available, "
              "output ~{7}").format(estimate.windows, "x".join(str(s) for s in estimate.input_sizes[0]), duration,
                                    estimate.device, how, _amount(format_bytes(estimate.peak_memory_bytes)),
                                    _amount(format_bytes(estimate.available_memory_bytes)),
                                    _amount(format_bytes(estimate.output_bytes)))
