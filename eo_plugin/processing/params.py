"""Shared Processing parameters and the one function that turns them into an engine JobSpec."""
from __future__ import annotations

import os
from typing import Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFields,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsProviderRegistry,
    QgsRasterLayer,
    QgsVectorFileWriter,
    QgsWkbTypes,
)

from engine.jobs import JobSpec, RasterInput, parse_band_list

from ..i18n import tr

# Parameter names: stable, because models, batch files and qgis_process command lines use them.
INPUT = "INPUT"
INPUT_EXTRA = "INPUT_EXTRA"
INPUT_AFTER = "INPUT_AFTER"
SENSOR = "SENSOR"
BANDS = "BANDS"
BANDS_AFTER = "BANDS_AFTER"
MODEL = "MODEL"
WINDOW = "WINDOW"
OVERLAP = "OVERLAP"
BATCH_SIZE = "BATCH_SIZE"
DEVICE = "DEVICE"
BACKEND = "BACKEND"
EXTENT = "EXTENT"
EXTRAPOLATE = "EXTRAPOLATE"
AT_INPUT_RESOLUTION = "AT_INPUT_RESOLUTION"
MIN_VALID_SHARE = "MIN_VALID_SHARE"
SIMILARITY_MODE = "MODE"
SIMILARITY_MODES = ("mean", "max")
K = "K"
CLUSTER_METHOD = "METHOD"
MIN_CLUSTER_SIZE = "MIN_CLUSTER_SIZE"
COMPOSITE = "COMPOSITE"
REFERENCE_LAYER = "REFERENCE_LAYER"
REFERENCE_POINT = "REFERENCE_POINT"
LABELS = "LABELS"
LABEL_FIELD = "LABEL_FIELD"
CLASSIFIER = "CLASSIFIER"
FEATURES = "FEATURES"  # classify: embeddings | bands+embeddings (engine.products.features.FEATURE_MODES)
SEED = "SEED"
ALIGN = "ALIGN"
HEAD = "HEAD"  # classify: a saved head (.head.json) applied instead of training  # change: warp the second raster onto the first's grid when they differ
OUTPUT = "OUTPUT"

DETECT = "detect"  # SENSOR value: identify the bands from the file
DEVICES = ("auto", "cpu", "cuda")
BACKENDS = ("torch", "onnxruntime")
CLASSIFIERS = ("logistic", "knn", "mlp", "random_forest")
CLUSTER_METHODS = ("kmeans", "hdbscan")
COMPOSITES = ("pca", "umap")
# The engine streams GeoTIFF; other formats would need a conversion step we do not offer.
RASTER_EXTENSIONS = (".tif", ".tiff")


def sensor_options() -> list[str]:
    """SENSOR enum values: 'detect' then the engine's sensor presets (just 'detect' if unavailable)."""
    try:
        from engine.spectral import list_sensors

        return [DETECT] + [s for s in list_sensors() if s != DETECT]
    except Exception:  # noqa: BLE001 - the provider must load even while the engine is incomplete
        import engine

        folder = os.path.join(os.path.dirname(os.path.abspath(engine.__file__)), "sensors")
        if not os.path.isdir(folder):
            return [DETECT]
        return [DETECT] + sorted(f[:-5] for f in os.listdir(folder) if f.endswith(".json"))


def advanced(param: QgsProcessingParameterDefinition) -> QgsProcessingParameterDefinition:
    """Mark a parameter as advanced (folded away in the dialog)."""
    param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
    return param


def static_enum(name: str, description: str, options, default: str, optional: bool = False):
    """An enum parameter whose value is the option text (e.g. SENSOR=landsat8)."""
    # Static strings: the value is the option text, not its index, so command lines and saved
    # models stay valid when presets are added or reordered.
    return QgsProcessingParameterEnum(name, description, list(options), False, default, optional, True)


def add_raster_inputs(alg: QgsProcessingAlgorithm, second: bool = False) -> None:
    """INPUT raster (+ optional extra single-band files), SENSOR and BANDS; INPUT_AFTER for change."""
    first = tr("Raster (before)") if second else tr("Raster")
    alg.addParameter(QgsProcessingParameterRasterLayer(INPUT, first))
    if second:
        alg.addParameter(QgsProcessingParameterRasterLayer(INPUT_AFTER, tr("Raster (after)")))
    extra = QgsProcessingParameterMultipleLayers(
        INPUT_EXTRA, tr("Extra single-band files stacked after the raster's bands (same grid)"),
        QgsProcessing.TypeRaster, optional=True)
    alg.addParameter(advanced(extra))
    alg.addParameter(static_enum(SENSOR, tr("Sensor (band preset)"), sensor_options(), DETECT))
    alg.addParameter(QgsProcessingParameterString(
        BANDS, tr("Bands, in file order (e.g. B02,B03,B04,B08 or sentinel2:B04,634-696nm,skip; "
                  "empty = identify from the file)"), optional=True))
    if second:
        alg.addParameter(QgsProcessingParameterString(
            BANDS_AFTER, tr("Bands of the second raster (empty = same as the first)"), optional=True))


