"""Widgets and layout of the main dialog (kept apart from its behaviour in main_dialog.py)."""
from __future__ import annotations

from qgis.core import QgsMapLayerProxyModel
from qgis.gui import (
    QgsCollapsibleGroupBox,
    QgsExtentGroupBox,
    QgsFieldComboBox,
    QgsFileWidget,
    QgsMapLayerComboBox,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..bands_model import sensors
from ..i18n import tr, tr_noop
from ..widgets.band_table import BandTableWidget
from ..widgets.dates_list import DatesListWidget
from .learning_options import add_classifier_choice, add_cluster_method, add_device_line
from .models import FILE_MODEL, available_models

PRODUCTS = (
    ("embeddings", tr_noop("Embeddings (one band per feature)")),
    ("pca", tr_noop("PCA (3 principal components as RGB)")),
    ("clusters", tr_noop("Clusters (k-means or HDBSCAN)")),
    ("similarity", tr_noop("Similarity to reference points")),
    ("change", tr_noop("Change between two dates")),
    ("classification", tr_noop("Classification from labelled vector layer")),
    ("seasonal", tr_noop("Time series: seasonal embeddings and change profile")),
)

class DialogLayout:
    """Mixin that builds the dialog's widgets and connects them to the dialog's handlers."""

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
        self.dates_list = DatesListWidget()  # 5: time series (its own module)
        self.options.addWidget(self.dates_list)
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
        add_device_line(aform, self)
        self.interp_combo = QComboBox()
        self.interp_combo.addItem(tr("reference (the reference's layers, else the nearest layer)"), "reference")
        self.interp_combo.addItem(tr("published interpolation (farther layer weighs more)"), "published")
        self.interp_combo.addItem(tr("linear interpolation (nearer layer weighs more)"), "linear")
        aform.addRow(tr("Band mapping"), self.interp_combo)
        from ..widgets.fidelity_box import FidelityBox  # second sensor, fusion, model scale, statistics

        self.fidelity_box = FidelityBox()
        aform.addRow(self.fidelity_box)
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
        self.dates_list.changed.connect(self.validate)
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
        add_cluster_method(f, self)
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
        add_classifier_choice(f, self)
        self.labels_combo.layerChanged.connect(self._on_labels_layer_changed)
        self.field_combo.fieldChanged.connect(self.validate)
        return w
