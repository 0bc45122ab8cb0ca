"""Dialog rows for the scikit-learn choices (clustering method, classifier and its features) and the device line.

Kept out of dialog_layout/main_dialog so their hooks stay one line each: add_cluster_method and
add_classifier_choice add a row to a product page, add_device_line a row to the Advanced section,
apply_to_job copies the choices into the JobSpec.
"""
from __future__ import annotations

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QFormLayout, QGridLayout, QHBoxLayout, QLabel, QSpinBox

from ..i18n import tr, tr_noop
from ..widgets.elided_combo import ElidedComboBox
from ..widgets.wrapped_line import WrappedLine

CLUSTER_METHODS = (
    ("kmeans", tr_noop("k-means (you choose k)")),
    ("hdbscan", tr_noop("HDBSCAN (finds the number of clusters)")),
)
CLASSIFIERS = (
    ("logistic", tr_noop("Logistic regression (linear)")),
    ("random_forest", tr_noop("Random forest")),
    ("knn", tr_noop("k nearest neighbours")),
    ("mlp", tr_noop("Small neural network (MLP)")),
)


def add_cluster_method(form: QFormLayout, dialog) -> None:
    """Method combo (k-means / HDBSCAN) + HDBSCAN's minimum cluster size; k is only enabled for k-means."""
    combo = ElidedComboBox(min_chars=12)  # its item elided, whole in the tooltip, when the column is narrow
    for key, label in CLUSTER_METHODS:
        combo.addItem(tr(label), key)
    size = QSpinBox()
    size.setRange(0, 100000)
    size.setSpecialValueText(tr("automatic"))
    size.setToolTip(tr("HDBSCAN: the smallest group of sampled tokens that counts as a cluster"))
    form.addRow(tr("Method"), combo)
    form.addRow(tr("Smallest cluster (tokens)"), size)
    dialog.cluster_method_combo, dialog.min_cluster_size_spin = combo, size

    def follow():
        hdbscan = combo.currentData() == "hdbscan"
        dialog.k_spin.setEnabled(not hdbscan)
        size.setEnabled(hdbscan)

    combo.currentIndexChanged.connect(follow)
    follow()


# What classify feeds its classifier (keys: engine.products.features.FEATURE_MODES).
FEATURE_CHOICES = (
    ("embeddings", tr_noop("Embeddings")),
    ("bands+embeddings", tr_noop("Bands + embeddings")),
)


def add_classifier_choice(form: QFormLayout, dialog) -> None:
    """Classifier combo of the classification page, and what it is given (features combo)."""
    combo = ElidedComboBox(min_chars=12)  # its item elided, whole in the tooltip, when the column is narrow
    for key, label in CLASSIFIERS:
        combo.addItem(tr(label), key)
    form.addRow(tr("Classifier"), combo)
    dialog.classifier_combo = combo
    features = ElidedComboBox(min_chars=12)
    for key, label in FEATURE_CHOICES:
        features.addItem(tr(label), key)
    features.setToolTip(tr("Bands + embeddings: each token's embedding plus the mean of its pixels in every "
                           "normalised band. On the real-data probes of the model card this beat embeddings "
                           "alone for per-pixel land cover."))
    form.addRow(tr("Features"), features)
    dialog.features_combo = features


def add_device_line(grid: QGridLayout, at: int, dialog) -> None:
    """A read-only line of the Advanced grid (row `at`, all its width): which device and precision a run
    would use, and why. Wrapped when long; buttons about the run (Estimate) go at its right end."""
    label = WrappedLine()
    label.setObjectName("smartiesDeviceLine")
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    row = QHBoxLayout()  # the line, then room for buttons about the run (Estimate)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label, 1)
    grid.addWidget(QLabel(tr("Runs on")), at, 0)
    grid.addLayout(row, at, 1, 1, max(1, grid.columnCount() - 1))
    dialog.device_line_label, dialog.device_line_row = label, row

    def refresh():
        label.setText(device_text(dialog.device_combo.currentData() or "auto",
                                  dialog.backend_combo.currentData() or "torch"))

    dialog.device_combo.currentIndexChanged.connect(refresh)
    dialog.backend_combo.currentIndexChanged.connect(refresh)
    dialog.refresh_device_line = refresh
    refresh()


def device_text(device: str, backend: str) -> str:
    """The engine's device line, or why it cannot be known (engine packages missing)."""
    try:
        from engine.inference.device_summary import device_line
    except ImportError as exc:  # the engine's own imports failed: the plugin still shows the dialog
        return tr("unknown ({0})").format(exc)
    return device_line(device, backend)


def apply_to_job(dialog, job, product: str) -> None:
    """Copy the clustering method / classifier choice into the job."""
    if product == "clusters":
        job.cluster_method = dialog.cluster_method_combo.currentData()
        job.min_cluster_size = dialog.min_cluster_size_spin.value() or None
    elif product == "classification":
        job.classifier = dialog.classifier_combo.currentData()
        job.classify_features = dialog.features_combo.currentData() or "embeddings"
