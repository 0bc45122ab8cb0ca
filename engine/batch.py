"""Many scenes, many machines: one JobSpec per scene, run as Dask tasks (a LocalCluster by default).

    report = run_batch(["scenes/*.tif"], template_job, "out/", workers=2)

- Scenes come from files, globs, a text/CSV list or a STAC ItemCollection JSON (`scene_list`).
- Each scene is the template job with that scene as input and `<output_dir>/<stem>_<product>.tif`
  as output; a task runs it with engine.jobs.run in a private staging folder next to the outputs
  and moves the finished files onto their final names only when the whole job succeeded, so a
  worker that dies mid-task leaves nothing under a final name (its staging folder is removed).
- A manifest (`smarties_batch_manifest.json`) records every finished scene with its job hash (the
  job, the input files' sizes and times, the model file); a rerun skips scenes whose hash and
  outputs are unchanged.
- A scene whose error is the user's to fix (an EngineError: bad file, wrong bands...) is reported
  at once; other failures and dead workers are retried (`retries`), then reported. One scene's
  failure never stops the others. The report (`smarties_batch_report.json`) lists every scene.
- Tasks ask for one "GPU" Dask resource when the job runs on CUDA: start workers with
  `--resources GPU=1` (one per GPU) on a real cluster; the LocalCluster does that itself.
"""
from __future__ import annotations

import csv
import glob
import hashlib
import json
import os
import shutil
import time
from dataclasses import replace
from typing import Callable, Iterable, Optional, Sequence

from .errors import EngineError, JobError
from .jobs import JobSpec, RasterInput

MANIFEST = "smarties_batch_manifest.json"
REPORT = "smarties_batch_report.json"
STAGING = ".smarties-batch"
DIE_ONCE = "SMARTIES_BATCH_DIE_ONCE"  # fault injection for tests: marker file; the first task to see it dies
_GLOB = set("*?[")


# -- scenes ---------------------------------------------------------------------------------------
def scene_list(entries: Iterable[str], asset: Optional[str] = None) -> list[str]:
    """Raster paths from files, globs, .txt/.csv lists (first column or `path`) and STAC JSON."""
    out: list[str] = []
    for entry in entries:
        entry = str(entry)
        if _GLOB & set(entry):
            found = sorted(glob.glob(entry))
            if not found:
                raise JobError(f"No file matches {entry}; check the pattern (quote it so the shell leaves it).")
            out.extend(found)
        elif entry.lower().endswith((".txt", ".lst")):
            out.extend(_relative(entry, line) for line in _lines(entry))
        elif entry.lower().endswith(".csv"):
            out.extend(_relative(entry, p) for p in _csv_paths(entry))
        elif entry.lower().endswith(".json"):
            out.extend(_stac_paths(entry, asset))
        else:
            out.append(entry)
    if not out:
        raise JobError("The batch has no scenes; give raster files, a glob, a .txt/.csv list or a STAC JSON.")
    return out


def _read_list(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as exc:
        raise JobError(f"Cannot read the scene list {path}: {exc.strerror}.") from None


def _lines(path: str) -> list[str]:
    return [ln.strip() for ln in _read_list(path).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _csv_paths(path: str) -> list[str]:
    rows = list(csv.reader(_read_list(path).splitlines()))
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    col = header.index("path") if "path" in header else 0
    body = rows[1:] if "path" in header or not os.path.splitext(rows[0][0])[1] else rows
    return [r[col].strip() for r in body if len(r) > col and r[col].strip()]


def _relative(listing: str, path: str) -> str:
    return path if os.path.isabs(path) or path.startswith("/vsi") else os.path.join(os.path.dirname(listing), path)


def _stac_paths(path: str, asset: Optional[str]) -> list[str]:
    """One raster per STAC item: the asset named `asset`, else the item's only GeoTIFF/COG asset."""
    try:
        doc = json.loads(_read_list(path))
    except ValueError as exc:
        raise JobError(f"{path} is not valid JSON ({exc}); give a STAC ItemCollection.") from None
    items = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc] if doc.get("type") == "Feature" else None
    if items is None:
        raise JobError(f"{path} is not a STAC Item or ItemCollection (no 'features').")
    out = []
    for item in items:
        assets = item.get("assets") or {}
        if asset is not None:
            if asset not in assets:
                raise JobError(f"STAC item {item.get('id')} in {path} has no asset '{asset}' "
                               f"(it has: {', '.join(assets) or 'none'}).")
            chosen = assets[asset]
        else:
            tiffs = [a for a in assets.values() if "tiff" in str(a.get("type", "")).lower()
                     or str(a.get("href", "")).lower().endswith((".tif", ".tiff"))]
            if len(tiffs) != 1:
                raise JobError(f"STAC item {item.get('id')} in {path} has {len(tiffs)} GeoTIFF assets; "
                               "say which one with --asset KEY.")
            chosen = tiffs[0]
        out.append(_relative(path, chosen["href"]))
    return out


# -- jobs, hashes, manifest ----------------------------------------------------------------------
def scene_job(template: JobSpec, scene: str, output_dir: str) -> JobSpec:
    """The template job for one scene: that scene as input, <output_dir>/<stem>_<product>.tif as output."""
    stem = os.path.splitext(os.path.basename(scene))[0]
    inp = template.inputs[0] if template.inputs else RasterInput([scene])
    return replace(template, inputs=[replace(inp, paths=[scene])],
                   output=os.path.join(os.path.abspath(output_dir), f"{stem}_{template.product}.tif"))


def _file_identity(path: str) -> list:
    try:
        st = os.stat(path)
        return [os.path.abspath(path), st.st_size, st.st_mtime_ns]
    except OSError:
        return [os.path.abspath(path), None, None]


def job_hash(job: JobSpec) -> str:
    """What a scene's outputs depend on: the job, the input files (size, time) and the model file."""
    files = [_file_identity(p) for inp in job.inputs for p in inp.paths]
    model = _file_identity(job.model) if os.path.exists(job.model) else job.model
    key = json.dumps({"job": job.to_dict(), "files": files, "model": model}, sort_keys=True, default=str)
    return hashlib.sha256(key.encode()).hexdigest()


def _load_manifest(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) and isinstance(data.get("scenes"), dict) else {"scenes": {}}
    except (OSError, ValueError):
        return {"scenes": {}}


def _write_json(path: str, data: dict) -> None:
    """Write JSON atomically (a reader never sees half a file)."""
    tmp = f"{path}.{os.getpid()}.part"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, default=str)
    os.replace(tmp, path)


