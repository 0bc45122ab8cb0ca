"""Processing parameters of the fidelity settings: a second sensor to fuse, fusion, model scale,
normalisation statistics and band mapping (engine.jobs.JobSpec fields of the same names)."""
from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from engine.jobs import FUSIONS, JobSpec, RasterInput, parse_band_list

from ..i18n import tr

INPUT_WITH = "INPUT_WITH"
INPUT_AFTER_WITH = "INPUT_AFTER_WITH"
SENSOR_WITH = "SENSOR_WITH"
BANDS_WITH = "BANDS_WITH"
FUSION = "FUSION"
SCALE = "SCALE"
NORMALIZATION = "NORMALIZATION"
BAND_MAPPING = "BAND_MAPPING"
NORMALIZATIONS = ("auto", "card", "raster")
BAND_MAPPINGS = ("reference", "published", "linear")


def _advanced(param: QgsProcessingParameterDefinition) -> QgsProcessingParameterDefinition:
    param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
    return param


def _enum(name: str, description: str, options, default: str) -> QgsProcessingParameterEnum:
    return QgsProcessingParameterEnum(name, description, list(options), False, default, False, True)


def add_fidelity_parameters(alg: QgsProcessingAlgorithm, change: bool = False, fuse: bool = True) -> None:
    """Second-sensor rasters (optional) and FUSION (when `fuse`), SCALE, NORMALIZATION, BAND_MAPPING."""
    if fuse:
        _add_fusion_parameters(alg, change)
    alg.addParameter(_advanced(QgsProcessingParameterString(
        SCALE, tr("Model scale: auto (the model card's: x1.87 for the published models, about 3.5x the compute; "
                  "x1 for the default model), native (x1, fastest) or a factor"), defaultValue="auto")))
    alg.addParameter(_advanced(_enum(
        NORMALIZATION, tr("Normalisation statistics: auto (the model card's official ones for its sensors, else "
                          "computed from the raster), card, or raster (computed from this raster)"),
        NORMALIZATIONS, "auto")))
    alg.addParameter(_advanced(_enum(
        BAND_MAPPING, tr("Band mapping: reference (the layers the reference uses, nearest layer otherwise), or "
                         "interpolate between two layers (published or linear weights)"), BAND_MAPPINGS, "reference")))


def _add_fusion_parameters(alg: QgsProcessingAlgorithm, change: bool) -> None:
    first = tr("Raster of a second sensor on the same grid as the (before) raster, fused with it "
               "(e.g. Sentinel-1 with Sentinel-2)") if change else tr(
        "Raster of a second sensor on the same grid, fused with the raster (e.g. Sentinel-1 with Sentinel-2)")
    alg.addParameter(QgsProcessingParameterRasterLayer(INPUT_WITH, first, optional=True))
    if change:
        alg.addParameter(QgsProcessingParameterRasterLayer(
            INPUT_AFTER_WITH, tr("Raster of the second sensor on the same grid as the after raster"), optional=True))
    alg.addParameter(_advanced(QgsProcessingParameterString(
        SENSOR_WITH, tr("Sensor of the second raster (a preset id such as sentinel1_grd; empty = identify)"),
        optional=True)))
    alg.addParameter(_advanced(QgsProcessingParameterString(
        BANDS_WITH, tr("Bands of the second raster (empty = identify from the file)"), optional=True)))
    alg.addParameter(_advanced(_enum(
        FUSION, tr("Fusion of two sensors: concat (one pass per sensor, features concatenated, as the "
                   "reference), mean, or stack (all bands in one pass)"), FUSIONS, "concat")))


def apply_fidelity(alg: QgsProcessingAlgorithm, parameters: dict, context: QgsProcessingContext, job: JobSpec,
                   raster_path) -> None:
    """Set the fidelity fields of `job` and add the second-sensor rasters to its inputs."""
    if alg.parameterDefinition(SCALE) is None:
        return
    job.scale = (alg.parameterAsString(parameters, SCALE, context) or "auto").strip()
    job.normalization = alg.parameterAsEnumString(parameters, NORMALIZATION, context) or "auto"
    job.interpolation = alg.parameterAsEnumString(parameters, BAND_MAPPING, context) or "reference"
    if alg.parameterDefinition(FUSION) is None:
        return
    job.fusion = alg.parameterAsEnumString(parameters, FUSION, context) or "concat"
    sensor = (alg.parameterAsString(parameters, SENSOR_WITH, context) or "").strip() or None
    bands = parse_band_list(alg.parameterAsString(parameters, BANDS_WITH, context) or "")

    def second(name: str):
        if parameters.get(name) in (None, ""):
            return None
        layer = alg.parameterAsRasterLayer(parameters, name, context)
        if layer is None:
            return None
        return RasterInput([raster_path(layer, tr("the second sensor's raster"))], bands, sensor)

    with_first = second(INPUT_WITH)
    if job.product == "change":
        with_after = second(INPUT_AFTER_WITH) if alg.parameterDefinition(INPUT_AFTER_WITH) else None
        if (with_first is None) != (with_after is None):
            from qgis.core import QgsProcessingException

            raise QgsProcessingException(tr("Fusing a second sensor in a change map needs its raster for both "
                                            "dates (INPUT_WITH and INPUT_AFTER_WITH)."))
        if with_first is not None:
            job.inputs = [job.inputs[0], with_first, job.inputs[1], with_after]
    elif with_first is not None:
        job.inputs.append(with_first)
