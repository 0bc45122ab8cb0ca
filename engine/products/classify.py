"""Classification from labelled points/polygons on frozen embeddings: train a small head, map classes.

Flow: embeddings raster (token grid) -> labels rasterised on the token grid -> one sample per
labelled token -> stratified group cross-validation (honest accuracy) -> final fit on all samples
-> class + confidence rasters streamed by blocks -> head saved next to the output for reuse.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np
from osgeo import gdal

from ..classifiers import CLASSIFIERS, fit_classifier, softmax
from ..errors import JobCancelled, JobError, RasterError
from ..jobs import JobResult, JobSpec
from ..raster.writer import GeoTiffWriter, commit_file, remove_quietly, temp_name
from ..validation import cross_validate
from ..vector import check_label_field, rasterize_label_raster, read_class_colours
from .classify_report import format_report_html, format_report_text
from .features import append_band_block, check_feature_mode, feature_note, token_band_means
from .heads import HEAD_FORMAT, Head, _jsonable, band_mismatch  # noqa: F401  (re-exported API)
from .output_grid import clipped_token_geotransform
from .tokens import iter_token_rows

gdal.UseExceptions()

# Distinct colours for classes without a colour in the label file (colour-blind friendly first).
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94")
CONFIDENCE_NODATA = -1.0


@dataclass
class TrainingSamples:
    """Embedding vectors under the labels: one row per labelled valid token."""

    x: np.ndarray  # [N, D] float32
    y: np.ndarray  # [N] class index
    groups: np.ndarray  # [N] label feature id (tokens of one polygon stay together in CV)
    class_names: list[str]
    rows: np.ndarray
    cols: np.ndarray
    label_report: dict = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Samples per class."""
        c = np.bincount(self.y, minlength=len(self.class_names))
        return {n: int(c[i]) for i, n in enumerate(self.class_names)}


def _check_cancel(cancel: Optional[Callable[[], bool]]) -> None:
    if cancel is not None and cancel():
        raise JobCancelled("Cancelled by the user; no output was written.")


# -- samples ---------------------------------------------------------------------------------

def _grid(path: str) -> tuple[int, int, tuple, str, int]:
    try:
        ds = gdal.Open(path)
    except RuntimeError as exc:
        raise RasterError(f"Cannot read embeddings {path}: {exc}") from None
    return ds.RasterXSize, ds.RasterYSize, tuple(ds.GetGeoTransform()), ds.GetProjection(), ds.RasterCount


def samples_from_embeddings(emb_path: str, vector_path: str, field_name: Optional[str],
                            layer: Optional[str] = None, cancel: Optional[Callable[[], bool]] = None
                            ) -> TrainingSamples:
    """Rasterise labels on the token grid of an embeddings raster and collect one sample per labelled token."""
    width, height, gt, wkt, dim = _grid(emb_path)
    lab = rasterize_label_raster(vector_path, width, height, gt, wkt, field_name, layer, all_touched=True)
    labels = lab.labels
    # A polygon's tokens are near-duplicates: CV keeps each feature's tokens in one fold.
    patches = lab.feature_ids
    xs, ys, gs, rs, cs = [], [], [], [], []
    labelled_rows = np.flatnonzero((labels >= 0).any(axis=1))
    n_nodata = 0
    if len(labelled_rows):
        ds = gdal.Open(emb_path)
        r0, r1 = int(labelled_rows[0]), int(labelled_rows[-1]) + 1
        for y0 in range(r0, r1, 64):  # only the rows that hold labels, 64 token rows at a time
            _check_cancel(cancel)
            n = min(64, r1 - y0)
            sub = labels[y0:y0 + n]
            rr, cc = np.nonzero(sub >= 0)
            if not len(rr):
                continue
            block = ds.ReadAsArray(0, y0, width, n).astype(np.float32, copy=False)
            if block.ndim == 2:
                block = block[None]
            vec = block[:, rr, cc].T  # [m, D]
            ok = np.isfinite(vec).all(axis=1)
            n_nodata += int((~ok).sum())
            xs.append(vec[ok])
            ys.append(sub[rr, cc][ok])
            gs.append(patches[y0:y0 + n][rr, cc][ok])
            rs.append(rr[ok] + y0)
            cs.append(cc[ok])
        ds = None
    x = np.concatenate(xs) if xs else np.zeros((0, dim), np.float32)
    y = np.concatenate(ys).astype(np.int64) if ys else np.zeros(0, np.int64)
    notes = list(lab.warnings)
    if n_nodata:
        notes.append(f"{n_nodata} labelled token(s) fall on nodata in the raster and were not used.")
    report = {"features": lab.n_features, "outside_raster": lab.n_outside, "conflict_pixels": lab.n_conflict_pixels,
              "labelled_tokens": int((labels >= 0).sum()), "nodata_tokens": n_nodata, "warnings": notes}
    return TrainingSamples(x, y, np.concatenate(gs) if gs else np.zeros(0, np.int64), lab.class_names,
                           np.concatenate(rs) if rs else np.zeros(0, np.int64),
                           np.concatenate(cs) if cs else np.zeros(0, np.int64), report)


