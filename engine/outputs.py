"""Output files of a job: checks before a run, a staging folder, and one commit of every file at the end.

A job writes every file (product, companions, reports, heads, temporary files) into a hidden staging
folder next to the final output. Only when the whole job succeeded are the files moved onto their
final names, all together; on failure or cancel the staging folder is deleted and nothing that
existed before the run is touched. Files are compared as real files (symlinks resolved, hard links
and case-insensitive file systems through `os.path.samefile`), for the output and every companion.
"""
from __future__ import annotations

import dataclasses
import glob
import os
import shutil
import socket
import uuid
from typing import Iterable, Optional

from .errors import JobError, RasterError

# Output extensions the engine writes (GDAL driver by extension); anything else is refused.
RASTER_EXTENSIONS = {".tif": "GTiff", ".tiff": "GTiff"}
GDAL_SIDECARS = (".aux.xml", ".msk", ".ovr")
STAGE_TAG = ".smarties-"  # hidden staging folders: .<stem>.smarties-<host>-<pid>-<random>
_OWNER_FILE = "owner"
_BACKUP_DIR = "replaced"


def _companion(output: str, suffix: str) -> str:
    stem, ext = os.path.splitext(output)
    return f"{stem}_{suffix}{ext or '.tif'}"


def planned_outputs(job) -> dict[str, str]:
    """Every final file the job will write (absolute paths), by role."""
    out = os.path.abspath(job.output)
    stem, _ = os.path.splitext(out)
    files = {job.product: out}
    keep = bool(getattr(job, "keep_embeddings", False))
    if job.product == "change":
        if keep:
            files["embeddings_before"] = _companion(out, "before_embeddings")
            files["embeddings_after"] = _companion(out, "after_embeddings")
    elif job.product != "embeddings" and keep:
        files["embeddings"] = _companion(out, "embeddings")
    if job.product == "classify":
        files["confidence"] = _companion(out, "confidence")
        files["report"] = f"{stem}_report.html"
        if not getattr(job, "head_path", None):
            files["head"] = f"{stem}.head.json"
            files["head_arrays"] = f"{stem}.head.npz"
    return files


def _strip_source(path: str) -> str:
    """A QGIS/OGR source string 'file.gpkg|layername=x' -> the file part."""
    return str(path).split("|", 1)[0]


def input_files(job) -> list[str]:
    """Every file the job reads: rasters, label/reference vectors, a saved head and its arrays, the model file."""
    files = [p for inp in job.inputs for p in inp.paths]
    for attr in ("labels_vector", "reference_vector", "head_path"):
        value = getattr(job, attr, None)
        if value:
            files.append(_strip_source(value))
    head = getattr(job, "head_path", None)
    if head:
        files.append(os.path.splitext(_strip_source(head))[0] + ".npz")
    model = getattr(job, "model", None)
    if model and (os.path.sep in str(model) or str(model).endswith((".safetensors", ".pt", ".pth", ".onnx"))):
        files.append(str(model))
    return [f for f in files if f and not str(f).startswith("/vsi")]


