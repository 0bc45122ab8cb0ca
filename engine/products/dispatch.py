"""run_job: one JobSpec -> the product's files (called by engine.jobs.run for every front door)."""
from __future__ import annotations

import os
from typing import Callable

from ..errors import JobCancelled, JobError
from ..jobs import JobResult, JobSpec
from ..raster.writer import remove_quietly, temp_name
from .embeddings import (EmbeddingInfo, companion_path, report_for, resample_to_input,
                         run_embeddings)
from .fusion import embed_group
from .inputs import open_input
from .output_grid import commit_token_output


def _finish(tmp: str, job: JobSpec, info: EmbeddingInfo, categorical: bool) -> None:
    """Move a token-grid product onto job.output: resampled to the input grid, or clipped to its extent."""
    if job.at_input_resolution:
        resample_to_input(tmp, job.output, info, categorical)
    else:
        commit_token_output(tmp, job.output, info.input_geotransform, info.input_width, info.input_height,
                            tokens=(info.width, info.height))


def _embeddings_path(job: JobSpec, suffix: str = "embeddings") -> tuple[str, bool]:
    """Where a product keeps its embeddings: next to the output when kept, else a temp file."""
    if getattr(job, "keep_embeddings", False):
        return companion_path(job.output, suffix), True
    folder = os.path.dirname(os.path.abspath(job.output))
    return temp_name(os.path.join(folder, f"{suffix}.tif")), False


def _product_from_embeddings(job: JobSpec, progress, cancel, write: Callable[[EmbeddingInfo, str], dict],
                             categorical: bool) -> JobResult:
    emb_path, keep = _embeddings_path(job)
    product_tmp = temp_name(job.output)
    try:
        info = embed_group(job, 0, emb_path, progress, cancel, (0.0, 0.85))
        progress(0.87, f"computing {job.product}")
        report = report_for(info)
        report[job.product] = write(info, product_tmp)
        if job.at_input_resolution:
            progress(0.95, "resampling to the input grid")
        _finish(product_tmp, job, info, categorical)
        outputs = {job.product: os.path.abspath(job.output)}
        if keep:
            outputs["embeddings"] = os.path.abspath(emb_path)
        progress(1.0, "done")
        return JobResult(outputs, report)
    except BaseException:
        if keep:
            remove_quietly(emb_path)
        raise
    finally:
        if not keep:
            remove_quietly(emb_path)
        remove_quietly(product_tmp)


def _run_change(job: JobSpec, progress, cancel) -> JobResult:
    from .alignment import aligned_change_job

    # Grids are compared (and the after raster warped onto the before grid, unless --no-align)
    # before any model work, so a refusal comes in a second, not after a run.
    with aligned_change_job(job) as (aligned, records):
        result = _run_change_aligned(aligned, progress, cancel)
    if records:
        _tag(result.outputs.get("change"), {"SMARTIES_ALIGNMENT": records})
        result.report["alignment"] = records
        result.report.setdefault("notes", []).extend(r["note"] for r in records)
    return result


def _check_k(info: EmbeddingInfo, k: int) -> None:
    """k-means needs at least k valid tokens: refuse instead of quietly making fewer clusters."""
    from .tokens import iter_token_rows

    valid = sum(int(v.sum()) for _, _, v in iter_token_rows(info.path))
    if k > valid:
        raise JobError(f"k={k} clusters is more than the {valid} valid tokens of {info.input_label} (one token = "
                       f"16 x 16 px); choose k <= {valid} or a larger area.")


def _tag(path, items: dict) -> None:
    """Add metadata items (JSON for non-strings) to a finished raster."""
    import json

    from osgeo import gdal

    if not path:
        return
    ds = gdal.Open(path, gdal.GA_Update)
    for key, value in items.items():
        ds.SetMetadataItem(key, value if isinstance(value, str) else json.dumps(value))
    ds = None