# -- training --------------------------------------------------------------------------------

def check_samples(y: np.ndarray, class_names: Sequence[str], source: str = "the labels") -> list[str]:
    """Raise JobError for fewer than two classes with samples; warnings for classes with one/no sample."""
    counts = np.bincount(np.asarray(y, dtype=np.int64), minlength=len(class_names))
    present = [n for n, c in zip(class_names, counts) if c > 0]
    if len(present) < 2:
        found = ", ".join(f"'{n}' ({c})" for n, c in zip(class_names, counts)) or "none"
        raise JobError(f"Classification needs labelled samples of at least two classes on the raster; {source} give "
                       f"{found}. Add labels of other classes (inside the raster and on valid data).")
    notes = []
    single = [n for n, c in zip(class_names, counts) if c == 1]
    if single:
        notes.append(f"Class(es) {', '.join(repr(n) for n in single)} have a single labelled token; "
                     "they are trained on but their accuracy cannot be measured.")
    present_counts = counts[counts > 0]
    if present_counts.max() >= 10 * present_counts.min():
        notes.append(f"Classes are unbalanced ({present_counts.min()} to {present_counts.max()} samples); the "
                     "classifiers weight classes equally, but the rare classes' accuracy rests on few samples.")
    empty = [n for n, c in zip(class_names, counts) if c == 0]
    if empty:
        notes.append(f"Class(es) {', '.join(repr(n) for n in empty)} have no usable labelled token and cannot be "
                     "predicted.")
    return notes


def train_head(x: np.ndarray, y: np.ndarray, class_names: Sequence[str], kind: str = "logistic", seed: int = 0,
               groups: Optional[np.ndarray] = None, folds: int = 5, colours: Optional[dict] = None,
               model_id: str = "", bands: Optional[list] = None, params: Optional[dict] = None,
               model_weights: str = "") -> Head:
    """Cross-validate then fit a classifier on all samples; returns a Head with CV metrics."""
    class_names = list(class_names)
    notes = check_samples(y, class_names)
    params = dict(params or {})
    metrics = cross_validate(x, y, class_names, kind, groups=groups, folds=folds, seed=seed, **params)
    # check_samples already names single-sample classes (in the user's words: tokens)
    metrics["warnings"] = notes + [w for w in metrics.get("warnings", []) if "single labelled sample" not in w]
    clf = fit_classifier(x, y, len(class_names), kind, seed, **params)
    palette = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(class_names)}
    palette.update({k: v for k, v in (colours or {}).items() if k in palette})
    counts = np.bincount(np.asarray(y, dtype=np.int64), minlength=len(class_names))
    return Head(clf, class_names, palette, model_id, int(np.asarray(x).shape[1]), list(bands or []), metrics,
                {"samples": {n: int(c) for n, c in zip(class_names, counts)}, "n_samples": int(len(y)),
                 "classifier": kind, "seed": seed}, model_weights)


