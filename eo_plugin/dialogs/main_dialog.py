"""Main SMARTIES dialog: input raster + band table, model, product, extent, output, advanced."""
from __future__ import annotations

import os
import time
from typing import Optional

from qgis.core import QgsRasterLayer, QgsVectorLayer
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QDialog, QSizePolicy

from .. import deps, settings
from ..bands_model import BandRow, band_problems, common_sensor, exclude_unsupported, identify
from ..i18n import tr
from .dialog_layout import PRODUCTS, DialogLayout  # noqa: F401 - PRODUCTS re-exported for callers
from .learning_options import apply_to_job
from .models import FILE_MODEL

# Dialog product -> JobSpec.product
JOB_PRODUCT = {"classification": "classify"}


def layer_file(layer) -> Optional[str]:
    """The file behind a GDAL raster layer, or None when it is not a local file."""
    if layer is None or not isinstance(layer, QgsRasterLayer) or layer.providerType() != "gdal":
        return None
    path = layer.source().split("|")[0]
    return path if os.path.isfile(path) else None


def vector_file(layer) -> Optional[str]:
    """The OGR source of a vector layer: its file plus the layer name/id and filter options QGIS
    keeps after '|' (the engine reads them, so a GeoPackage's second layer stays the second
    layer), or None when it is not a local file."""
    if layer is None or not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
        return None
    source = layer.source()
    return source if os.path.exists(source.split("|")[0]) else None