def _finished(entry: Optional[dict], digest: str) -> bool:
    return bool(entry and entry.get("status") == "done" and entry.get("job_hash") == digest
                and all(os.path.exists(p) for p in (entry.get("outputs") or {}).values()))


# -- the task ---------------------------------------------------------------------------------------
def _worker_device(device: str) -> str:
    """On a machine with several GPUs, worker k of a LocalCluster takes GPU k (one GPU per worker)."""
    if device not in ("auto", "cuda"):
        return device
    try:
        import torch
        from distributed import get_worker

        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        name = get_worker().name
        if count > 1 and isinstance(name, int):
            return f"cuda:{name % count}"
    except (ImportError, ValueError):
        pass
    return device


def _die_once_hook(progress_marker: Optional[str]) -> Callable[[float, str], None]:
    """Progress callback that kills this process half-way through once (tests of worker death)."""
    def hook(fraction: float, message: str) -> None:
        if progress_marker and fraction >= 0.5 and not os.path.exists(progress_marker):
            try:
                with open(progress_marker, "x") as f:  # only one task of the batch dies
                    f.write(str(os.getpid()))
            except FileExistsError:
                return
            os._exit(70)
    return hook


def _set_threads(threads: int) -> None:
    """A LocalCluster's workers share this machine's cores: torch threads per task."""
    if threads > 0:
        try:
            import torch

            torch.set_num_threads(threads)
        except ImportError:
            pass


def run_scene(job_dict: dict, digest: str, threads: int = 0) -> dict:
    """Run one scene's job in a staging folder, then move its files onto their final names.

    Returns {"status": "done", "outputs": {...}, ...}, or {"status": "failed", "error": ...} for
    errors the user has to fix (EngineError); anything else raises, so Dask retries it.
    """
    from .jobs import run

    job = JobSpec.from_dict(job_dict)
    final_dir = os.path.dirname(job.output)
    work = os.path.join(final_dir, STAGING, digest[:20])
    shutil.rmtree(work, ignore_errors=True)  # a previous attempt that died
    os.makedirs(work)
    job.output = os.path.join(work, os.path.basename(job.output))
    job.device = _worker_device(job.device)
    _set_threads(threads)
    t0 = time.time()
    try:
        result = run(job, progress=_die_once_hook(os.environ.get(DIE_ONCE)))
        moved = {}
        for name, path in result.outputs.items():
            dest = os.path.join(final_dir, os.path.basename(path))
            for suffix in ("", ".aux.xml", ".msk"):
                if os.path.exists(path + suffix):
                    os.replace(path + suffix, dest + suffix)
            moved[name] = dest
        for extra in os.listdir(work):  # companions a product wrote next to its output (reports, heads)
            os.replace(os.path.join(work, extra), os.path.join(final_dir, extra))
        return {"status": "done", "outputs": moved, "seconds": time.time() - t0, "worker_pid": os.getpid()}
    except EngineError as exc:
        return {"status": "failed", "error": " ".join(str(exc).split()), "seconds": time.time() - t0}
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- the driver -------------------------------------------------------------------------------------
def _client(workers: Optional[int], scheduler: Optional[str], gpu: bool, dashboard: bool):
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    n = workers or 1
    kw = {"resources": {"GPU": 1}} if gpu else {}
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                           dashboard_address=":0" if dashboard else None, silence_logs=40, **kw)
    return Client(cluster), cluster