# -- prediction ------------------------------------------------------------------------------

def token_scores(head: Head, emb_path: str, progress=None, cancel=None, progress_range=(0.0, 1.0),
                 band_block: Optional[np.ndarray] = None) -> np.ndarray:
    """Per-class scores [C, H, W] float32 over the embeddings raster (NaN on nodata), read by row blocks
    (band_block [B, H, W]: per-token band means appended to each embedding, see products.features)."""
    width, height, _, _, dim = _grid(emb_path)
    extra = 0 if band_block is None else int(band_block.shape[0])
    if head.embed_dim and dim + extra != head.embed_dim:
        raise JobError(f"The head expects {head.embed_dim}-dimensional features; {emb_path} has {dim} bands"
                       + (f" (+{extra} band means)" if extra else "") + ".")
    out = np.full((len(head.class_names), height, width), np.nan, dtype=np.float32)
    lo, hi = progress_range
    for y0, tokens, valid in iter_token_rows(emb_path, rows=32, cancel=cancel):
        if valid.any():
            x = tokens[valid]
            if band_block is not None:
                x = append_band_block(x, band_block[:, y0:y0 + tokens.shape[0]][:, valid].T)
            out[:, y0:y0 + tokens.shape[0]][:, valid] = head.classifier.scores(x).T.astype(np.float32)
        if progress is not None:
            progress(lo + (hi - lo) * min(1.0, (y0 + tokens.shape[0]) / height), "classifying tokens")
    return out


def _probabilities(head: Head, scores: np.ndarray) -> np.ndarray:
    """scores [N, C] -> probabilities (kNN and random-forest scores already are shares)."""
    if getattr(head.classifier, "scores_are_probabilities", False):
        return scores / np.maximum(scores.sum(axis=1, keepdims=True), 1e-12)
    return softmax(scores)


def _bilinear_rows(scores: np.ndarray, token_gt: Sequence[float], out_gt: Sequence[float], y0: int, n: int,
                   width: int) -> np.ndarray:
    """Scores [C, n, width] at output-grid rows y0..y0+n, bilinear between token centres, nodata-aware."""
    c_count, th, tw = scores.shape
    xs = out_gt[0] + (np.arange(width) + 0.5) * out_gt[1]
    ys = out_gt[3] + (np.arange(y0, y0 + n) + 0.5) * out_gt[5]
    u = (xs - token_gt[0]) / token_gt[1] - 0.5  # token column, 0 at the first token centre
    v = (ys - token_gt[3]) / token_gt[5] - 0.5
    u0 = np.floor(u).astype(int)
    v0 = np.floor(v).astype(int)
    fu, fv = u - u0, v - v0
    acc = np.zeros((c_count, n, width), np.float64)
    wsum = np.zeros((n, width), np.float64)
    for dv, wv in ((0, 1 - fv), (1, fv)):
        rows = np.clip(v0 + dv, 0, th - 1)
        for du, wu in ((0, 1 - fu), (1, fu)):
            cols = np.clip(u0 + du, 0, tw - 1)
            s = scores[:, rows[:, None], cols[None, :]]
            w = wv[:, None] * wu[None, :]
            ok = np.isfinite(s[0])
            acc += np.where(ok, s, 0.0) * np.where(ok, w, 0.0)
            wsum += np.where(ok, w, 0.0)
    res = acc / np.maximum(wsum, 1e-12)
    # A pixel whose own token is nodata stays nodata (no smearing of classes into masked areas).
    own_r = np.clip(np.floor(v + 0.5).astype(int), 0, th - 1)
    own_c = np.clip(np.floor(u + 0.5).astype(int), 0, tw - 1)
    own_ok = np.isfinite(scores[0][own_r[:, None], own_c[None, :]])
    res[:, ~(own_ok & (wsum > 0))] = np.nan
    return res


