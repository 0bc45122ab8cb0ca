"""Processing algorithm: a time series of rasters -> seasonal embeddings, change profile, clusters, change."""
from __future__ import annotations

import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputRasterLayer,
    QgsProcessingParameterEnum,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
)

from ..i18n import tr, tr_noop
from engine.jobs import SEASONAL_POOLING

from . import params
from .base import SmartiesAlgorithm, StylePostProcessor, missing_dependencies_message, run_engine
from .help import BAND_SYNTAX, MODEL, TOKEN_GRID, models_text

INPUTS = "INPUTS"
DATES = "DATES"
SENSORS = "SENSORS"
POOLING = "POOLING"
PRODUCTS = "PRODUCTS"
CHANGE_DATES = "CHANGE_DATES"
MASK = "MASK"
OUTPUT_CHANGE_PROFILE = "OUTPUT_CHANGE_PROFILE"
OUTPUT_CLUSTERS = "OUTPUT_CLUSTERS"
OUTPUT_CHANGE = "OUTPUT_CHANGE"
POOLINGS = SEASONAL_POOLING  # the engine's list, in its order (the enum index is the choice)
EXTRA_PRODUCTS = ("change_profile", "clusters", "change")
# engine output key -> (Processing output, style)
OUTPUT_OF = {"change_profile": (OUTPUT_CHANGE_PROFILE, "change"), "clusters": (OUTPUT_CLUSTERS, "clusters"),
             "change": (OUTPUT_CHANGE, "change")}


def per_layer(text: str, n: int, what: str, sep: str = ",") -> list:
    """One entry per layer from 'a,b,c' (or one entry for all); empty entries are None."""
    items = [t.strip() for t in (text or "").split(sep)] if (text or "").strip() else []
    if not items:
        return [None] * n
    if len(items) == 1:
        return [items[0] or None] * n
    if len(items) != n:
        raise QgsProcessingException(tr("{0}: {1} entries for {2} layers; give one per layer, in layer order, "
                                        "or one for all.").format(what, len(items), n))
    return [i or None for i in items]


