"""Classification on seasonal embeddings: a head trained on labelled vectors over the pooled series.

Reuses the classification building blocks (samples under the labels, cross-validated head, class
and confidence rasters); the head, its report and the confidence raster go next to the classes.
"""
from __future__ import annotations

import os

from ..raster.writer import remove_quietly, temp_name
from ..vector import check_label_field, read_class_colours
from .classify import (format_report_html, output_paths, samples_from_embeddings, token_scores, train_head,
                       write_class_rasters)


def classify_seasonal(job, info, classes_tmp: str, classes_final: str, cancel=None) -> tuple[dict, dict, object]:
    """Train job.classifier on job.labels_vector over the seasonal embeddings `info.path`.

    Writes the classes to `classes_tmp`; returns (report, {name: (temporary path, final path)} of the
    confidence raster and HTML report, which the caller renames with the other outputs, and the head,
    which the caller saves at report["outputs"]["head"] once everything else is in place).
    """
    check_label_field(job.labels_vector, job.label_field)
    finals = output_paths(classes_final)
    extra = {name: (temp_name(finals[name]), finals[name]) for name in ("confidence", "report")}
    try:
        samples = samples_from_embeddings(info.path, job.labels_vector, job.label_field, cancel=cancel)
        colours = read_class_colours(job.labels_vector, job.label_field) or {}
        head = train_head(samples.x, samples.y, samples.class_names, job.classifier, job.seed, samples.groups,
                          colours=colours, model_id=f"{job.model} (seasonal, {job.seasonal_pooling})",
                          bands=list(info.band_table))
        head.training.update({"labels": os.path.abspath(job.labels_vector), "field": job.label_field,
                              "label_report": samples.label_report, "input": "time series"})
        scores = token_scores(head, info.path, cancel=cancel)
        meta = {"SMARTIES_MODEL": head.model_id, "SMARTIES_HEAD": os.path.basename(finals["head"]),
                "SMARTIES_CV_ACCURACY": str(head.metrics.get("overall_accuracy"))}
        pixels = write_class_rasters(head, scores, info.geotransform, info.crs_wkt, classes_tmp,
                                     extra["confidence"][0], None, meta, cancel)
        report = {"product": "classify", "classifier": head.classifier.kind, "classes": head.class_names,
                  "cross_validation": head.metrics, "class_pixels": pixels, "samples": head.training.get("samples", {}),
                  "labels": samples.label_report, "model": head.model_id, "outputs": {**{k: v[1] for k, v in extra.items()}, "head": finals["head"]}}
        from .heads import _jsonable

        report = _jsonable(report)
        with open(extra["report"][0], "w", encoding="utf-8") as fh:
            fh.write(format_report_html({**report, "warnings": head.metrics.get("warnings", []),
                                         "token_grid": [info.width, info.height], "input": "time series",
                                         "colours": head.colours, "at_input_resolution": False,
                                         "model_weights": ""}))
        return report, extra, head
    except BaseException:
        for tmp, _ in extra.values():
            remove_quietly(tmp)
        raise
