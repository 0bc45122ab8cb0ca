"""Main SMARTIES dialog: input raster + band table, model, product, extent, output, advanced."""
from __future__ import annotations

import os
import time
from typing import Optional

from qgis.core import QgsMapLayerProxyModel, QgsProject, QgsRasterLayer, QgsVectorLayer
from qgis.gui import (
    QgsCollapsibleGroupBox,
    QgsExtentGroupBox,
    QgsFieldComboBox,
    QgsFileWidget,
    QgsMapLayerComboBox,
)
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .. import deps, settings
from ..bands_model import BandRow, band_problems, common_sensor, identify, sensors
from ..i18n import tr, tr_noop
from ..widgets.band_table import BandTableWidget
from .models import FILE_MODEL, available_models

PRODUCTS = (
    ("embeddings", tr_noop("Embeddings (one band per feature)")),
    ("pca", tr_noop("PCA (3 principal components as RGB)")),
    ("clusters", tr_noop("Clusters (k-means)")),
    ("similarity", tr_noop("Similarity to reference points")),
    ("change", tr_noop("Change between two dates")),
    ("classification", tr_noop("Classification from labelled vector layer")),
)
# Dialog product -> JobSpec.product
JOB_PRODUCT = {"classification": "classify"}


def layer_file(layer) -> Optional[str]:
    """The file behind a GDAL raster layer, or None when it is not a local file."""
    if layer is None or not isinstance(layer, QgsRasterLayer) or layer.providerType() != "gdal":
        return None
    path = layer.source().split("|")[0]
    return path if os.path.isfile(path) else None


def vector_file(layer) -> Optional[str]:
    """The file behind an OGR vector layer (layer name options dropped), or None."""
    if layer is None or not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
        return None
    path = layer.source().split("|")[0]
    return path if os.path.exists(path) else None


