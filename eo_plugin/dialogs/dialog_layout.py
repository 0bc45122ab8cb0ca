"""Widgets and layout of the main dialog (kept apart from its behaviour in main_dialog.py).

Two columns, no scroll area, so everything fits a 1366 x 768 laptop screen: the input raster and
its band table on the left (the table takes the height), product, output, model, extent and the
folded Advanced settings on the right, with the problems, the progress and Run below both.
"""
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
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..bands_model import sensors
from ..i18n import tr, tr_noop
from ..widgets.band_table import DECISION_COLOURS, BandTableWidget
from ..widgets.dates_list import DatesListWidget
from ..widgets.decision_legend import DecisionLegend
from ..widgets.elided_combo import ElidedComboBox
from ..widgets.wrapped_line import WrappedLine
from .estimate import add_estimate_button, add_estimate_line
from .learning_options import add_classifier_choice, add_cluster_method, add_device_line
from .models import FILE_MODEL, model_choices

# The first product is a map (PCA), not the many-band embeddings raster.
PRODUCTS = (
    ("pca", tr_noop("PCA (3 principal components as RGB)")),
    ("clusters", tr_noop("Clusters (k-means or HDBSCAN)")),
    ("similarity", tr_noop("Similarity to reference points")),
    ("change", tr_noop("Change between two dates")),
    ("classification", tr_noop("Classification from labelled vector layer")),
    ("embeddings", tr_noop("Embeddings (one band per feature)")),
    ("seasonal", tr_noop("Time series: seasonal embeddings and change profile")),
)
# Option pages of the product stack
PRODUCT_PAGES = {"clusters": 1, "similarity": 2, "change": 3, "classification": 4, "seasonal": 5}
RIGHT_COLUMN_WIDTH = 480  # wide enough for the cluster page's labels and the method's item (English)
LABEL_SPACING = 10  # between a form label and its field (the style's spacing is 0 px in QGIS)


def _with_note(box: QWidget, form: QFormLayout, note: QLabel) -> QWidget:
    """The box's form with a wrapped note under it (outside the form, which mis-sizes wrapped labels)."""
    outer = QVBoxLayout(box)
    outer.setContentsMargins(0, 0, 0, 4)
    outer.setSpacing(0)
    outer.addLayout(form)
    note.setContentsMargins(6, 0, 6, 0)
    outer.addWidget(note)
    outer.addStretch(1)
    return box


def _form(parent=None) -> QFormLayout:
    form = QFormLayout(parent)
    form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
    form.setHorizontalSpacing(LABEL_SPACING)
    form.setContentsMargins(6, 4, 6, 4)
    form.setVerticalSpacing(4)
    return form


def _note_label(kind=QLabel) -> QLabel:
    label = kind()
    label.setWordWrap(True)
    # Wrapped labels in a form take the height of their text at this width (else Qt may cut a line).
    label.setMinimumWidth(RIGHT_COLUMN_WIDTH - 40)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.LinksAccessibleByMouse)
    label.setOpenExternalLinks(True)
    label.setStyleSheet("QLabel { color: #555; }")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    return label


def _label_row(row: QHBoxLayout, text: str, field: QWidget) -> QLabel:
    """A label for `field` (its buddy) added to a row of widgets, with form spacing before the field."""
    label = QLabel(text)
    label.setBuddy(field)
    label.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Preferred)  # its whole text, never squeezed
    row.addWidget(label)
    row.addSpacing(LABEL_SPACING)
    return label