class SeasonalAlgorithm(SmartiesAlgorithm):
    """Several rasters of one place (one per date) -> one seasonal embedding per place, and maps of change."""

    algorithm_id = "seasonal"
    product = "seasonal"
    title = tr_noop("Time series: seasonal embeddings and change profile")
    output_name = tr_noop("Seasonal embeddings")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "<p>Takes several rasters of the same place, one per date (any order, any sensors), and writes "
            "one <b>seasonal embedding</b> per place: the per-date embeddings pooled by <b>Pooling</b> "
            "(<code>seasons</code>: the mean embedding of each season, Dec-Feb, Mar-May, Jun-Aug, Sep-Nov, "
            "side by side, so crops green at different times differ; <code>mean</code>; <code>concat</code>: "
            "every date in date order; <code>concat_unit</code>: every date scaled to unit length, then in date "
            "order, so every date weighs the same in distances (clusters, kNN); <code>fusion</code>: the SeaMo "
            "fusion blocks of a model trained with them). Every date is resampled onto the first layer's grid when its grid differs.</p>"
            "<p><b>Dates</b>: one per layer, in layer order (YYYY-MM-DD, comma-separated); empty entries "
            "are read from the file's metadata (ACQUISITION_DATE, DATE_ACQUIRED, ...) or its name "
            "(2019-06-13, 20190613, a Landsat scene id). <b>Sensors</b> and <b>Bands</b>: one entry for all "
            "layers, or one per layer (sensors separated by commas, band lists by <code>|</code>).</p>"
            "<p><b>Also write</b>: the <b>change profile</b> (one band per date from the second on: cosine "
            "distance to the previous date with data at that place), <b>clusters</b> of the seasonal "
            "embeddings (<b>K</b>) and the <b>change</b> between two dates (<b>Change dates</b>: two dates "
            "or layer numbers).</p>") + tr(BAND_SYNTAX) + tr(MODEL) + models_text() + tr(TOKEN_GRID)

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterMultipleLayers(
            INPUTS, tr("Rasters, one per date"), QgsProcessing.TypeRaster))
        self.addParameter(QgsProcessingParameterString(
            DATES, tr("Dates, one per layer in layer order (YYYY-MM-DD; empty = from metadata or file name)"),
            optional=True))
        self.addParameter(QgsProcessingParameterString(
            SENSORS, tr("Sensors: one preset for all layers or one per layer (e.g. landsat5,landsat7; empty = "
                        "identify)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            params.BANDS, tr("Bands, in file order (e.g. B3,B4,B5,skip); one list for all layers or one per "
                             "layer separated by |"), optional=True))
        self.addParameter(params.static_enum(POOLING, tr("Pooling of the dates"), POOLINGS, "seasons"))
        self.addParameter(QgsProcessingParameterEnum(
            PRODUCTS, tr("Also write"), list(EXTRA_PRODUCTS), True, ["change_profile"], True, True))
        self.addParameter(QgsProcessingParameterNumber(
            params.K, tr("Number of clusters (K)"), QgsProcessingParameterNumber.Integer, 8, False, 2, 254))
        self.addParameter(QgsProcessingParameterString(
            CHANGE_DATES, tr("Change dates: two dates or layer numbers (e.g. 2019-04-01,2019-08-15)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            MASK, tr("Quality mask: BAND=VALUES left out on every date (e.g. fmask=2,3,4: Fmask cloud shadow, snow, "
                     "cloud; mark that band 'skip' in Bands)"), optional=True))
        params.add_model_parameters(self)
        grid = self.parameterDefinition(params.AT_INPUT_RESOLUTION)
        if grid is not None:  # seasonal embeddings stay on the token grid; maps follow this switch
            grid.setDefaultValue(False)
        self.addParameter(QgsProcessingParameterRasterDestination(params.OUTPUT, tr(self.output_name)))
        self.addOutput(QgsProcessingOutputRasterLayer(OUTPUT_CHANGE_PROFILE, tr("Change profile")))
        self.addOutput(QgsProcessingOutputRasterLayer(OUTPUT_CLUSTERS, tr("Clusters of the seasonal embeddings")))
        self.addOutput(QgsProcessingOutputRasterLayer(OUTPUT_CHANGE, tr("Change between two dates")))

    def build_job(self, parameters, context):
        """The engine JobSpec of this algorithm's parameters."""
        from engine.jobs import JobSpec, RasterInput, parse_band_list

        layers = self.parameterAsLayerList(parameters, INPUTS, context)
        if len(layers) < 2:
            raise QgsProcessingException(tr("A time series needs at least two raster layers (dates)."))
        n = len(layers)
        dates = per_layer(self.parameterAsString(parameters, DATES, context), n, tr("Dates"))
        sensors = per_layer(self.parameterAsString(parameters, SENSORS, context), n, tr("Sensors"))
        bands = per_layer(self.parameterAsString(parameters, params.BANDS, context), n, tr("Bands"), sep="|")
        inputs = []
        for lyr, d, s, b in zip(layers, dates, sensors, bands):
            path = params.raster_path(lyr, tr("the layer '{0}'").format(lyr.name()))
            try:
                inputs.append(RasterInput([path], parse_band_list(b), None if s in (None, params.DETECT) else s, d))
            except ValueError as err:
                raise QgsProcessingException(tr("Layer '{0}': {1}").format(lyr.name(), err)) from err
        chosen = self.parameterAsEnumStrings(parameters, PRODUCTS, context)
        change_text = self.parameterAsString(parameters, CHANGE_DATES, context).strip()
        change = [t.strip() for t in change_text.split(",")] if change_text else None
        if change and "change" not in chosen:
            chosen = list(chosen) + ["change"]
        job = JobSpec(product="seasonal", inputs=inputs, output=params.output_raster_path(self, parameters, params.OUTPUT, context))
        model = self.parameterAsString(parameters, params.MODEL, context).strip() or "default"
        job.model = os.path.abspath(model) if os.path.isfile(model) else model
        job.window = self.parameterAsInt(parameters, params.WINDOW, context)
        job.overlap = self.parameterAsDouble(parameters, params.OVERLAP, context)
        job.batch_size = self.parameterAsInt(parameters, params.BATCH_SIZE, context)
        job.device = self.parameterAsEnumString(parameters, params.DEVICE, context) or "auto"
        job.backend = self.parameterAsEnumString(parameters, params.BACKEND, context) or "torch"
        job.extrapolate = self.parameterAsBool(parameters, params.EXTRAPOLATE, context)
        job.at_input_resolution = self.parameterAsBool(parameters, params.AT_INPUT_RESOLUTION, context)
        if self.parameterDefinition(params.MIN_VALID_SHARE) is not None:
            job.min_valid_share = self.parameterAsDouble(parameters, params.MIN_VALID_SHARE, context)
        from .fidelity_params import apply_fidelity  # model scale, statistics, band mapping

        apply_fidelity(self, parameters, context, job, params.raster_path)
        if parameters.get(params.EXTENT) not in (None, ""):
            crs = layers[0].crs()
            rect = self.parameterAsExtent(parameters, params.EXTENT, context, crs)
            if not rect.isNull() and not rect.isEmpty():
                job.extent = (rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum())
                job.extent_crs = params.crs_string(crs)
        job.seasonal_pooling = self.parameterAsEnumString(parameters, POOLING, context) or "seasons"
        job.seasonal_outputs = list(chosen)
        job.change_dates = change
        job.k = self.parameterAsInt(parameters, params.K, context)
        job.series_mask = self.parameterAsString(parameters, MASK, context).strip() or None
        try:
            job.validate()
        except ValueError as err:
            raise QgsProcessingException(str(err)) from err
        return job

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        backend = self.parameterAsEnumString(parameters, params.BACKEND, context) or "torch"
        message = missing_dependencies_message(backend)
        if message:
            raise QgsProcessingException(message)
        job = self.build_job(parameters, context)
        result = run_engine(job, feedback)
        results = {params.OUTPUT: result.outputs["seasonal_embeddings"]}
        StylePostProcessor.attach(context, results[params.OUTPUT], "embeddings")
        for key, (name, style) in OUTPUT_OF.items():
            if key in result.outputs:
                results[name] = result.outputs[key]
                context.addLayerToLoadOnCompletion(result.outputs[key], _details(context, key))
                StylePostProcessor.attach(context, result.outputs[key], style)
        profile = (result.report or {}).get("change_profile")
        if profile:
            feedback.pushInfo(tr("Change profile (mean distance to the previous date):"))
            for d, v in zip(profile["dates"], profile["mean_distance"]):
                feedback.pushInfo(f"  {d}: {'-' if v is None else f'{v:.3f}'}")
        return results


def _details(context, key: str):
    from qgis.core import QgsProcessingContext

    names = {"change_profile": tr("Change profile"), "clusters": tr("Seasonal clusters"), "change": tr("Change")}
    return QgsProcessingContext.LayerDetails(names[key], context.project(), key)
