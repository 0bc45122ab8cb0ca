"""Provenance of every output: which model, weights, input files, bands, statistics and tiling made it.

Written as one JSON metadata item, SMARTIES_PROVENANCE, on every GeoTIFF a job writes (the product and
its companions), just before the outputs are committed. The facts come from the job and its report,
so a product made from a reused embeddings raster names that raster and the model that made it.
"""
from __future__ import annotations

import datetime
import json
import os
from typing import Optional

from osgeo import gdal

gdal.UseExceptions()


def _embedding_section(report) -> Optional[dict]:
    """The report part that describes an embeddings run (top level, or 'before'/any nested dict)."""
    if not isinstance(report, dict):
        return None
    if "bands" in report and "run" in report:
        return report
    for value in report.values():
        if isinstance(value, dict) and "bands" in value and "run" in value:
            return value
    return None


def _fusion(job, run: dict) -> str:
    """How several sensors were fused (engine.products.fusion), or "" for one input per date."""
    if run.get("fusion"):
        return str(run["fusion"])
    per_group = len(job.inputs) // 2 if job.product == "change" else len(job.inputs)
    return getattr(job, "fusion", "") if job.product != "seasonal" and per_group > 1 else ""


def provenance(job, report: dict) -> dict:
    """The provenance record of a job's outputs (JSON-ready)."""
    from . import __version__

    section = _embedding_section(report) or {}
    run = section.get("run", {}) if isinstance(section.get("run"), dict) else {}
    model = run.get("model") or report.get("model") or job.model
    weights = run.get("weights") or report.get("model_weights") or ""
    return {
        "product": job.product,
        "model": model,
        "weights": weights,
        "inputs": [p for inp in job.inputs for p in inp.paths],
        "bands": section.get("bands", []),
        "statistics": section.get("normalization") or section.get("statistics") or [],
        "window": job.window, "overlap": job.overlap,
        "scale": section.get("scale", run.get("scale", 1.0)),
        "band_mapping": getattr(job, "interpolation", ""),
        "fusion": _fusion(job, run),
        "reused_embeddings": run.get("reused", ""),
        "engine_version": __version__,
        "created": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
    }


def stamp(path: str, record: dict) -> None:
    """Write SMARTIES_PROVENANCE into a GeoTIFF (kept when the file already has its own)."""
    try:
        ds = gdal.Open(path, gdal.GA_Update)
    except RuntimeError:
        return
    if ds is None:
        return
    if not ds.GetMetadataItem("SMARTIES_PROVENANCE"):
        ds.SetMetadataItem("SMARTIES_PROVENANCE", json.dumps(record, default=str))
    ds = None


def stamp_folder(folder: str, job, report: dict) -> None:
    """Stamp every finished GeoTIFF in a staging folder."""
    record = provenance(job, report)
    for name in sorted(os.listdir(folder)):
        if name.lower().endswith((".tif", ".tiff")) and not name.startswith("."):
            stamp(os.path.join(folder, name), record)
