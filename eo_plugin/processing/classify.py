"""Processing algorithm: land-cover classification trained from a labelled vector layer."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputFile,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
)

from ..i18n import tr, tr_noop
from . import params
from .base import StylePostProcessor, SmartiesAlgorithm, move_output
from .reports import html_page, jsonable, write_text

OUTPUT_CONFIDENCE = "OUTPUT_CONFIDENCE"
OUTPUT_REPORT = "OUTPUT_REPORT"
OUTPUT_HEAD = "OUTPUT_HEAD"


class ClassifyAlgorithm(SmartiesAlgorithm):
    """Trains a classifier on embeddings under labelled features; writes classes, confidence, report."""

    algorithm_id = "classify"
    product = "classify"
    title = tr_noop("Classify from labelled points/polygons")
    output_name = tr_noop("Classes")

    def add_product_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource(
            params.LABELS, tr("Labelled points or polygons"),
            [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterField(
            params.LABEL_FIELD, tr("Class field"), parentLayerParameterName=params.LABELS, optional=True))
        self.addParameter(QgsProcessingParameterFile(
            params.HEAD, tr("Saved head to apply instead of training (.head.json)"),
            extension="json", optional=True))
        self.addParameter(params.static_enum(params.CLASSIFIER, tr("Classifier"), params.CLASSIFIERS, "logistic"))
        from engine.products.features import FEATURE_MODES

        features = params.static_enum(params.FEATURES, tr("Features given to the classifier"), FEATURE_MODES,
                                      "embeddings")
        features.setHelp(tr("embeddings: the model's embeddings only. bands+embeddings: each token's "
                            "embedding plus the mean of its pixels in every normalised band; on the "
                            "real-data probes of the model card this beat embeddings alone for per-pixel "
                            "land cover."))
        self.addParameter(features)
        seed = QgsProcessingParameterNumber(
            params.SEED, tr("Random seed"), QgsProcessingParameterNumber.Integer, 0, False, 0)
        seed.setFlags(seed.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(seed)

    def add_outputs(self) -> None:
        self.addParameter(QgsProcessingParameterRasterDestination(params.OUTPUT, tr(self.output_name)))
        # Optional: when not given, the engine's <classes>_confidence.tif next to the classes is kept.
        self.addParameter(QgsProcessingParameterRasterDestination(
            OUTPUT_CONFIDENCE, tr("Confidence"), optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            OUTPUT_REPORT, tr("Classification report"), tr("HTML files (*.html)"), optional=True))
        # The trained head (JSON): apply it to other rasters with the dialog or `python -m engine`.
        self.addOutput(QgsProcessingOutputFile(OUTPUT_HEAD, tr("Trained classifier head")))

    def collect_outputs(self, job, result, parameters, context, feedback) -> dict:
        outputs = dict(result.outputs)
        classes = move_output(outputs.pop("classes", None) or outputs.pop("classify", None) or job.output, job.output)
        StylePostProcessor.attach(context, classes, "classes")
        results = {params.OUTPUT: classes}
        confidence = outputs.pop("confidence", None)
        if confidence:
            given = self.parameterAsOutputLayer(parameters, OUTPUT_CONFIDENCE, context)
            wanted = params.output_raster_path(self, parameters, OUTPUT_CONFIDENCE, context) if given else confidence
            results[OUTPUT_CONFIDENCE] = move_output(confidence, wanted)
            StylePostProcessor.attach(context, results[OUTPUT_CONFIDENCE], "confidence")
        else:
            feedback.reportError(tr("The engine wrote no confidence raster."), False)
        report_path = self.parameterAsFileOutput(parameters, OUTPUT_REPORT, context)
        engine_report = outputs.pop("report", None)
        if report_path and engine_report and engine_report.lower().endswith((".html", ".htm")):
            results[OUTPUT_REPORT] = move_output(engine_report, report_path)
        elif report_path:  # the engine wrote no HTML: render its report dict ourselves
            files = {"classes": classes, **{k: v for k, v in results.items() if k != params.OUTPUT}, **outputs}
            sections = [(tr("Files"), files), (tr("Settings"), {
                tr("input"): ", ".join(job.inputs[0].paths), tr("labels field"): job.label_field,
                tr("classifier"): job.classifier, tr("model"): job.model, tr("window"): job.window})]
            if result.report:  # the engine's report keys stay as the engine names them
                sections.append((tr("Report"), jsonable({k: v for k, v in result.report.items() if k != "text"})))
            results[OUTPUT_REPORT] = write_text(report_path, html_page(tr("SMARTIES classification"), sections))
        elif engine_report:
            results[OUTPUT_REPORT] = engine_report
        if outputs.get("head"):
            results[OUTPUT_HEAD] = outputs["head"]
        text = (result.report or {}).get("text")
        if text:
            feedback.pushInfo(str(text))
        return results
