"""The Dask tasks of a scene split into row blocks (engine.row_blocks): one task per block, then a
stitch task that depends on them.

Blocks are written into `<output_dir>/.smarties-batch/<job hash>-blocks/`, the stitched raster
into `<output_dir>/.smarties-batch/<job hash>/` and only then moved onto its final name, so a worker
that dies in any step leaves nothing under a final name; Dask retries the step that died (the
blocks already finished stay finished).
"""
from __future__ import annotations

import os
import shutil
import time

from .errors import EngineError


def _folders(job, digest: str) -> tuple[str, str, str]:
    from .batch import STAGING

    final_dir = os.path.dirname(job.output)
    return final_dir, os.path.join(final_dir, STAGING, digest[:20] + "-blocks"), \
        os.path.join(final_dir, STAGING, digest[:20])


def run_block_task(job_dict: dict, digest: str, index: int, count: int, threads: int = 0) -> dict:
    """One row block of a scene (a Dask task): {"status": "done", part...} or {"status": "failed", "error"}."""
    from .batch import DIE_ONCE, _die_once_hook, _set_threads, _worker_device
    from .jobs import JobSpec
    from .row_blocks import run_block

    job = JobSpec.from_dict(job_dict)
    job.device = _worker_device(job.device)
    _set_threads(threads)
    _, blocks, _ = _folders(job, digest)
    os.makedirs(blocks, exist_ok=True)
    path = os.path.join(blocks, f"block-{index:04d}.tif")
    t0 = time.time()
    try:
        part = run_block(job.to_dict(), index, count, path, progress=_die_once_hook(os.environ.get(DIE_ONCE)))
    except EngineError as exc:
        return {"status": "failed", "error": f"row block {index + 1} of {count}: {' '.join(str(exc).split())}"}
    return {"status": "done", "seconds": time.time() - t0, **part}


def stitch_task(job_dict: dict, digest: str, *parts: dict) -> dict:
    """Stitch a scene's finished blocks and move the raster onto its final name (a Dask task)."""
    from .jobs import JobSpec
    from .row_blocks import stitch_blocks

    job = JobSpec.from_dict(job_dict)
    final_dir, blocks, work = _folders(job, digest)
    failed = [p for p in parts if p.get("status") != "done"]
    if failed:
        shutil.rmtree(blocks, ignore_errors=True)
        return {"status": "failed", "error": failed[0]["error"]}
    shutil.rmtree(work, ignore_errors=True)  # a previous attempt that died
    os.makedirs(work)
    t0 = time.time()
    try:
        staged = os.path.join(work, os.path.basename(job.output))
        stitch_blocks(job.to_dict(), parts, staged)
        for suffix in ("", ".aux.xml", ".msk"):  # the raster, then any GDAL sidecars it has
            if os.path.exists(staged + suffix):
                os.replace(staged + suffix, job.output + suffix)
    except EngineError as exc:
        return {"status": "failed", "error": " ".join(str(exc).split())}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(blocks, ignore_errors=True)
    return {"status": "done", "outputs": {"embeddings": job.output}, "worker_pid": os.getpid(),
            "seconds": time.time() - t0 + sum(p.get("seconds", 0.0) for p in parts), "row_blocks": len(parts)}


def submit_blocks(client, job, digest: str, count: int, threads: int, retries: int, gpu: bool):
    """Submit the block tasks and the stitch task of one scene; returns the stitch future."""
    resources = {"GPU": 1} if gpu else None
    parts = [client.submit(run_block_task, job.to_dict(), digest, k, count, threads, key=f"block-{digest[:16]}-{k}",
                           retries=retries, pure=False, resources=resources) for k in range(count)]
    return client.submit(stitch_task, job.to_dict(), digest, *parts, key=f"scene-{digest[:16]}",
                         retries=retries, pure=False)