def write_class_rasters(head: Head, scores: np.ndarray, token_gt: Sequence[float], crs_wkt: str, classes_path: str,
                        confidence_path: str, out_grid: Optional[tuple[int, int, tuple]] = None,
                        metadata: Optional[dict] = None, cancel=None) -> dict[str, int]:
    """Write the class raster (palette + category names, nodata 255) and the confidence raster.

    At token resolution the scores are used as they are. On the input grid (`out_grid` = width,
    height, geotransform) the scores are interpolated bilinearly between token centres before the
    argmax. For the logistic head the scores are logits, an affine function of the embedding, so
    interpolating logits equals classifying interpolated (blended) embeddings exactly; for the MLP
    (log-probabilities), kNN and random forest (shares) it is an approximation of the same idea.
    """
    n_classes = len(head.class_names)
    dtype, nodata = ("uint8", 255) if n_classes < 255 else ("uint16", 65535)
    if out_grid is None:
        height, width = scores.shape[1:]
        gt = tuple(token_gt)
    else:
        width, height, gt = out_grid
    colours = [tuple(int(head.colours.get(n, PALETTE[i % len(PALETTE)])[k:k + 2], 16) for k in (1, 3, 5))
               for i, n in enumerate(head.class_names)]
    meta = {"SMARTIES_PRODUCT": "classify", "SMARTIES_CLASSES": head.class_names, **(metadata or {})}
    pixels = np.zeros(n_classes, np.int64)
    with GeoTiffWriter(classes_path, width, height, 1, dtype, gt, crs_wkt, nodata=nodata, descriptions=["class"],
                       metadata=meta, color_table=colours, category_names=head.class_names) as cw, \
            GeoTiffWriter(confidence_path, width, height, 1, "float32", gt, crs_wkt, nodata=CONFIDENCE_NODATA,
                          descriptions=["confidence (max class probability)"], metadata=meta) as fw:
        rows = max(1, min(256, (1 << 22) // max(1, width * n_classes)))
        for y0 in range(0, height, rows):
            _check_cancel(cancel)
            n = min(rows, height - y0)
            s = scores[:, y0:y0 + n] if out_grid is None else _bilinear_rows(scores, token_gt, gt, y0, n, width)
            flat = np.moveaxis(s, 0, -1).reshape(-1, n_classes)
            ok = np.isfinite(flat).all(axis=1)
            cls = np.full(len(flat), nodata, dtype=np.int64)
            conf = np.full(len(flat), CONFIDENCE_NODATA, dtype=np.float32)
            if ok.any():
                prob = _probabilities(head, flat[ok].astype(np.float64))
                cls[ok] = prob.argmax(axis=1)
                conf[ok] = prob.max(axis=1)
                pixels += np.bincount(cls[ok], minlength=n_classes)
            cw.write_rows(cls.reshape(1, n, width), y0)
            fw.write_rows(conf.reshape(1, n, width), y0)
        # Both files are complete before either takes its final name.
        _check_cancel(cancel)
        cw.commit()
        fw.commit()
    return {name: int(pixels[i]) for i, name in enumerate(head.class_names)}


# -- jobs ------------------------------------------------------------------------------------

def output_paths(output: str) -> dict[str, str]:
    """Final names: classes = output, `<stem>_confidence.tif`, `<stem>.head.json`, `<stem>_report.html`."""
    stem, ext = os.path.splitext(os.path.abspath(output))
    return {"classes": stem + (ext or ".tif"), "confidence": f"{stem}_confidence{ext or '.tif'}",
            "head": f"{stem}.head.json", "report": f"{stem}_report.html"}


@contextmanager
def _scratch_embeddings(job: JobSpec, paths: dict):
    """Embeddings raster for one run: removed on failure or cancel, and on success unless kept."""
    emb_tmp, keep = _embeddings_path(job, paths)
    done = False
    try:
        yield emb_tmp, keep
        done = True
    finally:
        if not (done and keep):
            remove_quietly(emb_tmp)


def _embeddings_path(job: JobSpec, paths: dict) -> tuple[str, bool]:
    """Embeddings next to the output (`<stem>_embeddings.tif`) when the job keeps them, else a temp file."""
    if getattr(job, "keep_embeddings", False):
        stem, ext = os.path.splitext(paths["classes"])
        return f"{stem}_embeddings{ext}", True
    return temp_name(paths["classes"]), False


def _compute_embeddings(job: JobSpec, path: str, progress, cancel, progress_range):
    """Embeddings of job.inputs on the token grid (several inputs of other sensors: fused, engine.products.fusion)."""
    from .fusion import embed_group

    return embed_group(job, 0, path, progress, cancel, progress_range)


def _input_band_table(job: JobSpec) -> tuple[str, list[dict]]:
    """(input label, band table rows) of job.inputs without running the model (several: fused)."""
    from .inputs import band_table, open_input
    from .reuse import band_table_of, embeddings_input

    reused = embeddings_input(job, 0)
    if reused:  # an embeddings raster: its own band table
        return band_table_of(reused)
    labels, rows = [], []
    for k in range(len(job.inputs)):
        source, bands = open_input(job, k)
        try:
            labels.append(source.label)
            table = band_table(bands, source)
            rows += [dict(r, input=k + 1) for r in table] if len(job.inputs) > 1 else table
        finally:
            source.close()
    return " + ".join(labels), rows


def _embedding_model(info, job: JobSpec) -> tuple[str, str]:
    """(model id, weights fingerprint) the embeddings file says made it ('' for files without one)."""
    try:
        meta = gdal.Open(info.path).GetMetadata() or {}
    except RuntimeError:
        meta = {}
    return str(meta.get("SMARTIES_MODEL") or job.model), str(meta.get("SMARTIES_MODEL_WEIGHTS") or "")


def _write_text(path: str, text: str) -> None:
    tmp = temp_name(path)
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        commit_file(tmp, path)
    finally:
        remove_quietly(tmp)


def _band_block(job: JobSpec, head: Head, info) -> Optional[np.ndarray]:
    """Per-token band means when the head was trained on bands + embeddings, else None."""
    return token_band_means(job, info) if head.training.get("features") == "bands+embeddings" else None


def _predict_and_write(job: JobSpec, head: Head, info, paths: dict, progress, cancel, meta: dict) -> dict:
    scores = token_scores(head, info.path, progress, cancel, (0.8, 0.9), _band_block(job, head, info))
    grid = None
    if job.at_input_resolution:
        grid = (int(info.input_width), int(info.input_height), tuple(info.input_geotransform))
    progress(0.9, "writing class and confidence rasters")
    # On tokens, the map ends where the input ends (see output_grid); on the input grid the exact
    # token geotransform places the token centres for the interpolation.
    token_gt = info.geotransform if grid else clipped_token_geotransform(
        info.input_geotransform, info.input_width, info.input_height, tokens=(info.width, info.height))
    return write_class_rasters(head, scores, token_gt, info.crs_wkt, paths["classes"], paths["confidence"],
                               grid, meta, cancel)


def run_classify(job: JobSpec, progress: Callable[[float, str], None], cancel: Callable[[], bool]) -> JobResult:
    """Product 'classify': train a head on labelled vectors (or apply job.head_path) and map classes."""
    if job.head_path:
        return apply_head(job.head_path, job, progress, cancel)
    if not (job.labels_vector and job.label_field):
        raise JobError("Classification needs a labelled vector file and its class field (or a saved head).")
    if job.classifier not in CLASSIFIERS:
        raise JobError(f"Unknown classifier '{job.classifier}'. Choose one of: {', '.join(CLASSIFIERS)}.")
    paths = output_paths(job.output)
    # Label problems (missing file/field, empty values) show up now, not after the encoder run.
    check_label_field(job.labels_vector, job.label_field)
    # the class/confidence writers remove their own temporary files on failure
    with _scratch_embeddings(job, paths) as (emb_tmp, keep):
        info = _compute_embeddings(job, emb_tmp, progress, cancel, (0.0, 0.7))
        _check_cancel(cancel)
        progress(0.7, "reading embeddings under the labels")
        samples = samples_from_embeddings(info.path, job.labels_vector, job.label_field, cancel=cancel)
        features = check_feature_mode(getattr(job, "classify_features", "embeddings"))
        if features == "bands+embeddings":
            samples.x = append_band_block(samples.x, token_band_means(job, info)[:, samples.rows, samples.cols].T)
        colours = read_class_colours(job.labels_vector, job.label_field) or {}
        progress(0.72, f"cross-validating the {job.classifier} classifier on {len(samples.y)} samples")
        model_id, model_weights = _embedding_model(info, job)
        head = train_head(samples.x, samples.y, samples.class_names, job.classifier, job.seed, samples.groups,
                          colours=colours, model_id=model_id, bands=list(info.band_table), model_weights=model_weights)
        head.training.update({"features": features, "labels": os.path.abspath(job.labels_vector), "field": job.label_field,
                              "label_report": samples.label_report, "input": info.input_label})
        _check_cancel(cancel)
        meta = {"SMARTIES_MODEL": head.model_id, "SMARTIES_HEAD": os.path.basename(paths["head"]),
                "SMARTIES_CV_ACCURACY": str(head.metrics.get("overall_accuracy"))}
        pixels = _predict_and_write(job, head, info, paths, progress, cancel, meta)
        report = build_report(head, pixels, job, info, paths, samples.label_report)
        head.save(paths["head"])
        _write_text(paths["report"], format_report_html(report))
    progress(1.0, "done")
    if keep:
        paths = {**paths, "embeddings": emb_tmp}
    return JobResult(paths, report)


def apply_head(head_path: str, job: JobSpec, progress=None, cancel=None) -> JobResult:
    """Classify job.inputs[0] with a saved head; refuses when the model or bands do not match."""
    progress = progress or (lambda f, m: None)
    head = Head.load(head_path)
    # Fail before the (slow) encoder run when the bands already disagree.
    label, table = _input_band_table(job)
    head.check_compatible("", 0, table, where=label)
    paths = output_paths(job.output)
    paths["head"] = os.path.abspath(head_path)
    with _scratch_embeddings(job, paths) as (emb_tmp, keep):
        info = _compute_embeddings(job, emb_tmp, progress, cancel, (0.0, 0.8))
        model_id, model_weights = _embedding_model(info, job)
        extra = len(info.normalization) if head.training.get("features") == "bands+embeddings" else 0
        head.check_compatible(model_id, info.embed_dim + extra, info.band_table, where=info.input_label,
                              model_weights=model_weights)
        meta = {"SMARTIES_MODEL": head.model_id, "SMARTIES_HEAD": os.path.basename(head_path)}
        pixels = _predict_and_write(job, head, info, paths, progress, cancel, meta)
        report = build_report(head, pixels, job, info, paths, None)
        report["applied_head"] = os.path.abspath(head_path)
        _write_text(paths["report"], format_report_html(report))
    progress(1.0, "done")
    if keep:
        paths = {**paths, "embeddings": emb_tmp}
    return JobResult(paths, report)


def build_report(head: Head, pixels: dict, job: JobSpec, info, paths: dict, label_report: Optional[dict]) -> dict:
    """Report dict (JSON-able) with a plain-text rendering under 'text'."""
    report = {
        "product": "classify", "classifier": head.classifier.kind, "classes": head.class_names,
        "colours": head.colours, "samples": head.training.get("samples", {}),
        "cross_validation": head.metrics, "class_pixels": pixels, "labels": label_report or {},
        "model": head.model_id, "model_weights": head.model_weights, "at_input_resolution": bool(job.at_input_resolution),
        "token_grid": [getattr(info, "width", None), getattr(info, "height", None)],
        "input": getattr(info, "input_label", ""), "outputs": dict(paths),
        "warnings": list((label_report or {}).get("warnings", [])) + list(head.metrics.get("warnings", [])),
    }
    report["features"] = feature_note(head.training.get("features", "embeddings"))
    report = _jsonable(report)
    report["text"] = format_report_text(report) + "\n" + report["features"] + "\n"
    return report
