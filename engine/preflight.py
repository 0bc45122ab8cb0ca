"""Before a run: check a job and estimate its windows, time, peak memory and output size.

`preflight(job)` raises the first problem as an EngineError (one line, naming the setting and the
numbers) and otherwise returns an `Estimate`. The dialog shows it, Processing prints it in the
feedback, and the CLI asks for `--yes` when a run is long. The time comes from one measured window
(`measure=True`, the real model on the real device) or from a cheap model of the encoder's cost.
"""
from __future__ import annotations

import copy
import json
import math
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from typing import Optional

from .errors import JobError, RasterError
from .outputs import check_outputs

# Arithmetic rate assumed by the cheap time model (FLOP/s); a measured window replaces it.
ASSUMED_FLOPS = {"cpu": 2e10, "cuda": 5e12, "mps": 1e12}
# Runs longer than this ask for confirmation in the command line (--yes).
CONFIRM_SECONDS = 3600.0
# Share of the available memory a run may plan to use.
MEMORY_SHARE = 0.8


@dataclass
class Estimate:
    """What a job will cost: windows, time, memory and disk."""

    windows: int  # windows through the model (an upper bound: all-nodata windows are skipped)
    input_sizes: list  # [width, height] of each processed input area in pixels
    token_grids: list  # [width, height] of each token grid
    embed_dim: int
    bands: list  # number of bands read per input
    seconds: float  # estimated model time for all windows
    seconds_source: str  # "measured" (one window timed) | "model" (FLOP estimate)
    peak_memory_bytes: int
    available_memory_bytes: int
    output_bytes: int
    free_disk_bytes: int
    device: str
    notes: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready."""
        return asdict(self)

    @property
    def needs_confirmation(self) -> bool:
        """True when the run is long enough to ask the user first."""
        return self.seconds > CONFIRM_SECONDS

    def text(self) -> str:
        """One line for a terminal, the dialog or Processing feedback."""
        how = "measured" if self.seconds_source == "measured" else "rough"
        return (f"{self.windows} window(s) of {'x'.join(str(s) for s in self.input_sizes[0])} px input, "
                f"{approx_duration(self.seconds)} on {self.device} ({how}), peak memory "
                f"~{format_bytes(self.peak_memory_bytes)} of {format_bytes(self.available_memory_bytes)} available, "
                f"output ~{format_bytes(self.output_bytes)}")


def format_bytes(n: float) -> str:
    """1536 -> '1.5 KiB'."""
    n = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PiB"


def approx_duration(seconds: float) -> str:
    """'about 4.0 min', or 'under 1 s' (no 'about' before a bound)."""
    text = format_duration(seconds)
    return text if text.startswith("under") else f"about {text}"


def format_duration(seconds: float) -> str:
    """0.3 -> 'under 1 s'; 90 -> '1.5 min'; 200000 -> '2.3 days'."""
    if seconds < 1:
        return "under 1 s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds < 60 * 86400:
        return f"{seconds / 86400:.1f} days"
    return f"{seconds / (365.25 * 86400):.1f} years" if seconds > 365 * 86400 else f"{seconds / 86400 / 30:.1f} months"


def available_memory(device: str) -> int:
    """Bytes the run can use on its device (CUDA: free GPU memory; else available RAM)."""
    if device.startswith("cuda"):
        try:
            import torch

            free, _ = torch.cuda.mem_get_info(torch.device(device))
            return int(free)
        except Exception:  # noqa: BLE001 - no CUDA: fall back to host memory
            pass
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:
        try:
            return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError, AttributeError):
            return 8 << 30


def _device(job) -> str:
    if job.device not in ("auto", None, ""):
        return str(job.device)
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except ImportError:
        return "cpu"


def _architecture(encoder) -> dict:
    arch = (getattr(encoder, "card", {}) or {}).get("architecture") or {}
    arch = dict(arch)
    arch.setdefault("embed_dim", int(getattr(encoder, "embed_dim", 768)))
    arch.setdefault("patch_size", int(getattr(encoder, "patch_size", 16)))
    blocks = getattr(encoder, "blocks", None)
    arch.setdefault("depth", len(blocks) if blocks is not None else 12)
    arch.setdefault("num_heads", 12)
    arch.setdefault("mlp_ratio", 4.0)
    return arch


def window_flops(arch: dict, window: int, channels: int) -> float:
    """Multiply-adds x2 of one window through the encoder (patch embedding + blocks)."""
    p, d, depth = arch["patch_size"], arch["embed_dim"], arch["depth"]
    n = (window // p) ** 2
    embed = 2.0 * n * channels * p * p * d
    per_block = 2.0 * n * d * d * (4 + 2 * arch["mlp_ratio"]) + 4.0 * n * n * d
    return embed + depth * per_block


def window_memory(arch: dict, window: int, channels: int, batch: int) -> int:
    """Bytes the model needs for one batch (activations of one block, attention scores included)."""
    p, d, heads = arch["patch_size"], arch["embed_dim"], arch["num_heads"]
    n = (window // p) ** 2
    activations = n * d * (5 + arch["mlp_ratio"]) * 4
    attention = 2 * heads * n * n * 4  # scores + softmax when the fused kernel is not used
    inputs = channels * window * window * 4
    return int(batch * (activations + attention + inputs))


def _measure(encoder, decisions, job, device: str, channels: int) -> Optional[float]:
    """Seconds per window from one timed batch of one window (after a warm-up); None if it fails."""
    try:
        import numpy as np

        from .inference.backend import make_model_backend

        backend = make_model_backend(encoder, decisions, job.window, "torch", device)
        x = np.zeros((1, channels, job.window, job.window), np.float32)
        backend.run(x)
        t0 = time.perf_counter()
        backend.run(x)
        return max(time.perf_counter() - t0, 1e-6)
    except Exception:  # noqa: BLE001 - an estimate must never stop a run; the cheap model answers
        return None


# A run right after its estimate (the CLI's estimate line, then the run's device line; the dialog's
# Estimate button, then Run) reuses it instead of timing a window again: key -> (time, Estimate).
_RECENT: dict = {}
RECENT_SECONDS = 120.0


def preflight(job, measure: bool = True) -> Estimate:
    """Check `job` and estimate its cost; raises the first problem as an EngineError.

    The same job (same settings, same input files unchanged) estimated again within RECENT_SECONDS
    gets the earlier estimate (a copy) without loading or timing the model again."""
    key = _recent_key(job, measure)
    hit = _RECENT.get(key) if key else None
    if hit is not None and time.monotonic() - hit[0] < RECENT_SECONDS:
        return copy.deepcopy(hit[1])
    estimate = _preflight(job, measure)
    if key:
        while len(_RECENT) >= 8:
            _RECENT.pop(next(iter(_RECENT)))
        _RECENT[key] = (time.monotonic(), copy.deepcopy(estimate))
    return estimate


def _recent_key(job, measure: bool) -> Optional[str]:
    """The job's settings and its input files' size and modification time, as one string."""
    try:
        files = []
        for inp in job.inputs:
            for path in inp.paths:
                st = os.stat(path)
                files.append([path, st.st_size, st.st_mtime_ns])
        return json.dumps([job.to_dict(), files, bool(measure)], sort_keys=True, default=str)
    except (OSError, TypeError, ValueError, AttributeError):
        return None  # a file that is not there (the checks will say so) or a job that is not JSON: no reuse


def _preflight(job, measure: bool) -> Estimate:
    from .inference.backend import load_model
    from .inference.tiling import WindowGrid
    from .products.inputs import open_input

    job.validate()
    check_outputs(job)
    wants_labels = job.product == "classify" and not job.head_path or (
        job.product == "seasonal" and "classify" in job.seasonal_outputs)
    if wants_labels and job.labels_vector and job.label_field:
        from .vector import check_label_field

        check_label_field(job.labels_vector, job.label_field)  # a wrong file or field before any estimate
    if job.resolution is not None and not job.resolution > 0:
        raise JobError(f"Resolution {job.resolution} must be a positive ground distance (raster units per pixel).")
    from .products.reuse import embeddings_input, info_from_file

    device = _device(job)
    if all(embeddings_input(job, i) for i in range(len(job.inputs))):
        return _reuse_estimate(job, [info_from_file(embeddings_input(job, i)) for i in range(len(job.inputs))],
                               device)
    encoder = load_model(job.model)
    arch = _architecture(encoder)
    sizes, grids, channels, windows = [], [], [], 0
    first_decisions = None
    for i in range(len(job.inputs)):
        reused = embeddings_input(job, i)
        if reused:  # an embeddings raster: no model run for this input
            info = info_from_file(reused)
            sizes.append([info.input_width, info.input_height])
            grids.append([info.width, info.height])
            channels.append(0)
            continue
        source, bands = open_input(job, i)
        try:
            grid = WindowGrid(source.width, source.height, job.window, job.overlap, arch["patch_size"])
            sizes.append([source.width, source.height])
            grids.append([grid.token_width, grid.token_height])
            channels.append(source.count)
            windows += grid.count
            if first_decisions is None:
                first_decisions = list(bands.decisions)
        finally:
            source.close()
    notes = []
    tokens = grids[0][0] * grids[0][1]
    if job.product == "clusters" and job.k > tokens:
        raise JobError(f"k={job.k} clusters is more than the {tokens} tokens of the processed area "
                       f"({grids[0][0]}x{grids[0][1]} tokens of {arch['patch_size']} px); choose k <= {tokens} "
                       "or a larger extent.")
    c = max(channels) or 1
    d = arch["embed_dim"]
    # Memory: model batch + windows read ahead by the reader threads + blended token rows in flight.
    workers = max(2, min(8, os.cpu_count() or 2))
    prefetch = max(2 * job.batch_size, 2 * workers, 4)
    n_tok = job.window // arch["patch_size"]
    model_bytes = window_memory(arch, job.window, c, job.batch_size)
    read_ahead = prefetch * c * job.window * job.window * 4 * 2
    token_rows = 3 * d * (2 * n_tok) * max(g[0] for g in grids) * 4
    params = sum(int(t.numel()) for t in encoder.parameters()) * 4 if hasattr(encoder, "parameters") else 0
    # Output size (uncompressed upper bound) against free disk space.
    item = 2 if job.embedding_dtype == "float16" else 4
    out_px = sizes[0][0] * sizes[0][1] if job.at_input_resolution else tokens
    bands_out = {"embeddings": d, "pca": 3, "clusters": 1, "similarity": 1, "change": 1, "classify": 2}.get(job.product, d)
    output_bytes = out_px * bands_out * (item if job.product == "embeddings" else 4)
    if job.product != "embeddings" or job.at_input_resolution:
        output_bytes += tokens * d * item * len(job.inputs)  # the embeddings raster(s) every product starts from
    folder = os.path.dirname(os.path.abspath(job.output))
    free = shutil.disk_usage(folder).free
    if output_bytes > free:
        raise RasterError(f"The output needs up to {format_bytes(output_bytes)} but {folder} has "
                          f"{format_bytes(free)} free; free some space, choose another folder, or use --extent, "
                          "a coarser --resolution or --dtype float16.")
    peak = int(model_bytes + read_ahead + token_rows + params + (300 << 20))
    avail = available_memory(device)
    if peak > MEMORY_SHARE * avail:
        if token_rows > model_bytes + read_ahead:
            raise JobError(f"The processed area is {max(s[0] for s in sizes)} px wide: one row of windows needs "
                           f"about {format_bytes(peak)} of memory but {format_bytes(avail)} is available on {device}; "
                           "use --extent or a coarser --resolution.")
        raise JobError(f"Window {job.window} with batch size {job.batch_size} needs about {format_bytes(peak)} of "
                       f"memory but {format_bytes(avail)} is available on {device}; use a smaller --window "
                       f"(e.g. 224) or --batch-size.")
    flops = window_flops(arch, job.window, c)
    per_window = None
    if windows == 0:
        per_window, notes = 0.0, notes + ["embeddings rasters as input: no model run"]
    elif measure and job.backend == "torch" and first_decisions and flops < 5e11:
        per_window = _measure(encoder, first_decisions, job, device, channels[0])
    if per_window is None:
        rate = ASSUMED_FLOPS.get(device.split(":")[0], ASSUMED_FLOPS["cpu"])
        per_window, source_kind = flops / rate, "model"
    else:
        source_kind = "measured"
    seconds = per_window * windows
    if output_bytes > 0.5 * free:
        notes.append(f"the output takes more than half of the {format_bytes(free)} free in {folder}")
    if math.isinf(seconds) or seconds > 30 * 86400:
        notes.append("this run would take more than a month; check --resolution, --extent and --window")
    return Estimate(windows, sizes, grids, d, channels, float(seconds), source_kind, peak, int(avail),
                    int(output_bytes), int(free), device, notes)


def _reuse_estimate(job, infos: list, device: str) -> Estimate:
    """Every input is an embeddings raster: no model run, only the product itself."""
    tokens = infos[0].width * infos[0].height
    if job.product == "clusters" and getattr(job, "cluster_method", "kmeans") == "kmeans" and job.k > tokens:
        raise JobError(f"k={job.k} clusters is more than the {tokens} tokens of {infos[0].path}; choose k <= {tokens}.")
    folder = os.path.dirname(os.path.abspath(job.output))
    out_px = infos[0].input_width * infos[0].input_height if job.at_input_resolution else tokens
    output_bytes = out_px * 4 * (3 if job.product == "pca" else 2)
    avail = available_memory(device)
    peak = int(sum(i.width * i.height * i.embed_dim * 4 for i in infos) + (300 << 20))
    return Estimate(0, [[i.input_width, i.input_height] for i in infos], [[i.width, i.height] for i in infos],
                    infos[0].embed_dim, [0] * len(infos), 0.0, "model", peak, int(avail), int(output_bytes),
                    int(shutil.disk_usage(folder).free), device, ["embeddings rasters as input: no model run"])