def add_model_parameters(alg: QgsProcessingAlgorithm) -> None:
    """MODEL, EXTENT and the advanced tiling/device settings every model-running algorithm shares."""
    alg.addParameter(QgsProcessingParameterString(
        MODEL, tr("Model (default, a registry id or a checkpoint file)"), defaultValue="default"))
    alg.addParameter(QgsProcessingParameterExtent(EXTENT, tr("Process only this extent"), optional=True))
    window = QgsProcessingParameterNumber(
        WINDOW, tr("Window size in pixels (multiple of 16)"), QgsProcessingParameterNumber.Integer,
        224, False, 16, 4096)
    alg.addParameter(advanced(window))
    overlap = QgsProcessingParameterNumber(
        OVERLAP, tr("Overlap between windows (fraction)"), QgsProcessingParameterNumber.Double,
        0.25, False, 0.0, 0.9)
    alg.addParameter(advanced(overlap))
    batch = QgsProcessingParameterNumber(
        BATCH_SIZE, tr("Batch size (windows per step)"), QgsProcessingParameterNumber.Integer, 8, False, 1, 1024)
    alg.addParameter(advanced(batch))
    alg.addParameter(advanced(static_enum(DEVICE, tr("Device"), DEVICES, "auto")))
    alg.addParameter(advanced(static_enum(BACKEND, tr("Backend"), BACKENDS, "torch")))
    alg.addParameter(advanced(QgsProcessingParameterBoolean(
        EXTRAPOLATE, tr("Allow bands outside the model's spectrum (nearest layer)"), False)))
    # Maps default to the input's grid; embeddings (one band per feature) to the token grid.
    on_input_grid = getattr(alg, "product", "") != "embeddings"
    alg.addParameter(advanced(QgsProcessingParameterBoolean(
        AT_INPUT_RESOLUTION, tr("Result on the input's pixel grid (unticked: one pixel per 16x16 input pixels, "
                                "clipped to the input extent)"), on_input_grid)))
    share = QgsProcessingParameterNumber(
        MIN_VALID_SHARE, tr("Minimum share of valid pixels in a 16x16 token (smaller: nodata)"),
        QgsProcessingParameterNumber.Double, 0.5, False, 0.0, 1.0)
    alg.addParameter(advanced(share))
    from .fidelity_params import add_fidelity_parameters  # second sensor, fusion, scale, statistics, mapping

    add_fidelity_parameters(alg, change=alg.parameterDefinition(INPUT_AFTER) is not None,
                            fuse=getattr(alg, "product", "") != "seasonal")


def raster_path(layer: Optional[QgsRasterLayer], label: Optional[str] = None) -> str:
    """The file GDAL reads for a raster layer; a readable error for layers that are not files.

    `label` names the layer in messages, already translated, e.g. tr("the input raster") (the default).
    """
    label = label or tr("the input raster")
    if layer is None or not layer.isValid():
        raise QgsProcessingException(
            tr("Could not load {0}. Choose a raster layer or a GeoTIFF file.").format(label))
    if layer.providerType() != "gdal":
        raise QgsProcessingException(
            tr("Cannot read {0} '{1}': it comes from the '{2}' provider, not from a file. "
               "SMARTIES reads rasters with GDAL: save the layer as a GeoTIFF first (right-click the layer > "
               "Export > Save As...) and run the algorithm on that file.").format(
                label, layer.name(), layer.providerType()))
    source = layer.source()
    parts = QgsProviderRegistry.instance().decodeUri("gdal", source)
    path = parts.get("path") or source
    if parts.get("layerName") or not os.path.exists(path):
        return source  # a GDAL connection string (subdataset, /vsi...): GDAL opens it as it is
    return path


def crs_string(crs: QgsCoordinateReferenceSystem) -> str:
    """EPSG code when the CRS has one, else WKT: what GDAL's SetFromUserInput accepts."""
    authid = crs.authid()
    if authid and authid.upper().startswith("EPSG:"):
        return authid
    return crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED_GDAL)