def same_file(a: str, b: str) -> bool:
    """True when two paths name the same file on disk (symlinks, hard links, letter case)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        pass
    # Paths that do not both exist: compare the resolved names (case-folded on case-insensitive systems).
    ra, rb = os.path.realpath(a), os.path.realpath(b)
    return os.path.normcase(ra) == os.path.normcase(rb)


def _check_not_input(target: str, role: str, inputs: Iterable[str]) -> None:
    for src in inputs:
        if same_file(target, src):
            what = "output" if role in ("main",) else f"{role} file"
            same = "" if os.path.abspath(target) == os.path.abspath(src) else f" ({src})"
            raise JobError(f"The {what} {target} is also an input{same} and would overwrite it; choose "
                           "another output file name (-o).")


def check_outputs(job) -> dict[str, str]:
    """Refuse, before any work, outputs that cannot be written or would overwrite an input.

    Checks: output given, not a folder, a supported extension, its folder exists and is writable,
    and neither the output nor any companion (embeddings, confidence, report, head) is one of the
    job's input files. Returns the planned outputs. Raises JobError / RasterError (one line).
    """
    if not getattr(job, "output", None):
        raise JobError("No output file given; name one with -o (e.g. -o result.tif).")
    out = os.path.abspath(os.path.expanduser(str(job.output)))
    if os.path.isdir(out) or str(job.output).endswith(("/", os.sep)):
        raise JobError(f"The output {job.output} is a folder; give a file name inside it, e.g. "
                       f"{os.path.join(str(job.output), job.product + '.tif')}.")
    ext = os.path.splitext(out)[1].lower()
    if ext not in RASTER_EXTENSIONS:
        shown = ext or "no extension"
        raise JobError(f"The output {job.output} has {shown}; SMARTIES writes GeoTIFF: use one of "
                       f"{', '.join(RASTER_EXTENSIONS)} (e.g. {os.path.splitext(str(job.output))[0]}.tif).")
    folder = os.path.dirname(out)
    if not os.path.isdir(folder):
        raise RasterError(f"The output folder {folder} does not exist; create it or choose another output path.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RasterError(f"The output folder {folder} is not writable; choose a folder you can write to.")
    planned = planned_outputs(job)
    inputs = input_files(job)
    for role, path in planned.items():
        if os.path.isdir(path):
            raise JobError(f"The {role} file {path} is an existing folder; choose another output name.")
        _check_not_input(path, "main" if role == job.product else role, inputs)
    return planned


# -- leftovers of interrupted runs ---------------------------------------------------------------

def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _owner_alive(stage: str) -> bool:
    """True when the staging folder belongs to a run that is still going (this host, live pid)."""
    try:
        with open(os.path.join(stage, _OWNER_FILE), encoding="utf-8") as fh:
            host, pid = fh.read().split()[:2]
    except (OSError, ValueError):
        return False
    if host != socket.gethostname():
        return True  # another machine's run on a shared disk: never touch it
    return _pid_alive(int(pid)) and int(pid) != os.getpid()


def _restore_backups(stage: str) -> list[str]:
    """Files moved aside during an interrupted commit go back where they were (if nothing replaced them)."""
    restored = []
    backup = os.path.join(stage, _BACKUP_DIR)
    folder = os.path.dirname(stage)
    if os.path.isdir(backup):
        for name in os.listdir(backup):
            dest = os.path.join(folder, name)
            if not os.path.lexists(dest):
                os.replace(os.path.join(backup, name), dest)
                restored.append(dest)
    return restored


def clean_leftovers(output: str) -> list[str]:
    """Remove what an interrupted (killed) run on `output` left behind; returns one note per item."""
    out = os.path.abspath(output)
    folder, base = os.path.split(out)
    stem = os.path.splitext(base)[0]
    notes = []
    if not os.path.isdir(folder):
        return notes
    for stage in glob.glob(os.path.join(glob.escape(folder), f".{glob.escape(stem)}{STAGE_TAG}*")):
        if not os.path.isdir(stage) or _owner_alive(stage):
            continue
        try:
            restored = _restore_backups(stage)
            shutil.rmtree(stage)
        except OSError as exc:
            notes.append(f"could not remove {stage} left by an interrupted run ({exc}); delete it by hand")
            continue
        notes.append(f"removed {os.path.basename(stage)} left by an interrupted run"
                     + (f"; restored {', '.join(restored)}" if restored else ""))
    # temporary files of earlier versions (written beside the output): .<stem>.tmp-xxxxxxxx.tif etc.
    patterns = [f".{glob.escape(stem)}.tmp-*", f".{glob.escape(stem)}_*.tmp-*"]
    for pattern in patterns:
        for path in glob.glob(os.path.join(glob.escape(folder), pattern)):
            try:
                os.remove(path)
                notes.append(f"removed {os.path.basename(path)} left by an interrupted run")
            except OSError:
                pass
    return notes


# -- the staging folder -------------------------------------------------------------------------

class OutputStage:
    """A hidden folder next to the output that receives every file of one run.

    with OutputStage(job) as stage:
        result = run_product(stage.job, ...)   # writes under stage.folder
        result = stage.commit(result)          # moves every file onto its final name at once
    Leaving the block without commit (error, cancel, Ctrl-C, SIGTERM) deletes the staging folder.
    """

    def __init__(self, job):
        self.final_output = os.path.abspath(os.path.expanduser(str(job.output)))
        self.final_folder, base = os.path.split(self.final_output)
        stem = os.path.splitext(base)[0]
        self.notes = clean_leftovers(self.final_output)
        name = f".{stem}{STAGE_TAG}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.folder = os.path.join(self.final_folder, name)
        try:
            os.mkdir(self.folder)
            with open(os.path.join(self.folder, _OWNER_FILE), "w", encoding="utf-8") as fh:
                fh.write(f"{socket.gethostname()} {os.getpid()}\n")
        except OSError as exc:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise RasterError(f"Cannot write in the output folder {self.final_folder} ({exc.strerror or exc}); "
                              "check that it is writable and has free space.") from None
        self.inputs = input_files(job)
        self.job = dataclasses.replace(job, output=os.path.join(self.folder, base))
        self.committed = False

    # paths -----------------------------------------------------------------------------------
    def final_path(self, staged: str) -> str:
        """The final name of a path inside the staging folder (other paths unchanged)."""
        staged_abs = os.path.abspath(staged)
        if os.path.dirname(staged_abs) == self.folder:
            return os.path.join(self.final_folder, os.path.basename(staged_abs))
        return staged

    def _rewrite(self, value):
        """Replace staging-folder paths by final paths in a report (dicts, lists, strings)."""
        if isinstance(value, str):
            return value.replace(self.folder, self.final_folder) if self.folder in value else value
        if isinstance(value, dict):
            return {k: self._rewrite(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._rewrite(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self._rewrite(v) for v in value)
        return value

    def staged_files(self) -> list[str]:
        """Names of the finished files in the staging folder (hidden temporary files excluded)."""
        return sorted(n for n in os.listdir(self.folder)
                      if n not in (_OWNER_FILE, _BACKUP_DIR) and not n.startswith("."))

    # commit ----------------------------------------------------------------------------------
    def commit(self, result):
        """Move every staged file onto its final name (all or nothing); returns the result with final paths."""
        names = self.staged_files()
        for name in names:
            dest = os.path.join(self.final_folder, name)
            if os.path.isdir(dest):
                raise JobError(f"{dest} is an existing folder; choose another output name.")
            _check_not_input(dest, "main" if dest == self.final_output else "companion", self.inputs)
        # Text files (reports, heads) may name their companions: give them the final folder.
        for name in names:
            if name.endswith((".json", ".html", ".txt", ".xml")):
                path = os.path.join(self.folder, name)
                try:
                    with open(path, encoding="utf-8") as fh:
                        text = fh.read()
                except (OSError, UnicodeDecodeError):
                    continue
                if self.folder in text:
                    with open(path, "w", encoding="utf-8") as fh:
                        fh.write(text.replace(self.folder, self.final_folder))
        staged = set(names)
        replaced: list[str] = []  # existing final files (and stale sidecars) to move aside
        for name in names:
            replaced.append(name)
            if not name.endswith(GDAL_SIDECARS):
                replaced.extend(name + s for s in GDAL_SIDECARS if name + s not in staged)
        backup = os.path.join(self.folder, _BACKUP_DIR)
        moved_aside: list[str] = []
        moved_in: list[str] = []
        try:
            os.makedirs(backup, exist_ok=True)
            for name in replaced:
                dest = os.path.join(self.final_folder, name)
                if os.path.lexists(dest):
                    os.replace(dest, os.path.join(backup, name))
                    moved_aside.append(name)
            for name in names:
                os.replace(os.path.join(self.folder, name), os.path.join(self.final_folder, name))
                moved_in.append(name)
        except OSError as exc:
            for name in moved_in:  # undo: the previous files come back, nothing half-committed
                try:
                    os.replace(os.path.join(self.final_folder, name), os.path.join(self.folder, name))
                except OSError:
                    pass
            for name in moved_aside:
                try:
                    os.replace(os.path.join(backup, name), os.path.join(self.final_folder, name))
                except OSError:
                    pass
            raise RasterError(f"Cannot move the results into {self.final_folder} ({exc.strerror or exc}); "
                              "nothing was changed there.") from None
        self.committed = True
        # a companion that was not written (e.g. kept embeddings when the input already was one) is not listed
        outputs = {k: self.final_path(v) for k, v in result.outputs.items()
                   if not (os.path.dirname(os.path.abspath(v)) == self.folder and os.path.basename(v) not in staged)}
        report = self._rewrite(result.report)
        if self.notes and isinstance(report, dict):
            report.setdefault("notes_output", []).extend(self.notes)
        return dataclasses.replace(result, outputs=outputs, report=report)

    def close(self) -> None:
        """Delete the staging folder (after a commit it holds only the replaced files)."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "OutputStage":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def staged_job(job) -> Optional[OutputStage]:
    """An OutputStage for the job (checks the outputs first)."""
    check_outputs(job)
    return OutputStage(job)