def run_batch(entries: Sequence[str], template: JobSpec, output_dir: str, workers: Optional[int] = None,
              scheduler: Optional[str] = None, retries: int = 2, asset: Optional[str] = None,
              progress: Optional[Callable[[float, str], None]] = None,
              log: Optional[Callable[[str], None]] = None, dashboard: bool = True, client=None,
              row_blocks: int = 1) -> dict:
    """Run `template` over every scene; returns the report (also written to <output_dir>/REPORT).

    `row_blocks` > 1 splits each scene into that many row blocks, each its own task, stitched by a
    last task (engine.row_blocks; the embeddings product only).
    """
    from distributed import as_completed

    progress = progress or (lambda f, m: None)
    log = log or (lambda m: None)
    if template.product == "change":
        raise JobError("A batch runs one raster per scene; 'change' needs two, run it per pair instead.")
    scenes = scene_list(entries, asset)
    output_dir = os.path.abspath(output_dir)
    if not os.path.isdir(output_dir):
        raise JobError(f"Output folder {output_dir} does not exist; create it first.")
    if row_blocks > 1:
        from .row_blocks import check_splittable

        check_splittable(template)
    jobs = [scene_job(template, s, output_dir) for s in scenes]
    seen: dict = {}
    for job, scene in zip(jobs, scenes):
        if job.output in seen:
            raise JobError(f"{scene} and {seen[job.output]} would both write {job.output}; rename one of them.")
        seen[job.output] = scene
    for job in jobs:
        job.validate()
    manifest_path = os.path.join(output_dir, MANIFEST)
    manifest = _load_manifest(manifest_path)
    rows: dict = {}
    todo = []
    for scene, job in zip(scenes, jobs):
        digest = job_hash(job)
        entry = manifest["scenes"].get(os.path.abspath(scene))
        if _finished(entry, digest):
            rows[scene] = {"scene": scene, "status": "skipped", "outputs": entry["outputs"],
                           "note": "finished earlier with the same job (manifest)"}
        else:
            todo.append((scene, job, digest))
    t0 = time.time()
    total = len(scenes)
    progress(len(rows) / total, f"{len(rows)} of {total} scenes already done")
    if todo:
        gpu = any(j.device.startswith("cuda") for _, j, _ in todo)
        own = client is None
        cluster = None
        if own:
            client, cluster = _client(workers, scheduler, gpu, dashboard)
        try:
            link = getattr(client, "dashboard_link", None)
            if link and (scheduler or dashboard):
                log(f"Dask dashboard: {link}" + ("" if scheduler or _has_bokeh() else
                                                 " (it needs the 'bokeh>=3.1' package: pip install bokeh)"))
            threads = _threads_per_task(client) if cluster is not None else 0  # remote workers know their cores
            futures = {}
            for scene, job, digest in todo:
                if row_blocks > 1:
                    from .batch_blocks import submit_blocks

                    fut = submit_blocks(client, job, digest, row_blocks, threads, retries, gpu)
                else:
                    fut = client.submit(run_scene, job.to_dict(), digest, threads, key=f"scene-{digest[:16]}",
                                        retries=retries, pure=False, resources={"GPU": 1} if gpu else None)
                futures[fut] = (scene, job, digest)
            done = len(rows)
            for fut in as_completed(list(futures)):
                scene, job, digest = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # retries used up: a crash or a dead worker
                    res = {"status": "failed", "error": f"{type(exc).__name__}: {' '.join(str(exc).split())}"}
                row = {"scene": scene, **res}
                rows[scene] = row
                if res["status"] == "done":
                    manifest["scenes"][os.path.abspath(scene)] = {
                        "job_hash": digest, "status": "done", "outputs": res["outputs"],
                        "finished": time.strftime("%Y-%m-%dT%H:%M:%S"), "seconds": res.get("seconds")}
                    _write_json(manifest_path, manifest)
                else:
                    log(f"error: {scene}: {res['error']}")
                done += 1
                progress(done / total, f"{done} of {total} scenes ({os.path.basename(scene)} {res['status']})")
        finally:
            if own:
                client.close()
                if cluster is not None:
                    cluster.close()
            shutil.rmtree(os.path.join(output_dir, STAGING), ignore_errors=True)
    ordered = [rows[s] for s in scenes]
    counts = {k: sum(r["status"] == k for r in ordered) for k in ("done", "skipped", "failed")}
    report = {"product": template.product, "output_dir": output_dir, "scenes": ordered, **counts,
              "seconds": time.time() - t0, "manifest": manifest_path}
    _write_json(os.path.join(output_dir, REPORT), report)
    return report


def _threads_per_task(client) -> int:
    """Torch threads per task: the worker machine's cores shared by the tasks it runs at once."""
    try:
        info = client.scheduler_info()["workers"]
        per_host: dict = {}
        for w in info.values():
            per_host.setdefault(w.get("host"), []).append(w.get("nthreads", 1))
        host_tasks = max(sum(v) for v in per_host.values())
        return max(1, (os.cpu_count() or 1) // host_tasks)
    except Exception:
        return 1


def _has_bokeh() -> bool:
    """The Dask dashboard is served only when bokeh is installed."""
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return False
    return True