class SmartiesDialog(QDialog, DialogLayout):
    """Collects one run's settings, validates them inline, and emits runRequested(job, name)."""

    runRequested = pyqtSignal(object, str)

    def __init__(self, iface=None, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.canvas = iface.mapCanvas() if iface is not None else None
        self.point_tool = None
        self._previous_tool = None
        self._reference_points: list[tuple[float, float]] = []
        self._reference_crs: Optional[str] = None
        self._current_layer_id: Optional[str] = None
        self._loading = False
        self._notice = ""  # why the chosen preset could not be applied (shown above the problems)
        self.setWindowTitle(tr("SMARTIES - spectral foundation model"))
        self.setMinimumWidth(760)
        self._build()
        self._restore_last()
        self._on_layer_changed(self.layer_combo.currentLayer())
        self._on_product_changed()
        self.validate()

    # ------------------------------------------------------------------------------ state -----
    def product(self) -> str:
        """Key of the chosen product (embeddings, pca, clusters, similarity, change, classification)."""
        return self.product_combo.currentData()

    def set_product(self, key: str) -> None:
        """Choose a product by key."""
        idx = self.product_combo.findData(key)
        if idx >= 0:
            self.product_combo.setCurrentIndex(idx)

    def _on_product_changed(self, *_):
        page = {"clusters": 1, "similarity": 2, "change": 3, "classification": 4, "seasonal": 5}.get(self.product(), 0)
        # Only the shown page counts for the size, so short option pages leave no empty gap.
        for i in range(self.options.count()):
            self.options.widget(i).setSizePolicy(QSizePolicy.Preferred,
                                                 QSizePolicy.Preferred if i == page else QSizePolicy.Ignored)
        self.options.setCurrentIndex(page)
        self.options.adjustSize()
        if self.product() != "similarity" and self.pick_button.isChecked():
            self.pick_button.setChecked(False)
        self.validate()

    def _on_model_changed(self, *_):
        self.model_file.setEnabled(self.model_combo.currentData() == FILE_MODEL)
        model = self.model_combo.currentData()
        self.fidelity_box.set_model(self.model_file.filePath() if model == FILE_MODEL else model,
                                    self.sensor_combo.currentData())
        self.validate()

    def _on_rule_changed(self, *_):
        self.band_table.set_rule(self.interp_combo.currentData(), self.extrapolate_check.isChecked())
        self.validate()

    def _on_labels_layer_changed(self, layer):
        self.field_combo.setLayer(layer)
        self.validate()

    def _on_layer_changed(self, layer) -> None:
        self._current_layer_id = layer.id() if layer is not None else None
        if layer is None:
            self._set_rows([])
            self.validate()
            return
        self.extent_box.setOriginalExtent(layer.extent(), layer.crs())
        self.extent_box.setOutputCrs(layer.crs())
        if self.canvas is not None:
            self.extent_box.setCurrentExtent(self.canvas.extent(), self.canvas.mapSettings().destinationCrs())
        stored = settings.load_band_table(layer.id())
        self._notice = ""
        if stored:
            self._set_rows([BandRow.from_dict(r) for r in stored])
            found = common_sensor(self.band_table.rows())
            self.sensor_combo.setCurrentIndex(max(self.sensor_combo.findData(found), 0) if found else 0)
            self.band_table.preset = found
        else:
            self._identify(None)
        self.validate()

    def _set_rows(self, rows: list[BandRow]) -> None:
        self._loading = True
        try:
            self.band_table.set_rows(rows)
        finally:
            self._loading = False

    def _identify(self, sensor: Optional[str]) -> None:
        self._notice = ""
        path = layer_file(self.layer_combo.currentLayer())
        if path is None:
            self._set_rows([])
            return
        try:
            rows = identify(path, sensor)
        except Exception as exc:  # noqa: BLE001 - e.g. a preset with another band count
            # Keep what the file itself tells, and say why the preset could not be applied; the
            # preset still serves for band names typed in the table (B2 -> landsat8:B2).
            self._notice = str(exc)
            try:
                rows = identify(path, None)
            except Exception:  # noqa: BLE001
                rows = []
        skipped = exclude_unsupported(rows, self.interp_combo.currentData(), self.extrapolate_check.isChecked())
        if skipped and not self._notice:
            self._notice = tr("Unticked band(s) {0}: the model has no projection layer for them.").format(
                ", ".join(f"{r.number} ({r.name})" for r in skipped))
        self._set_rows(rows)
        if sensor is None:
            found = common_sensor(rows)
            idx = self.sensor_combo.findData(found) if found else 0
            self.sensor_combo.setCurrentIndex(max(idx, 0))
        self.band_table.preset = self.sensor_combo.currentData()

    def auto_detect(self) -> None:
        """Identify the bands from the file again (discarding edits) and pick the detected preset."""
        self._identify(None)
        self._store_bands()
        self.validate()

    def _on_sensor_chosen(self, *_):
        sensor = self.sensor_combo.currentData()
        self._identify(sensor)
        self._store_bands()
        self.validate()

    def _on_bands_changed(self) -> None:
        if not self._loading:
            self._notice = ""  # the user is now fixing the bands by hand
            self._store_bands()
        self.validate()

    def _store_bands(self) -> None:
        if self._current_layer_id:
            settings.save_band_table(self._current_layer_id, [r.to_dict() for r in self.band_table.rows()])

    # -------------------------------------------------------------------- reference points -----
    def _toggle_pick(self, on: bool) -> None:
        if self.canvas is None:
            return
        if on:
            from ..map_tools import PointPickerTool

            if self.point_tool is None:
                self.point_tool = PointPickerTool(self.canvas)
                self.point_tool.pointsChanged.connect(self._on_points_changed)
                self.point_tool.finished.connect(lambda: self.pick_button.setChecked(False))
            self._previous_tool = self.canvas.mapTool()
            self.canvas.setMapTool(self.point_tool)
        elif self.point_tool is not None and self.canvas.mapTool() is self.point_tool:
            self.canvas.unsetMapTool(self.point_tool)
            if self._previous_tool is not None:
                self.canvas.setMapTool(self._previous_tool)

    def _on_points_changed(self, points) -> None:
        crs = self.point_tool.crs() if self.point_tool is not None else None
        self.set_reference_points([(p.x(), p.y()) for p in points], crs.authid() or crs.toWkt() if crs else None)

    def set_reference_points(self, points: list[tuple[float, float]], crs: Optional[str]) -> None:
        """Set similarity reference points (x, y in crs)."""
        self._reference_points = list(points)
        self._reference_crs = crs
        self.points_label.setText(tr("{0} point(s) picked").format(len(points)) if points else tr("No point picked"))
        self.validate()

    def clear_reference_points(self) -> None:
        """Forget the picked similarity points and their markers."""
        if self.point_tool is not None:
            self.point_tool.clear()
        self.set_reference_points([], None)

    def release_map_tools(self) -> None:
        """Unset and delete the point tool and its markers (dialog closed or plugin unloaded)."""
        if self.point_tool is not None:
            if self.canvas is not None and self.canvas.mapTool() is self.point_tool:
                self.canvas.unsetMapTool(self.point_tool)
            self.point_tool.remove_markers()
            self.point_tool.deleteLater()
            self.point_tool = None

    # -------------------------------------------------------------------------- validation -----
    def problems(self) -> list[str]:
        """Everything that prevents a run, in the order a user would fix it."""
        out = []
        missing = deps.missing()
        if missing:
            out.append(tr("Missing Python packages: {0}. Install with: {1}").format(
                ", ".join(d.module for d in missing), deps.install_command(missing)))
        layer = self.layer_combo.currentLayer()
        if layer is None:
            out.append(tr("Choose an input raster layer."))
        elif layer_file(layer) is None:
            out.append(tr("Layer '{0}' is not a local raster file; save it as GeoTIFF first.").format(layer.name()))
        else:
            out.extend(band_problems(self.band_table.rows(), self.interp_combo.currentData(),
                                     self.extrapolate_check.isChecked()))
        if self.model_combo.currentData() == FILE_MODEL:
            path = self.model_file.filePath()
            if not path:
                out.append(tr("Choose a model file or pick a listed model."))
            elif not os.path.isfile(path):
                out.append(tr("Model file {0} does not exist.").format(path))
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
        output = self.output_file.filePath()
        if not output:
            out.append(tr("Choose an output file (.tif)."))
        else:
            if not output.lower().endswith((".tif", ".tiff")):
                out.append(tr("The output file must end in .tif."))
            folder = os.path.dirname(os.path.abspath(output))
            if not os.path.isdir(folder):
                out.append(tr("The output folder {0} does not exist.").format(folder))
        if self.window_spin.value() % 16:
            out.append(tr("The window must be a multiple of 16 pixels."))
        return out

    def validate(self, *_) -> bool:
        """Show what is wrong (if anything) and enable Run only when nothing is."""
        problems = self.problems()
        if problems:
            self.status_label.clear()
        lines = ([self._notice] if self._notice else []) + problems[:4]
        self.validation_label.setText("\n".join(lines))
        self.run_button.setEnabled(not problems)
        return not problems

    # ------------------------------------------------------------------------------ job --------
    def build_job(self):
        """The JobSpec for the current settings (call validate() first)."""
        from engine.jobs import JobSpec, RasterInput

        layer = self.layer_combo.currentLayer()
        specs = self.band_table.band_specs()
        sensor = self.sensor_combo.currentData()
        inputs = [RasterInput(paths=[layer_file(layer)], bands=specs, sensor=sensor)]
        product = self.product()
        job = JobSpec(product=JOB_PRODUCT.get(product, product), inputs=inputs,
                      output=os.path.abspath(self.output_file.filePath()))
        model = self.model_combo.currentData()
        job.model = self.model_file.filePath() if model == FILE_MODEL else model
        job.window = self.window_spin.value()
        job.overlap = self.overlap_spin.value()
        job.batch_size = self.batch_spin.value()
        job.device = self.device_combo.currentData()
        job.backend = self.backend_combo.currentData()
        job.interpolation = self.interp_combo.currentData()
        job.extrapolate = self.extrapolate_check.isChecked()
        if hasattr(job, "keep_embeddings"):
            job.keep_embeddings = self.keep_embeddings_check.isChecked() and product != "embeddings"
        if self.extent_box.isChecked():
            ext = self.extent_box.outputExtent()
            job.extent = (ext.xMinimum(), ext.yMinimum(), ext.xMaximum(), ext.yMaximum())
            crs = self.extent_box.outputCrs()
            job.extent_crs = (crs.authid() or crs.toWkt()) or None  # None: the raster's own CRS
        apply_to_job(self, job, product)  # clustering method / classifier (learning_options)
        if product == "clusters":
            job.k = self.k_spin.value()
        elif product == "similarity":
            ref = self.reference_combo.currentLayer()
            if ref is not None:
                job.reference_vector = vector_file(ref)
            else:
                job.reference_points = list(self._reference_points)
                job.reference_crs = self._reference_crs
        elif product == "change":
            second = self.second_combo.currentLayer()
            stored = settings.load_band_table(second.id())
            if stored:
                second_specs = [BandRow.from_dict(r).spec() for r in stored]
            elif second.bandCount() == len(specs):
                second_specs = specs  # same sensor on both dates: reuse the checked band table
            else:
                second_specs = None
            inputs.append(RasterInput(paths=[layer_file(second)], bands=second_specs, sensor=sensor))
        elif product == "seasonal":
            job.inputs = self.dates_list.inputs()
            self.dates_list.apply(job)
        elif product == "classification":
            job.labels_vector = vector_file(self.labels_combo.currentLayer())
            job.label_field = self.field_combo.currentField()
        fused = self.fidelity_box.second_sensor_combo.currentLayer()
        self.fidelity_box.apply(job, layer_file(fused) if fused is not None else None)
        return job

    def run_name(self) -> str:
        """Name of the run (layer group): product, input layer, time."""
        layer = self.layer_combo.currentLayer()
        title = self.product_combo.currentText().split(" (")[0]
        return f"{title} — {layer.name() if layer else '?'} {time.strftime('%H:%M:%S')}"

    def request_run(self) -> None:
        """Validate, remember the settings, and emit runRequested(job, run name)."""
        if not self.validate():
            return
        job = self.build_job()
        self._save_last()
        name = self.run_name()
        self.runRequested.emit(job, name)
        self.status_label.setText(tr("Started '{0}': progress is in the task bar at the bottom of the QGIS "
                                     "window; layers are added when it finishes.").format(name))

    # --------------------------------------------------------------------------- settings -----
    def _save_last(self) -> None:
        settings.save_last({
            "product": self.product(), "model": self.model_combo.currentData(),
            "model_file": self.model_file.filePath(), "k": self.k_spin.value(),
            "window": self.window_spin.value(), "overlap": self.overlap_spin.value(),
            "batch": self.batch_spin.value(), "device": self.device_combo.currentData(),
            "backend": self.backend_combo.currentData(), "interpolation": self.interp_combo.currentData(),
            "extrapolate": self.extrapolate_check.isChecked(),
            "output_dir": os.path.dirname(self.output_file.filePath()),
        })

    def _restore_last(self) -> None:
        last = settings.load_last()

        def pick(combo, value):
            idx = combo.findData(value)
            if idx >= 0:
                combo.setCurrentIndex(idx)

        pick(self.product_combo, last.get("product"))
        pick(self.model_combo, last.get("model"))
        pick(self.device_combo, last.get("device"))
        pick(self.backend_combo, last.get("backend"))
        pick(self.interp_combo, last.get("interpolation"))
        if last.get("model_file"):
            self.model_file.setFilePath(last["model_file"])
        for spin, key in ((self.k_spin, "k"), (self.window_spin, "window"), (self.batch_spin, "batch")):
            if isinstance(last.get(key), int):
                spin.setValue(last[key])
        if isinstance(last.get("overlap"), (int, float)):
            self.overlap_spin.setValue(float(last["overlap"]))
        self.extrapolate_check.setChecked(bool(last.get("extrapolate", False)))
        if last.get("output_dir") and os.path.isdir(last["output_dir"]):
            self.output_file.setDefaultRoot(last["output_dir"])
        self.model_file.setEnabled(self.model_combo.currentData() == FILE_MODEL)

    def hideEvent(self, event):  # noqa: N802 (Qt override) - Close, Esc and the window button all hide
        if self.pick_button.isChecked():
            self.pick_button.setChecked(False)  # give the canvas its previous map tool back
        super().hideEvent(event)
