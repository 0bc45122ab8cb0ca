"""Everything that keeps the dialog from running, found while the user fills it in."""
from __future__ import annotations

import os
from typing import Optional

from .. import deps
from ..bands_model import band_problems
from ..i18n import tr
from . import checks
from .models import FILE_MODEL


def layer_source_path(layer) -> Optional[str]:
    """The file part of a GDAL layer's source (whether or not it exists)."""
    if layer is None or layer.providerType() != "gdal":
        return None
    return layer.source().split("|")[0]


def engine_aligns() -> bool:
    """True when the engine warps the second raster of a change job onto the first (JobSpec.align)."""
    try:
        from engine.jobs import JobSpec
    except ImportError:
        return False
    return "align" in getattr(JobSpec, "__dataclass_fields__", {})


class DialogChecks:
    """Mixin for SmartiesDialog: problems() in the order a user would fix them."""

    def _input_problems(self, layer) -> list[str]:
        from .main_dialog import layer_file

        if layer is None:
            return [tr("Choose an input raster layer.")]
        path = layer_source_path(layer)
        if layer_file(layer) is None:
            if path and layer.providerType() == "gdal" and not os.path.exists(path):
                return [tr("File not found: {0} (layer '{1}'). Was it moved or deleted? Add it again.").format(
                    path, layer.name())]
            return [tr("Layer '{0}' is not a local raster file; save it as GeoTIFF first.").format(layer.name())]
        out = band_problems(self.band_table.rows(), self.interp_combo.currentData(), self.extrapolate_check.isChecked(),
                            self.sensor_combo.currentData())
        extent, crs = self._chosen_extent()
        out.extend(checks.area_problems(layer, extent, crs))
        return out

    def _chosen_extent(self):
        if not self.extent_box.isChecked():
            return None, None
        return self.extent_box.outputExtent(), self.extent_box.outputCrs()

    def _model_problems(self) -> list[str]:
        model = self.model_combo.currentData()
        if model == FILE_MODEL:
            problem = checks.model_file_problem(self.model_file.filePath())
            return [problem] if problem else []
        choice = self._model_choices.get(model)
        if choice is not None and not choice.available:
            return [tr("The model '{0}' is not on this computer: download it (see below the model list) or pick "
                       "another model.").format(choice.model_id)]
        if choice is not None and choice.path and os.path.isfile(choice.path):
            problem = checks.model_file_problem(choice.path)  # e.g. a download cut short in the cache
            return [problem] if problem else []
        return []

    def _product_problems(self, layer) -> list[str]:
        from .main_dialog import layer_file, vector_file

        out = []
        product = self.product()
        if product == "similarity" and not self._reference_points and self.reference_combo.currentLayer() is None:
            out.append(tr("Similarity needs reference points: pick them on the map or choose a point/polygon layer."))
        if product == "similarity" and self.reference_combo.currentLayer() is not None \
                and vector_file(self.reference_combo.currentLayer()) is None:
            out.append(tr("The reference layer must be a vector file on disk."))
        if product == "change":
            second = self.second_combo.currentLayer()
            if second is None:
                out.append(tr("A change map needs a second raster (after)."))
            elif layer is not None and second.id() == layer.id():
                out.append(tr("The second raster must differ from the first."))
            elif layer_file(second) is None:
                out.append(tr("Layer '{0}' is not a local raster file.").format(second.name()))
            elif layer is not None and layer_file(layer) is not None:
                why = checks.grid_difference(layer, second)
                if why and not (self.align_check.isChecked() and engine_aligns()):
                    out.append(tr("The two rasters are not on the same grid ({0}): tick 'Align the second raster "
                                  "onto the first's grid' or resample it first.").format(why))
        if product == "seasonal":  # the dates list (eo_plugin/widgets/dates_list.py) checks its rows
            self.dates_list.set_first(layer, self.band_table.band_specs(), self.sensor_combo.currentData())
            out.extend(self.dates_list.problems())
        if product == "classification":
            labels = self.labels_combo.currentLayer()
            if labels is None:
                out.append(tr("Classification needs a labelled point/polygon layer."))
            elif vector_file(labels) is None:
                out.append(tr("The labelled layer must be a vector file on disk."))
            elif not self.field_combo.currentField():
                out.append(tr("Choose the class field of the labelled layer."))
        return out

    def _output_problems(self, layer) -> list[str]:
        from .main_dialog import layer_file

        output = self.output_file.filePath()
        inputs = [layer_file(layer)] if layer is not None else []
        if self.product() == "change" and self.second_combo.currentLayer() is not None:
            inputs.append(layer_file(self.second_combo.currentLayer()))
        out = checks.output_problems(output, [p for p in inputs if p])
        running = self.running_problem(output)
        if running:
            out.append(running)
        return out

    def problems(self) -> list[str]:
        """Everything that prevents a run, in the order a user would fix it."""
        out = []
        missing = deps.missing()
        if missing:
            out.append(tr("Missing Python packages: {0}. Install with: {1}").format(
                ", ".join(d.module for d in missing), deps.install_command(missing)))
        layer = self.layer_combo.currentLayer()
        out.extend(self._input_problems(layer))
        out.extend(self._model_problems())
        out.extend(self._product_problems(layer))
        out.extend(self._output_problems(layer))
        if self.window_spin.value() % 16:
            out.append(tr("The window must be a multiple of 16 pixels."))
        device = checks.device_problem(self.device_combo.currentData())
        if device:
            out.append(device)
        return out
