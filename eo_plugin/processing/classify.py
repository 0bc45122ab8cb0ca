"""Processing algorithm: land-cover classification trained from a labelled vector layer."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputFile,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
)

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
    title = "Classify from labelled points/polygons"
    output_name = "Classes"

    def add_product_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource(
            params.LABELS, "Labelled points or polygons",
            [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            params.LABEL_FIELD, "Class field", parentLayerParameterName=params.LABELS))
        self.addParameter(params.static_enum(params.CLASSIFIER, "Classifier", params.CLASSIFIERS, "logistic"))
        seed = QgsProcessingParameterNumber(
            params.SEED, "Random seed", QgsProcessingParameterNumber.Integer, 0, False, 0)
        seed.setFlags(seed.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(seed)

    def add_outputs(self) -> None:
        self.addParameter(QgsProcessingParameterRasterDestination(params.OUTPUT, "Classes"))
        # Optional: when not given, the engine's <classes>_confidence.tif next to the classes is kept.
        self.addParameter(QgsProcessingParameterRasterDestination(
            OUTPUT_CONFIDENCE, "Confidence", optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            OUTPUT_REPORT, "Classification report", "HTML files (*.html)", optional=True))
        # The trained head (JSON): apply it to other rasters with the dialog or `python -m engine`.
        self.addOutput(QgsProcessingOutputFile(OUTPUT_HEAD, "Trained classifier head"))

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
            feedback.reportError("The engine wrote no confidence raster.", False)
        report_path = self.parameterAsFileOutput(parameters, OUTPUT_REPORT, context)
        engine_report = outputs.pop("report", None)
        if report_path and engine_report and engine_report.lower().endswith((".html", ".htm")):
            results[OUTPUT_REPORT] = move_output(engine_report, report_path)
        elif report_path:  # the engine wrote no HTML: render its report dict ourselves
            files = {"classes": classes, **{k: v for k, v in results.items() if k != params.OUTPUT}, **outputs}
            sections = [("Files", files), ("Settings", {
                "input": ", ".join(job.inputs[0].paths), "labels field": job.label_field,
                "classifier": job.classifier, "model": job.model, "window": job.window})]
            if result.report:
                sections.append(("Report", jsonable({k: v for k, v in result.report.items() if k != "text"})))
            results[OUTPUT_REPORT] = write_text(report_path, html_page("SMARTIES classification", sections))
        elif engine_report:
            results[OUTPUT_REPORT] = engine_report
        if outputs.get("head"):
            results[OUTPUT_HEAD] = outputs["head"]
        text = (result.report or {}).get("text")
        if text:
            feedback.pushInfo(str(text))
        return results