def output_raster_path(alg: QgsProcessingAlgorithm, parameters: dict, name: str,
                       context: QgsProcessingContext) -> str:
    """Destination path of a raster output; the engine writes GeoTIFF only."""
    path = alg.parameterAsOutputLayer(parameters, name, context)
    if not path:
        raise QgsProcessingException(tr("No file given for output {0}.").format(name))
    if not path.lower().endswith(RASTER_EXTENSIONS):
        raise QgsProcessingException(
            tr("Output {0} '{1}' is not a GeoTIFF. SMARTIES writes GeoTIFF only: use a .tif file name.").format(
                name, path))
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    return path


def vector_to_file(alg: QgsProcessingAlgorithm, parameters: dict, name: str, context: QgsProcessingContext,
                   crs: QgsCoordinateReferenceSystem, keep_field: Optional[str] = None,
                   feedback: Optional[QgsProcessingFeedback] = None) -> Optional[str]:
    """Write a vector parameter's features (selection honoured) to a temporary GeoPackage in `crs`.

    Copying makes memory layers, database layers and 'selected features only' work alike, and
    hands the engine one plain file in the raster's CRS.
    """
    source = alg.parameterAsSource(parameters, name, context)
    if source is None:
        return None
    if QgsWkbTypes.geometryType(source.wkbType()) not in (QgsWkbTypes.PointGeometry, QgsWkbTypes.PolygonGeometry):
        raise QgsProcessingException(
            tr("Layer '{0}' must contain points or polygons.").format(source.sourceName()))
    fields = QgsFields()
    if keep_field:
        index = source.fields().lookupField(keep_field)
        if index < 0:
            names = ", ".join(source.fields().names())
            raise QgsProcessingException(
                tr("The field '{0}' is not in layer '{1}'. Choose one of: {2}.").format(
                    keep_field, source.sourceName(), names))
        fields.append(source.fields().at(index))
    path = QgsProcessingUtils.generateTempFilename(f"{name.lower()}.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name.lower()
    # A class field called "fid" would clash with the GeoPackage's own feature id column.
    options.layerOptions = ["FID=smarties_fid"]
    writer = QgsVectorFileWriter.create(path, fields, source.wkbType(), crs, context.transformContext(), options)
    if writer.hasError() != QgsVectorFileWriter.NoError:
        raise QgsProcessingException(tr("Could not write a temporary copy of '{0}': {1}").format(
            source.sourceName(), writer.errorMessage()))
    request = QgsFeatureRequest().setDestinationCrs(crs, context.transformContext())
    if keep_field:
        request.setSubsetOfAttributes([keep_field], source.fields())
    count = 0
    for feature in source.getFeatures(request):
        if feedback is not None and feedback.isCanceled():
            break
        if not feature.hasGeometry():
            continue
        out = QgsFeature(fields)
        out.setGeometry(feature.geometry())
        out.setAttributes([feature[keep_field]] if keep_field else [])
        writer.addFeature(out, QgsFeatureSink.FastInsert)
        count += 1
    del writer  # flushes and closes the GeoPackage
    if feedback is not None and feedback.isCanceled():
        raise QgsProcessingException(tr("Cancelled; no output was written."))
    if count == 0:
        raise QgsProcessingException(
            tr("Layer '{0}' has no features with a geometry (check 'Selected features only').").format(
                source.sourceName()))
    return path


def _has(alg: QgsProcessingAlgorithm, name: str) -> bool:
    return alg.parameterDefinition(name) is not None


def raster_input(alg, parameters, context, layer_name: str, bands_text: Optional[str], sensor: Optional[str],
                 extra: list[str]) -> tuple[RasterInput, QgsRasterLayer]:
    """The engine RasterInput of one raster parameter (file path, band list, sensor) and its layer."""
    layer = alg.parameterAsRasterLayer(parameters, layer_name, context)
    label = tr("the second raster (after)") if layer_name == INPUT_AFTER else tr("the input raster")
    paths = [raster_path(layer, label)] + extra
    try:
        bands = parse_band_list(bands_text)
    except ValueError as err:
        raise QgsProcessingException(tr("Bands '{0}': {1}").format(bands_text, err)) from err
    return RasterInput(paths=paths, bands=bands, sensor=sensor), layer


def build_job_spec(alg: QgsProcessingAlgorithm, product: str, parameters: dict, context: QgsProcessingContext,
                   feedback: Optional[QgsProcessingFeedback] = None) -> JobSpec:
    """Build the engine JobSpec from an algorithm's parameters (shared by every SMARTIES algorithm)."""
    sensor = alg.parameterAsEnumString(parameters, SENSOR, context) if _has(alg, SENSOR) else DETECT
    sensor = None if sensor in ("", DETECT) else sensor
    bands_text = alg.parameterAsString(parameters, BANDS, context) if _has(alg, BANDS) else ""
    extra_layers = alg.parameterAsLayerList(parameters, INPUT_EXTRA, context) if _has(alg, INPUT_EXTRA) else []
    extra = [raster_path(lyr, tr("the extra band file '{0}'").format(lyr.name())) for lyr in extra_layers]
    first, layer = raster_input(alg, parameters, context, INPUT, bands_text, sensor, extra)
    inputs = [first]
    if _has(alg, INPUT_AFTER):
        after_text = alg.parameterAsString(parameters, BANDS_AFTER, context) if _has(alg, BANDS_AFTER) else ""
        second, _ = raster_input(alg, parameters, context, INPUT_AFTER, after_text or bands_text, sensor, [])
        inputs.append(second)
    raster_crs = layer.crs()

    job = JobSpec(product=product, inputs=inputs, output=output_raster_path(alg, parameters, OUTPUT, context))
    if _has(alg, MODEL):
        model = alg.parameterAsString(parameters, MODEL, context).strip() or "default"
        job.model = os.path.abspath(model) if os.path.isfile(model) else model
        job.window = alg.parameterAsInt(parameters, WINDOW, context)
        job.overlap = alg.parameterAsDouble(parameters, OVERLAP, context)
        job.batch_size = alg.parameterAsInt(parameters, BATCH_SIZE, context)
        job.device = alg.parameterAsEnumString(parameters, DEVICE, context) or "auto"
        job.backend = alg.parameterAsEnumString(parameters, BACKEND, context) or "torch"
        job.extrapolate = alg.parameterAsBool(parameters, EXTRAPOLATE, context)
        job.at_input_resolution = alg.parameterAsBool(parameters, AT_INPUT_RESOLUTION, context)
        if _has(alg, MIN_VALID_SHARE):
            job.min_valid_share = alg.parameterAsDouble(parameters, MIN_VALID_SHARE, context)
        from .fidelity_params import apply_fidelity

        apply_fidelity(alg, parameters, context, job, raster_path)
    if _has(alg, SIMILARITY_MODE):
        job.similarity_mode = alg.parameterAsEnumString(parameters, SIMILARITY_MODE, context) or "mean"
    if _has(alg, EXTENT) and parameters.get(EXTENT) not in (None, ""):
        # Transformed to the raster's CRS here, so the engine gets one unambiguous rectangle.
        rect = alg.parameterAsExtent(parameters, EXTENT, context, raster_crs)
        if not rect.isNull() and not rect.isEmpty():
            job.extent = (rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum())
            job.extent_crs = crs_string(raster_crs)
    if _has(alg, HEAD):
        head = alg.parameterAsFile(parameters, HEAD, context)
        if head:
            job.head_path = head
    if _has(alg, ALIGN):
        job.align = alg.parameterAsBool(parameters, ALIGN, context)
    if _has(alg, K):
        job.k = alg.parameterAsInt(parameters, K, context)
    if _has(alg, COMPOSITE):
        job.composite_method = alg.parameterAsEnumString(parameters, COMPOSITE, context) or "pca"
    if _has(alg, CLUSTER_METHOD):
        job.cluster_method = alg.parameterAsEnumString(parameters, CLUSTER_METHOD, context) or "kmeans"
        job.min_cluster_size = alg.parameterAsInt(parameters, MIN_CLUSTER_SIZE, context) or None
    if _has(alg, SEED):
        job.seed = alg.parameterAsInt(parameters, SEED, context)
    if _has(alg, REFERENCE_LAYER):
        job.reference_vector = vector_to_file(alg, parameters, REFERENCE_LAYER, context, raster_crs, None, feedback)
    if _has(alg, REFERENCE_POINT) and parameters.get(REFERENCE_POINT) not in (None, ""):
        point = alg.parameterAsPoint(parameters, REFERENCE_POINT, context, raster_crs)
        job.reference_points = [(point.x(), point.y())]
        job.reference_crs = crs_string(raster_crs)
    if _has(alg, LABELS):
        field = alg.parameterAsString(parameters, LABEL_FIELD, context)
        job.label_field = field
        job.labels_vector = vector_to_file(alg, parameters, LABELS, context, raster_crs, field, feedback)
        job.classifier = alg.parameterAsEnumString(parameters, CLASSIFIER, context) or "logistic"
    if _has(alg, FEATURES):
        job.classify_features = alg.parameterAsEnumString(parameters, FEATURES, context) or "embeddings"
    try:
        job.validate()
    except ValueError as err:  # JobError: the message already names the setting
        raise QgsProcessingException(str(err)) from err
    return job