def _run_change_aligned(job: JobSpec, progress, cancel) -> JobResult:
    from .change import write_change

    keep = getattr(job, "keep_embeddings", False)
    paths = [companion_path(job.output, s) if keep else temp_name(companion_path(job.output, s))
             for s in ("before_embeddings", "after_embeddings")]
    product_tmp = temp_name(job.output)
    try:
        before = embed_group(job, 0, paths[0], progress, cancel, (0.0, 0.45))
        after = embed_group(job, 1, paths[1], progress, cancel, (0.45, 0.9))
        progress(0.92, "computing change")
        report = {"before": report_for(before), "after": report_for(after)}
        report["change"] = write_change(before, after, product_tmp, cancel)
        _finish(product_tmp, job, before, False)
        outputs = {"change": os.path.abspath(job.output)}
        if keep:
            outputs.update({"embeddings_before": paths[0], "embeddings_after": paths[1]})
        progress(1.0, "done")
        return JobResult(outputs, report)
    except BaseException:
        if keep:
            for p in paths:
                remove_quietly(p)
        raise
    finally:
        if not keep:
            for p in paths:
                remove_quietly(p)
        remove_quietly(product_tmp)


def _device_line(job: JobSpec) -> str:
    """'CUDA: NVIDIA H200, bf16' / 'CPU, 2 threads: about 4 min' (engine.inference.device_summary)."""
    try:
        from ..inference.device_summary import job_device_line

        return job_device_line(job)
    except Exception as exc:  # noqa: BLE001 - a missing description must never stop a run
        return f"device: {job.device} ({exc})"


def run_job(job: JobSpec, progress, cancel) -> JobResult:
    """Run job.product; returns JobResult(outputs={product: path, ...}, report={...}).

    Every file is written into a staging folder next to the output and moved onto its final name
    only when the whole job succeeded (engine.outputs): a failure or cancel leaves the folder as it was.
    """
    from ..outputs import check_outputs, OutputStage

    job.validate()
    check_outputs(job)
    if cancel():
        raise JobCancelled("Cancelled by the user before the run started; nothing was written.")
    progress(0.0, _device_line(job))  # the first message says where the run happens (and roughly how long)
    with OutputStage(job) as stage:
        result = _run_product(stage.job, progress, cancel)
        if cancel():
            raise JobCancelled("Cancelled by the user; no output was written.")
        from ..provenance import stamp_folder

        stamp_folder(stage.folder, job, result.report)  # model, weights, inputs, bands, statistics, tiling
        return stage.commit(result)


def _run_product(job: JobSpec, progress, cancel) -> JobResult:
    product = job.product
    if product == "embeddings":
        return run_embeddings(job, progress, cancel)
    if product == "pca":
        from .pca import write_pca

        def composite(info, out):
            return write_pca(info, out, job.seed, cancel=cancel, method=job.composite_method)

        return _product_from_embeddings(job, progress, cancel, composite, False)
    if product == "clusters":
        from .clusters import write_clusters

        def clusters(info, out):
            if job.cluster_method == "kmeans":
                _check_k(info, job.k)
            return write_clusters(info, out, job.k, job.seed, cancel=cancel, method=job.cluster_method,
                                  min_cluster_size=job.min_cluster_size)

        return _product_from_embeddings(job, progress, cancel, clusters, True)
    if product == "similarity":
        from .similarity import write_similarity

        return _product_from_embeddings(
            job, progress, cancel,
            lambda info, out: write_similarity(info, out, job.reference_points, job.reference_crs,
                                               job.reference_vector, cancel=cancel,
                                               mode=getattr(job, "similarity_mode", "mean")), False)
    if product == "change":
        return _run_change(job, progress, cancel)
    if product == "classify":
        from .classify import run_classify  # the classification engineer's module

        return run_classify(job, progress, cancel)
    if product == "seasonal":
        from .seasonal import run_seasonal  # time series: one input per date

        return run_seasonal(job, progress, cancel)
    raise AssertionError(product)  # validate() rejects unknown products