class SmartiesDialog(QDialog):
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

    # ------------------------------------------------------------------------------ layout ----
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll)

        # Input raster and bands
        box = QGroupBox(tr("Input raster and bands"))
        form = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Raster layer")))
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(QgsMapLayerProxyModel.RasterLayer)
        self.layer_combo.setAllowEmptyLayer(True)
        row.addWidget(self.layer_combo, 1)
        form.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Sensor preset")))
        self.sensor_combo = QComboBox()
        self.sensor_combo.addItem(tr("(identify from the file)"), None)
        for sid, title in sensors():
            self.sensor_combo.addItem(title, sid)
        self.sensor_combo.setToolTip(tr("Force a sensor preset: every band gets the preset's wavelength range "
                                        "in file order."))
        row.addWidget(self.sensor_combo, 1)
        self.autodetect_button = QPushButton(tr("Auto-detect"))
        self.autodetect_button.setToolTip(tr("Identify each band from the file's metadata, band names and file "
                                             "name."))
        row.addWidget(self.autodetect_button)
        form.addLayout(row)
        self.band_table = BandTableWidget()
        self.band_table.setMinimumHeight(220)
        form.addWidget(self.band_table, 1)
        layout.addWidget(box, 1)  # the band table takes the room when the dialog grows

        # Model
        box = QGroupBox(tr("Model"))
        mform = QFormLayout(box)
        self.model_combo = QComboBox()
        for model_id, title in available_models():
            self.model_combo.addItem(title, model_id)
        self.model_combo.addItem(tr("Model file…"), FILE_MODEL)
        mform.addRow(tr("Model"), self.model_combo)
        self.model_file = QgsFileWidget()
        self.model_file.setFilter(tr("Model files (*.safetensors *.pt *.pth *.onnx)"))
        mform.addRow(tr("Model file"), self.model_file)
        layout.addWidget(box)

        # Product and its options
        box = QGroupBox(tr("Product"))
        pform = QFormLayout(box)
        self.product_combo = QComboBox()
        for key, title in PRODUCTS:
            self.product_combo.addItem(tr(title), key)
        pform.addRow(tr("Product"), self.product_combo)
        self.options = QStackedWidget()
        self.options.addWidget(QWidget())  # 0: no options
        self.options.addWidget(self._build_clusters())  # 1
        self.options.addWidget(self._build_similarity())  # 2
        self.options.addWidget(self._build_change())  # 3
        self.options.addWidget(self._build_classification())  # 4
        pform.addRow(self.options)
        layout.addWidget(box)

        # Extent
        self.extent_box = QgsExtentGroupBox()
        self.extent_box.setTitleBase(tr("Extent (unticked: the whole layer)"))
        self.extent_box.setCheckable(True)
        self.extent_box.setChecked(False)
        if self.canvas is not None:
            self.extent_box.setMapCanvas(self.canvas)
        layout.addWidget(self.extent_box)

        # Output
        box = QGroupBox(tr("Output"))
        oform = QFormLayout(box)
        self.output_file = QgsFileWidget()
        self.output_file.setStorageMode(QgsFileWidget.SaveFile)
        self.output_file.setFilter(tr("GeoTIFF (*.tif *.tiff)"))
        self.output_file.setConfirmOverwrite(True)
        oform.addRow(tr("Output file"), self.output_file)
        layout.addWidget(box)

        # Advanced
        adv = QgsCollapsibleGroupBox(tr("Advanced"))
        adv.setCollapsed(True)
        aform = QFormLayout(adv)
        self.window_spin = QSpinBox()
        self.window_spin.setRange(16, 2048)
        self.window_spin.setSingleStep(16)
        self.window_spin.setValue(224)
        self.window_spin.setSuffix(tr(" px"))
        aform.addRow(tr("Window"), self.window_spin)
        self.overlap_spin = QDoubleSpinBox()
        self.overlap_spin.setRange(0.0, 0.9)
        self.overlap_spin.setSingleStep(0.05)
        self.overlap_spin.setValue(0.25)
        aform.addRow(tr("Overlap (fraction of the window)"), self.overlap_spin)
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 512)
        self.batch_spin.setValue(8)
        aform.addRow(tr("Batch size"), self.batch_spin)
        self.device_combo = QComboBox()
        for dev in ("auto", "cpu", "cuda", "mps"):
            self.device_combo.addItem(dev, dev)
        aform.addRow(tr("Device"), self.device_combo)
        self.backend_combo = QComboBox()
        self.backend_combo.addItem("PyTorch", "torch")
        self.backend_combo.addItem("ONNX Runtime", "onnxruntime")
        aform.addRow(tr("Backend"), self.backend_combo)
        self.interp_combo = QComboBox()
        self.interp_combo.addItem(tr("published (as the reference implementation)"), "published")
        self.interp_combo.addItem(tr("linear (nearer layer weighs more)"), "linear")
        aform.addRow(tr("Band interpolation"), self.interp_combo)
        self.extrapolate_check = QCheckBox(tr("Use the nearest layer for bands outside the trained spectrum"))
        aform.addRow(self.extrapolate_check)
        self.keep_embeddings_check = QCheckBox(tr("Also keep the embeddings next to the output"))
        aform.addRow(self.keep_embeddings_check)
        layout.addWidget(adv)
        self.advanced_box = adv

        # Validation + buttons
        self.validation_label = QLabel()
        self.validation_label.setWordWrap(True)
        self.validation_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.validation_label.setStyleSheet("QLabel { color: #b00020; }")
        outer.addWidget(self.validation_label)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        outer.addWidget(self.status_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.run_button = self.buttons.addButton(tr("Run"), QDialogButtonBox.AcceptRole)
        outer.addWidget(self.buttons)

        # Signals
        self.layer_combo.layerChanged.connect(self._on_layer_changed)
        self.sensor_combo.activated.connect(self._on_sensor_chosen)
        self.autodetect_button.clicked.connect(self.auto_detect)
        self.band_table.bandsChanged.connect(self._on_bands_changed)
        self.model_combo.currentIndexChanged.connect(self._on_model_changed)
        self.model_file.fileChanged.connect(self.validate)
        self.product_combo.currentIndexChanged.connect(self._on_product_changed)
        self.output_file.fileChanged.connect(self.validate)
        self.interp_combo.currentIndexChanged.connect(self._on_rule_changed)
        self.extrapolate_check.toggled.connect(self._on_rule_changed)
        self.extent_box.extentChanged.connect(self.validate)
        self.buttons.rejected.connect(self.reject)
        self.run_button.clicked.connect(self.request_run)

    def _build_clusters(self) -> QWidget:
        w = QWidget()
        f = QFormLayout(w)
        self.k_spin = QSpinBox()
        self.k_spin.setRange(2, 64)
        self.k_spin.setValue(8)
        f.addRow(tr("Number of clusters (k)"), self.k_spin)
        return w

    def _build_similarity(self) -> QWidget:
        w = QWidget()
        f = QFormLayout(w)
        row = QHBoxLayout()
        self.pick_button = QPushButton(tr("Pick points on the map"))
        self.pick_button.setCheckable(True)
        self.clear_points_button = QPushButton(tr("Clear"))
        self.points_label = QLabel(tr("No point picked"))
        row.addWidget(self.pick_button)
        row.addWidget(self.clear_points_button)
        row.addWidget(self.points_label, 1)
        f.addRow(tr("Reference points"), row)
        self.reference_combo = QgsMapLayerComboBox()
        self.reference_combo.setFilters(QgsMapLayerProxyModel.PointLayer | QgsMapLayerProxyModel.PolygonLayer)
        self.reference_combo.setAllowEmptyLayer(True)
        self.reference_combo.setLayer(None)
        f.addRow(tr("or a point/polygon layer"), self.reference_combo)
        self.pick_button.toggled.connect(self._toggle_pick)
        self.clear_points_button.clicked.connect(self.clear_reference_points)
        self.reference_combo.layerChanged.connect(self.validate)
        return w

    def _build_change(self) -> QWidget:
        w = QWidget()
        f = QFormLayout(w)
        self.second_combo = QgsMapLayerComboBox()
        self.second_combo.setFilters(QgsMapLayerProxyModel.RasterLayer)
        self.second_combo.setAllowEmptyLayer(True)
        self.second_combo.setLayer(None)
        f.addRow(tr("Second raster (after)"), self.second_combo)
        self.second_combo.layerChanged.connect(self.validate)
        return w

    def _build_classification(self) -> QWidget:
        w = QWidget()
        f = QFormLayout(w)
        self.labels_combo = QgsMapLayerComboBox()
        self.labels_combo.setFilters(QgsMapLayerProxyModel.PointLayer | QgsMapLayerProxyModel.PolygonLayer)
        self.labels_combo.setAllowEmptyLayer(True)
        self.labels_combo.setLayer(None)
        f.addRow(tr("Labelled vector layer"), self.labels_combo)
        self.field_combo = QgsFieldComboBox()
        f.addRow(tr("Class field"), self.field_combo)
        self.labels_combo.layerChanged.connect(self._on_labels_layer_changed)
        self.field_combo.fieldChanged.connect(self.validate)
        return w

    # ------------------------------------------------------------------------------ state -----
    def product(self) -> str:
        return self.product_combo.currentData()

    def set_product(self, key: str) -> None:
        idx = self.product_combo.findData(key)
        if idx >= 0:
            self.product_combo.setCurrentIndex(idx)

    def _on_product_changed(self, *_):
        page = {"clusters": 1, "similarity": 2, "change": 3, "classification": 4}.get(self.product(), 0)
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
        elif product == "classification":
            job.labels_vector = vector_file(self.labels_combo.currentLayer())
            job.label_field = self.field_combo.currentField()
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