class DialogLayout:
    """Mixin that builds the dialog's widgets and connects them to the dialog's handlers."""

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        columns = QHBoxLayout()
        outer.addLayout(columns, 1)
        left = QVBoxLayout()
        left.addWidget(self._build_input(), 1)
        left.addWidget(self._build_model())
        left.addWidget(self._build_extent())
        left.addWidget(self._build_advanced())
        columns.addLayout(left, 1)
        right = QWidget()
        right.setFixedWidth(RIGHT_COLUMN_WIDTH)  # a fixed width lets the wrapped notes take their real height
        col = QVBoxLayout(right)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self._build_product(), 1)  # a tall option page (the dates of a time series) takes the room
        col.addWidget(self._build_output())
        col.addWidget(self._build_fidelity())
        columns.addWidget(right)
        self.right_column = right

        # Problems, progress and buttons
        self.validation_label = QLabel()
        self.validation_label.setWordWrap(True)
        self.validation_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.validation_label.setStyleSheet("QLabel { color: #b00020; }")
        outer.addWidget(self.validation_label)
        status = QHBoxLayout()
        self.status_label = WrappedLine(hide_empty=True)  # no room taken before a run says something
        self.status_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.LinksAccessibleByMouse)
        self.status_label.setOpenExternalLinks(True)
        status.addWidget(self.status_label, 1)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setVisible(False)
        status.addWidget(self.progress_bar)
        outer.addLayout(status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.run_button = self.buttons.addButton(tr("Run"), QDialogButtonBox.AcceptRole)
        bottom = QHBoxLayout()
        add_estimate_line(bottom, self)  # the Estimate button's answer, left of Run (no extra height)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)

        # Signals
        self.layer_combo.layerChanged.connect(self._on_layer_changed)
        self.sensor_combo.activated.connect(self._on_sensor_chosen)
        self.autodetect_button.clicked.connect(self.auto_detect)
        self.band_table.bandsChanged.connect(self._on_bands_changed)
        self.model_combo.currentIndexChanged.connect(self._on_model_changed)
        self.sensor_combo.currentIndexChanged.connect(self._on_fidelity_context)
        self.model_file.fileChanged.connect(self.validate)
        self.download_button.clicked.connect(self.download_model)
        self.product_combo.currentIndexChanged.connect(self._on_product_changed)
        self.dates_list.changed.connect(self.validate)
        self.resolution_combo.currentIndexChanged.connect(self._on_resolution_changed)
        self.output_file.fileChanged.connect(self._on_output_edited)
        self.interp_combo.currentIndexChanged.connect(self._on_rule_changed)
        self.extrapolate_check.toggled.connect(self._on_rule_changed)
        self.device_combo.currentIndexChanged.connect(self.validate)
        self.window_spin.valueChanged.connect(self.validate)
        self.extent_box.extentChanged.connect(self.validate)
        self.extent_box.toggled.connect(self._on_extent_toggled)
        self.buttons.rejected.connect(self.reject)
        self.run_button.clicked.connect(self.request_run)

    # --------------------------------------------------------------------------- sections -----
    def _build_input(self) -> QGroupBox:
        box = QGroupBox(tr("Input raster and bands"))
        form = QVBoxLayout(box)
        row = QHBoxLayout()
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(QgsMapLayerProxyModel.RasterLayer)
        self.layer_combo.setAllowEmptyLayer(True)
        _label_row(row, tr("Raster layer"), self.layer_combo)
        row.addWidget(self.layer_combo, 1)
        form.addLayout(row)
        row = QHBoxLayout()
        self.sensor_combo = ElidedComboBox(min_chars=24)
        _label_row(row, tr("Sensor preset"), self.sensor_combo)
        self.sensor_combo.addItem(tr("(identify from the file)"), None)
        for sid, title in sensors():
            self.sensor_combo.addItem(title, sid)
        self.sensor_combo.setToolTip(tr("Choose the sensor: with as many bands as the preset, every band gets the "
                                        "preset's wavelength range in file order; otherwise pick in the Name "
                                        "column which preset band each file band is."))
        row.addWidget(self.sensor_combo, 1)
        self.autodetect_button = QPushButton(tr("Auto-detect"))
        self.autodetect_button.setToolTip(tr("Identify each band from the file's metadata, band names and file "
                                             "name."))
        row.addWidget(self.autodetect_button)
        form.addLayout(row)
        self.band_table = BandTableWidget()  # its minimum is a hint: on a short dialog the table scrolls
        form.addWidget(self.band_table, 1)  # the table takes the height, and gives it up first
        self.legend = DecisionLegend(DECISION_COLOURS)  # a fixed line of its own under the table
        form.addWidget(self.legend)
        return box

    def _build_product(self) -> QGroupBox:
        box = QGroupBox(tr("Product"))
        pform = _form()
        self.product_combo = ElidedComboBox(min_chars=18)
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
        self.resolution_combo = ElidedComboBox(min_chars=18)
        self.resolution_combo.addItem(tr("input pixels (maps)"), True)
        self.resolution_combo.addItem(tr("16 x 16 px patches (tokens)"), False)
        self.resolution_combo.setToolTip(tr("The model sees 16 x 16 px patches. Input resolution spreads its "
                                            "values over the input's pixels (maps); token resolution keeps one "
                                            "pixel per patch, clipped to the input's extent."))
        pform.addRow(tr("Resolution"), self.resolution_combo)
        self.grid_label = _note_label()
        return _with_note(box, pform, self.grid_label)

    def _build_output(self) -> QGroupBox:
        box = QGroupBox(tr("Output"))
        oform = _form()
        self.output_file = QgsFileWidget()
        self.output_file.setStorageMode(QgsFileWidget.SaveFile)
        self.output_file.setFilter(tr("GeoTIFF (*.tif *.tiff)"))
        self.output_file.setConfirmOverwrite(False)  # asked once, when Run is clicked
        oform.addRow(tr("Output file"), self.output_file)
        self.output_note = _note_label()
        return _with_note(box, oform, self.output_note)

    def _build_model(self) -> QWidget:
        box = QWidget()  # no frame: its one row starts with "Model"
        mform = _form()
        self.model_combo = ElidedComboBox(min_chars=18)
        self._model_choices = {c.model_id: c for c in model_choices()}
        for choice in self._model_choices.values():
            self.model_combo.addItem(choice.title, choice.model_id)
        self.model_combo.addItem(tr("Model file…"), FILE_MODEL)
        row = QHBoxLayout()  # one line: the model, its download button, or a model file
        row.addWidget(self.model_combo, 2)
        self.download_button = QPushButton(tr("Download"))
        self.download_button.setToolTip(tr("Download the published weights from Hugging Face (needs internet)."))
        self.download_button.setVisible(False)
        row.addWidget(self.download_button)
        row.addSpacing(LABEL_SPACING)  # the model file's label apart from the model combo
        self.model_file = QgsFileWidget()
        self.model_file.setFilter(tr("Model files (*.safetensors *.pt *.pth *.onnx)"))
        _label_row(row, tr("Model file"), self.model_file)
        row.addWidget(self.model_file, 1)
        mform.addRow(tr("Model"), row)
        self.model_note = _note_label(WrappedLine)  # the height of its lines at the column's width
        self.model_note.setMinimumWidth(0)  # a wide column: the note fits in a few lines
        self.model_note.setAlignment(Qt.AlignLeft | Qt.AlignTop)  # under its row when given more height
        self.model_form = mform
        return _with_note(box, mform, self.model_note)

    def _build_fidelity(self) -> QgsCollapsibleGroupBox:
        from ..widgets.fidelity_box import FidelityBox  # second sensor, fusion, model scale, statistics

        box = QgsCollapsibleGroupBox(tr("Second sensor, fusion, model scale"))
        box.setCollapsed(True)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 4, 6, 4)
        self.fidelity_box = FidelityBox()
        layout.addWidget(self.fidelity_box)
        self.fidelity_group = box
        return box

    def _build_extent(self) -> QgsExtentGroupBox:
        self.extent_box = QgsExtentGroupBox()
        self.extent_box.setTitleBase(tr("Extent"))
        self.extent_box.setToolTip(tr("Unticked: the whole layer."))
        self.extent_box.setCheckable(True)
        self.extent_box.setChecked(False)
        self.extent_box.setCollapsed(True)  # unfolds when ticked
        if self.canvas is not None:
            self.extent_box.setMapCanvas(self.canvas)
        return self.extent_box

    def _build_advanced(self) -> QgsCollapsibleGroupBox:
        adv = QgsCollapsibleGroupBox(tr("Advanced"))
        adv.setCollapsed(True)
        grid = QGridLayout(adv)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(4)
        self.window_spin = QSpinBox()
        self.window_spin.setRange(16, 2048)
        self.window_spin.setSingleStep(16)
        self.window_spin.setValue(224)
        self.window_spin.setSuffix(tr(" px"))
        self.overlap_spin = QDoubleSpinBox()
        self.overlap_spin.setRange(0.0, 0.9)
        self.overlap_spin.setSingleStep(0.05)
        self.overlap_spin.setValue(0.25)
        self.overlap_spin.setToolTip(tr("Overlap (fraction of the window)"))
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 512)
        self.batch_spin.setValue(8)
        self.device_combo = QComboBox()
        for dev in ("auto", "cpu", "cuda", "mps"):
            self.device_combo.addItem(dev, dev)
        self.backend_combo = QComboBox()
        self.backend_combo.addItem("PyTorch", "torch")
        self.backend_combo.addItem("ONNX Runtime", "onnxruntime")
        self.interp_combo = ElidedComboBox(min_chars=18)
        self.interp_combo.addItem(tr("reference (the reference's layers, else the nearest layer)"), "reference")
        self.interp_combo.addItem(tr("published interpolation (farther layer weighs more)"), "published")
        self.interp_combo.addItem(tr("linear interpolation (nearer layer weighs more)"), "linear")
        self.valid_share_spin = QSpinBox()
        self.valid_share_spin.setRange(0, 100)
        self.valid_share_spin.setValue(50)
        self.valid_share_spin.setSuffix(" %")
        self.valid_share_spin.setToolTip(tr("Patches (16 x 16 px) with fewer valid pixels than this become nodata, so "
                                            "half-empty patches along swath edges do not form their own cluster or "
                                            "colour."))
        cells = ((tr("Window"), self.window_spin), (tr("Overlap"), self.overlap_spin),
                 (tr("Batch size"), self.batch_spin), (tr("Device"), self.device_combo),
                 (tr("Backend"), self.backend_combo), (tr("Valid pixels per patch"), self.valid_share_spin))
        for i, (label, widget) in enumerate(cells):
            grid.addWidget(QLabel(label), i // 2, 2 * (i % 2))
            grid.addWidget(widget, i // 2, 2 * (i % 2) + 1)
        row = len(cells) // 2
        grid.addWidget(QLabel(tr("Band mapping")), row, 0)
        grid.addWidget(self.interp_combo, row, 1)
        self.keep_embeddings_check = QCheckBox(tr("Keep the embeddings too"))
        self.keep_embeddings_check.setToolTip(tr("Also keep the embeddings next to the output"))
        grid.addWidget(self.keep_embeddings_check, row, 2, 1, 2)
        self.extrapolate_check = QCheckBox(tr("Use the nearest layer for bands outside the trained spectrum"))
        grid.addWidget(self.extrapolate_check, row + 1, 0, 1, 4)
        # The device line on a row of its own (the section's width: one line, wrapped when it is a
        # long reason), the Estimate button at its right end.
        add_device_line(grid, row + 2, self)  # which device and precision a run would use
        add_estimate_button(self.device_line_row, self)  # windows, time, memory, output size before Run
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.advanced_box = adv
        self.advanced_grid = grid  # next free row: advanced_grid.rowCount()
        return adv

    # ---------------------------------------------------------------------- option pages -----
    def _build_clusters(self) -> QWidget:
        w = QWidget()
        f = _form(w)
        f.setContentsMargins(0, 0, 0, 0)
        self.k_spin = QSpinBox()
        self.k_spin.setRange(2, 64)
        self.k_spin.setValue(8)
        f.addRow(tr("Number of clusters (k)"), self.k_spin)
        add_cluster_method(f, self)
        return w

    def _build_similarity(self) -> QWidget:
        w = QWidget()
        f = _form(w)
        f.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.pick_button = QPushButton(tr("Pick points on the map"))
        self.pick_button.setCheckable(True)
        self.clear_points_button = QPushButton(tr("Clear"))
        self.points_label = QLabel(tr("No point picked"))
        row.addWidget(self.pick_button)
        row.addWidget(self.clear_points_button)
        row.addStretch(1)
        f.addRow(row)
        f.addRow(self.points_label)  # under the buttons: beside them it pushed the page past the column (French)
        self.reference_combo = QgsMapLayerComboBox()
        self.reference_combo.setFilters(QgsMapLayerProxyModel.PointLayer | QgsMapLayerProxyModel.PolygonLayer)
        self.reference_combo.setAllowEmptyLayer(True)
        self.reference_combo.setLayer(None)
        f.addRow(tr("or a layer"), self.reference_combo)
        self.similarity_mode_combo = ElidedComboBox(min_chars=18)
        self.similarity_mode_combo.addItem(tr("max over the references (each place stands out)"), "max")
        self.similarity_mode_combo.addItem(tr("mean of the references (one reference)"), "mean")
        self.similarity_mode_combo.setToolTip(tr("How several reference points or features are combined."))
        f.addRow(tr("Combine"), self.similarity_mode_combo)
        self.pick_button.toggled.connect(self._toggle_pick)
        self.clear_points_button.clicked.connect(self.clear_reference_points)
        self.reference_combo.layerChanged.connect(self.validate)
        return w

    def _build_change(self) -> QWidget:
        w = QWidget()
        f = _form(w)
        f.setContentsMargins(0, 0, 0, 0)
        self.second_combo = QgsMapLayerComboBox()
        self.second_combo.setFilters(QgsMapLayerProxyModel.RasterLayer)
        self.second_combo.setAllowEmptyLayer(True)
        self.second_combo.setLayer(None)
        f.addRow(tr("Second raster (after)"), self.second_combo)
        # Short enough for the column in French too; the rest in the tooltip (a wrapped label here made
        # the option stack as tall as its tallest page: QStackedLayout's height-for-width asks every page).
        self.align_check = QCheckBox(tr("Align the second raster onto the first's grid"))
        self.align_check.setToolTip(tr("When the two rasters' grids differ (origin, pixel size or CRS), the "
                                       "second is resampled onto the first's grid before the comparison."))
        self.align_check.setChecked(True)
        f.addRow(self.align_check)
        self.second_combo.layerChanged.connect(self.validate)
        self.align_check.toggled.connect(self.validate)
        return w

    def _build_classification(self) -> QWidget:
        w = QWidget()
        f = _form(w)
        f.setContentsMargins(0, 0, 0, 0)
        self.labels_combo = QgsMapLayerComboBox()
        self.labels_combo.setFilters(QgsMapLayerProxyModel.PointLayer | QgsMapLayerProxyModel.PolygonLayer)
        self.labels_combo.setAllowEmptyLayer(True)
        self.labels_combo.setLayer(None)
        f.addRow(tr("Labelled layer"), self.labels_combo)
        self.field_combo = QgsFieldComboBox()
        f.addRow(tr("Class field"), self.field_combo)
        add_classifier_choice(f, self)
        self.labels_combo.layerChanged.connect(self._on_labels_layer_changed)
        self.field_combo.fieldChanged.connect(self.validate)
        return w
