"""Main SMARTIES dialog: input raster + band table, model, product, extent, output, advanced."""
from __future__ import annotations

import os
import time
from typing import Optional

from qgis.core import QgsRasterLayer, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QApplication, QDialog, QSizePolicy

from .. import settings
from ..bands_model import BandRow, common_sensor, exclude_unsupported, identify, sensor_title
from ..i18n import tr
from .dialog_layout import PRODUCT_PAGES, PRODUCTS, DialogLayout  # noqa: F401 - PRODUCTS re-exported for callers
from .estimate import clear_estimate
from .learning_options import apply_to_job
from .model_output import ModelOutputChoices
from .models import FILE_MODEL
from .run_display import RunDisplay
from .validation import DialogChecks

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


def preset_notice(sensor: Optional[str], path: str) -> str:
    """Why a preset was not applied by band order, and what to do instead (pick bands by name)."""
    try:
        from engine.spectral import get_sensor
        from osgeo import gdal

        preset = get_sensor(sensor)
        ds = gdal.Open(path)
        count = ds.RasterCount if ds is not None else 0
    except Exception:  # noqa: BLE001
        return ""
    if not count or count == len(preset.bands):
        return ""
    return tr("The preset {0} has {1} bands and this file {2}: double-click each band's Name cell and pick which "
              "{0} band it is (e.g. B2 to B7 of Landsat 8 surface reflectance).").format(
        sensor_title(sensor, getattr(preset, "title", sensor) or sensor), len(preset.bands), count)


class SmartiesDialog(QDialog, DialogLayout, DialogChecks, RunDisplay, ModelOutputChoices):
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
        self._running: dict = {}  # output file -> task (None while it is being started)
        self._auto_output = ""  # the output path the dialog proposed (replaced while the user keeps it)
        self._last_output_dir = ""
        self._download_task = None
        self._fitted = False
        self.setWindowTitle(tr("SMARTIES - spectral foundation model"))
        self._build()
        self._restore_last()
        self._on_layer_changed(self.layer_combo.currentLayer())
        self._on_product_changed()
        self._on_model_changed()
        self._fit_screen()
        self.validate()

    def _fit_screen(self) -> None:
        """Start at a size that fits the screen (1366 x 768 laptops included) without scrolling."""
        screen = QApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        width = min(1180, avail.width() - 40) if avail is not None else 1180
        height = min(700, avail.height() - 60) if avail is not None else 700
        self.resize(max(width, self.minimumSizeHint().width()), max(height, 560))

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
        page = PRODUCT_PAGES.get(self.product(), 0)
        # Only the shown page counts for the size: short option pages leave no empty gap, and a hidden
        # wide page does not push the shown one past the column's edge.
        for i in range(self.options.count()):
            policy = QSizePolicy.Preferred if i == page else QSizePolicy.Ignored
            self.options.widget(i).setSizePolicy(policy, policy)
        self.options.setCurrentIndex(page)
        self.options.updateGeometry()  # the layout gives it the column's width and the page's height
        if self.product() != "similarity" and self.pick_button.isChecked():
            self.pick_button.setChecked(False)
        # Maps come on the input's grid, embeddings (one band per feature) on the token grid.
        from engine.jobs import default_at_input_resolution

        self.resolution_combo.setCurrentIndex(0 if default_at_input_resolution(JOB_PRODUCT.get(self.product(),
                                                                                           self.product())) else 1)
        self._propose_output()
        self.validate()

    def _on_resolution_changed(self, *_):
        self.validate()

    def _on_extent_toggled(self, on: bool) -> None:
        self.extent_box.setCollapsed(not on)
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
        self._propose_output()
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
            # preset still serves for the band names picked in the table (B2 -> landsat8:B2).
            self._notice = preset_notice(sensor, path) or str(exc)
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
    def validate(self, *_) -> bool:
        """Show what is wrong (if anything) and enable Run only when nothing is."""
        problems = self.problems()
        self._update_grid_label()
        clear_estimate(self)  # an estimate belongs to the settings it was made for
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
        job.keep_embeddings = self.keep_embeddings_check.isChecked() and product != "embeddings"
        job.at_input_resolution = bool(self.resolution_combo.currentData())
        job.min_valid_share = self.valid_share_spin.value() / 100.0
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
            job.similarity_mode = self.similarity_mode_combo.currentData()
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
            if hasattr(job, "align"):
                job.align = self.align_check.isChecked()
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
        if os.path.exists(job.output) and not self.confirm_overwrite(job.output):
            self.status_label.setText(tr("Not started: choose another output file, or confirm replacing {0}.")
                                      .format(job.output))
            return
        self._save_last()
        name = self.run_name()
        self.status_label.setText(tr("Started '{0}': progress shows here and in the task bar; layers are added "
                                     "when it finishes.").format(name))
        self.mark_started(job)  # Run is off for this output until the run ends (no double start)
        self.runRequested.emit(job, name)

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
            "valid_share": self.valid_share_spin.value(),
            "similarity_mode": self.similarity_mode_combo.currentData(),
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
        pick(self.similarity_mode_combo, last.get("similarity_mode"))
        if isinstance(last.get("valid_share"), int):
            self.valid_share_spin.setValue(last["valid_share"])
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
            self._last_output_dir = last["output_dir"]
        self.model_file.setEnabled(self.model_combo.currentData() == FILE_MODEL)

    def showEvent(self, event):  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._fitted:
            # Folded sections collapse only once shown: fit the screen again after that.
            self._fitted = True
            QTimer.singleShot(0, self._fit_screen)

    def hideEvent(self, event):  # noqa: N802 (Qt override) - Close, Esc and the window button all hide
        if self.pick_button.isChecked():
            self.pick_button.setChecked(False)  # give the canvas its previous map tool back
        if self.point_tool is not None:
            self.clear_reference_points()  # no red markers left on the map once the dialog is closed
        super().hideEvent(event)
