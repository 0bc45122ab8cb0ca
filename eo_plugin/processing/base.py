"""Common base of the SMARTIES algorithms: metadata, dependency check, engine run, result styling."""
from __future__ import annotations

import os
import shutil
from typing import Optional

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterRasterDestination,
)
from qgis.PyQt.QtGui import QIcon

from ..i18n import tr, tr_noop
from . import params
from .help import help_text

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def icon_path() -> Optional[str]:
    """Path of the plugin icon in resources/icons/, or None when it is not shipped."""
    folder = os.path.join(PLUGIN_DIR, "resources", "icons")
    for name in ("smarties.svg", "smarties.png", "icon.svg", "icon.png"):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def missing_dependencies_message(backend: str = "torch") -> str:
    """'' when the engine can run with `backend`; else which packages to install and how."""
    try:
        from eo_plugin import deps
    except ImportError:  # deps.py is optional: fall back to a plain check
        deps = None
    if deps is not None:
        needed = deps.missing()
        if backend == "onnxruntime":
            needed += [d for d in deps.DEPENDENCIES if d.module == "onnxruntime" and not deps.is_installed(d.module)]
        return deps.missing_message(needed) if needed else ""
    import importlib.util

    modules = ["torch", "safetensors"] + (["onnxruntime"] if backend == "onnxruntime" else [])
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if not missing:
        return ""
    command = f"python3 -m pip install --user {' '.join(missing)} \"numpy<2\""
    return tr("SMARTIES needs the Python packages {0} in QGIS's Python. Install them with: {1}").format(
        ", ".join(missing), command)


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Styles a result layer when Processing loads it into the project (GUI runs only)."""

    # Processing does not own post-processors: keep them alive until they ran.
    _alive: dict[str, "StylePostProcessor"] = {}

    def __init__(self, product: str):
        super().__init__()
        self.product = product

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API)
        try:
            from eo_plugin.layers import style_layer
        except ImportError:
            return
        try:
            style_layer(layer, self.product)
        except Exception as err:  # noqa: BLE001 - styling must never fail a finished run
            feedback.reportError(tr("Could not style '{0}': {1}").format(layer.name(), err), False)

    @classmethod
    def attach(cls, context: QgsProcessingContext, path: str, product: str, name: Optional[str] = None) -> None:
        """Register styling for `path` if Processing will load it when the algorithm finishes."""
        if not context.willLoadLayerOnCompletion(path):
            return
        details = context.layerToLoadOnCompletionDetails(path)
        processor = cls(product)
        cls._alive[path] = processor
        details.setPostProcessor(processor)
        if name:
            details.name = name


class SmartiesAlgorithm(QgsProcessingAlgorithm):
    """One SMARTIES product as a Processing algorithm; subclasses add their own parameters."""

    algorithm_id = ""  # Processing id under the 'smarties' provider (API: never translated)
    product = ""  # engine product name (engine.jobs.PRODUCTS)
    title = ""  # display name, marked with tr_noop; displayName() translates it
    output_name = tr_noop("Output")
    needs_model = True

    def name(self) -> str:
        return self.algorithm_id

    def displayName(self) -> str:  # noqa: N802
        return tr(self.title) if self.title else ""

    def group(self) -> str:
        return tr("Foundation model") if self.needs_model else tr("Bands")

    def groupId(self) -> str:  # noqa: N802
        return "model" if self.needs_model else "bands"

    def shortHelpString(self) -> str:  # noqa: N802
        text = help_text(self.algorithm_id)
        from qgis.core import QgsApplication

        if QgsApplication.platform() == "qgis_process":  # printed as is in a terminal: no raw HTML
            from .help import plain_text

            return plain_text(text)
        return text

    def icon(self) -> QIcon:
        path = icon_path()
        return QIcon(path) if path else super().icon()

    def createInstance(self):  # noqa: N802
        return type(self)()

    def initAlgorithm(self, config=None):  # noqa: N802
        params.add_raster_inputs(self, second=self.product == "change")
        self.add_product_parameters()
        params.add_model_parameters(self)
        self.add_outputs()

    def add_product_parameters(self) -> None:
        """Parameters of this product (K, reference, labels...)."""

    def add_outputs(self) -> None:
        """The OUTPUT raster destination (classify adds more)."""
        self.addParameter(QgsProcessingParameterRasterDestination(params.OUTPUT, tr(self.output_name)))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        backend = self.parameterAsEnumString(parameters, params.BACKEND, context) or "torch"
        message = missing_dependencies_message(backend)
        if message:
            raise QgsProcessingException(message)
        job = params.build_job_spec(self, self.product, parameters, context, feedback)
        result = run_engine(job, feedback)
        return self.collect_outputs(job, result, parameters, context, feedback)

    def collect_outputs(self, job, result, parameters, context, feedback) -> dict:
        """Map the engine's output files to this algorithm's outputs and attach styling."""
        path = result.outputs.get(self.product) or job.output
        path = move_output(path, job.output)
        StylePostProcessor.attach(context, path, self.product)
        return {params.OUTPUT: path}


# The engine words some advice for its command line; in Processing the same setting is a parameter.
# Not translated: these phrases are spliced into the engine's (English) error messages.
CLI_TO_PARAMETER = {
    "--sensor": "the Sensor parameter (SENSOR)", "--bands": "the Bands parameter (BANDS)",
    "--model": "the Model parameter (MODEL)", "--window": "the Window parameter (WINDOW)",
    "--overlap": "the Overlap parameter (OVERLAP)", "--device": "the Device parameter (DEVICE)",
    "--backend": "the Backend parameter (BACKEND)", "--extent": "the Extent parameter (EXTENT)",
    "--extrapolate": "the Extrapolate parameter (EXTRAPOLATE)", "--labels": "the Labels parameter (LABELS)",
    "--point": "the Reference point parameter (REFERENCE_POINT)",
    "--reference": "the Reference layer parameter (REFERENCE_LAYER)",
}


def processing_message(message: str) -> str:
    """An engine error message with its command-line flags named as Processing parameters."""
    import re

    return re.sub(r"--[a-z][a-z-]*\b", lambda m: CLI_TO_PARAMETER.get(m.group(0), m.group(0)), message)


def run_engine(job, feedback: QgsProcessingFeedback):
    """engine.jobs.run with progress/cancel wired to the feedback; engine errors become Processing errors."""
    from engine import jobs
    from engine.errors import EngineError, JobCancelled

    last = {"message": None}

    def progress(fraction: float, message: str) -> None:
        feedback.setProgress(100.0 * max(0.0, min(1.0, float(fraction))))
        if message and message != last["message"]:  # per-tile updates repeat the same text
            if last["message"] is None:  # the device line: the estimate above already says the time
                from engine.inference.device_summary import device_line

                message = tr("Runs on: {0}").format(device_line(job.device, job.backend))
            last["message"] = message
            feedback.pushInfo(message)

    feedback.pushInfo(f"SMARTIES {job.product}: {', '.join(p for i in job.inputs for p in i.paths)} -> {job.output}")
    try:
        from engine.preflight import preflight

        from ..dialogs.estimate import estimate_text  # the dialog's words: translated

        feedback.pushInfo(tr("Estimate: {0}").format(estimate_text(preflight(job))))
        result = jobs.run(job, progress=progress, cancel=feedback.isCanceled)
    except JobCancelled as err:
        raise QgsProcessingException(tr("Cancelled: {0}").format(err) if str(err)
                                     else tr("Cancelled; no output was written.")) from err
    except (EngineError, ValueError) as err:
        raise QgsProcessingException(processing_message(str(err))) from err
    except ImportError as err:
        raise QgsProcessingException(f"{err}. {missing_dependencies_message(job.backend)}".strip()) from err
    for key, value in (result.report or {}).items():
        if isinstance(value, (str, int, float, bool)):
            feedback.pushDebugInfo(f"{key}: {value}")
    return result


def move_output(produced: str, wanted: str) -> str:
    """Put an engine output at the path the user chose (no-op when it is already there)."""
    if not produced or os.path.abspath(produced) == os.path.abspath(wanted):
        return wanted
    if not os.path.exists(produced):
        raise QgsProcessingException(tr("The engine reported '{0}' but did not write it.").format(produced))
    os.makedirs(os.path.dirname(os.path.abspath(wanted)) or ".", exist_ok=True)
    tmp = wanted + ".part"  # rename at the end so no half-copied file sits under the final name
    shutil.move(produced, tmp)
    os.replace(tmp, wanted)
    # GDAL side-car files (.aux.xml with statistics/category names) travel with the raster
    for suffix in (".aux.xml", ".ovr"):
        if os.path.exists(produced + suffix):
            shutil.move(produced + suffix, wanted + suffix)
    return wanted
