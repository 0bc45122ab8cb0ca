"""Product 'seasonal': a time series of rasters of one place -> seasonal embeddings and what uses them.

Each input is one date (its own sensor and band table); dates come from the inputs, the files'
metadata or their names. Every date is put onto the first input's grid (GDAL warp, virtual, only
when its grid differs), embedded with the job's model, and the per-date embeddings are pooled
into one seasonal embedding per place (job.seasonal_pooling). Next to the seasonal embeddings
(job.output) the job can write, as `<stem>_<name>.tif`: `change_profile` (distance of every date
to the previous one), `change` (between job.change_dates), `clusters` (k-means of the seasonal
embeddings) and `classes` (a classifier trained on labelled vectors over seasonal embeddings).
Everything is written under temporary names and renamed together at the end.
"""
from __future__ import annotations

import dataclasses
import os
from typing import Optional

from ..errors import JobCancelled, JobError
from ..jobs import JobResult, JobSpec, RasterInput
from ..raster.align import grid_of, release, warp_onto
from ..raster.writer import commit_file, remove_quietly, temp_name
from ..series import SeriesDate, date_order, series_dates
from .embeddings import EmbeddingInfo, companion_path, compute_embeddings, report_for, resample_to_input
from .inputs import open_input
from .output_grid import PATCH, clip_token_file, commit_token_output
from .seasonal_mask import apply_mask, check_mask_band, masked_share, parse_mask
from .seasonal_pool import POOLING_HELP, write_change_profile, write_seasonal


@dataclasses.dataclass
class SeriesItem:
    """One date of the series: the input as given, its date, and the paths read (aligned when needed)."""

    index: int  # position in job.inputs (0-based)
    date: SeriesDate
    input: RasterInput
    read_paths: list
    aligned: bool


def prepare_series(job: JobSpec) -> list[SeriesItem]:
    """Dates of every input and the paths to read them on the first input's grid, in date order."""
    firsts = [inp.paths[0] if inp.paths else "" for inp in job.inputs]
    for i, inp in enumerate(job.inputs):
        if not inp.paths:
            raise JobError(f"Date number {i + 1} of the series has no raster file.")
    dates = series_dates(firsts, [inp.date for inp in job.inputs])
    ref = grid_of(firsts[0])
    items = []
    try:
        for i, (inp, d) in enumerate(zip(job.inputs, dates)):
            read, aligned = [], False
            for p in inp.paths:
                if grid_of(p).differs_from(ref):
                    read.append(warp_onto(p, ref))
                    aligned = True
                else:
                    read.append(p)
            items.append(SeriesItem(i, d, inp, read, aligned))
    except BaseException:
        release_series(items)
        raise
    return [items[i] for i in date_order([it.date for it in items])]


def release_series(items: list[SeriesItem]) -> None:
    """Free the virtual rasters prepare_series made."""
    for it in items:
        for p, orig in zip(it.read_paths, it.input.paths):
            if p != orig:
                release(p)


def date_job(job: JobSpec, item: SeriesItem) -> JobSpec:
    """The one-input embeddings job of one date (same model, tiling, area and device as the series)."""
    inp = RasterInput(list(item.read_paths), item.input.bands, item.input.sensor, item.date.iso)
    return dataclasses.replace(job, product="embeddings", inputs=[inp], seasonal_outputs=[], change_dates=None)


def _pick_date(items: list[SeriesItem], text: str) -> int:
    """Position (in date order) of the date `text` (YYYY-MM-DD) or input number ('1' = first input)."""
    text = str(text).strip()
    if text.isdigit():
        for k, it in enumerate(items):
            if it.index == int(text) - 1:
                return k
        raise JobError(f"Change date '{text}': the series has inputs 1 to {len(items)}.")
    for k, it in enumerate(items):
        if it.date.iso == text:
            return k
    raise JobError(f"Change date '{text}' is not a date of the series ({', '.join(it.date.iso for it in items)}).")


def _keep_path(job: JobSpec, item: SeriesItem, used: set) -> str:
    name = f"{item.date.iso}_embeddings"
    if name in used:
        name = f"{item.date.iso}_{item.index + 1}_embeddings"
    used.add(name)
    return companion_path(job.output, name)


def _grid_dict(info: EmbeddingInfo) -> dict:
    return {"width": info.width, "height": info.height, "geotransform": info.geotransform,
            "crs_wkt": info.crs_wkt, "embed_dim": info.embed_dim}


def _input_grid(info: EmbeddingInfo) -> tuple:
    """(input geotransform, width, height, patch, token grid) for output_grid's clipping."""
    return info.input_geotransform, info.input_width, info.input_height, PATCH, (info.width, info.height)


def _clip_in_place(path: str, info: EmbeddingInfo) -> None:
    """Give a kept per-date embeddings raster (written at its final name) the input-clipped grid."""
    clip_token_file(path, *_input_grid(info))


def run_seasonal(job: JobSpec, progress, cancel) -> JobResult:
    """Run a seasonal job (see the module docstring); returns every written file under its product name."""
    if job.seasonal_pooling == "fusion":
        from .seasonal_fusion import check_fusion_model

        check_fusion_model(job.model)
    items = prepare_series(job)
    try:
        # Band tables of every date are checked before any model work (fails in seconds, not after a run).
        mask = parse_mask(job.series_mask)
        for it in items:
            src, _ = open_input(date_job(job, it), 0)
            src.close()
            if mask is not None:  # the mask band is there on every date
                check_mask_band(it.read_paths, mask[0], it.input.paths[0])
        change_pair = [_pick_date(items, t) for t in job.change_dates] if "change" in job.seasonal_outputs else None
        return _run(job, items, change_pair, progress, cancel)
    finally:
        release_series(items)


def _run(job: JobSpec, items: list[SeriesItem], change_pair, progress, cancel) -> JobResult:
    n = len(items)
    keep = bool(job.keep_embeddings)
    used: set = set()
    date_paths = [_keep_path(job, it, used) for it in items] if keep else [temp_name(job.output) for _ in items]
    finals = {"seasonal_embeddings": os.path.abspath(job.output)}
    for name in job.seasonal_outputs:
        finals[name] = companion_path(os.path.abspath(job.output), "classes" if name == "classify" else name)
    tmps = {k: temp_name(v) for k, v in finals.items()}
    extra_files: dict = {}
    head = None
    infos: list[EmbeddingInfo] = []
    mask = parse_mask(job.series_mask)
    masked: dict = {}
    try:
        for k, it in enumerate(items):
            lo, hi = 0.8 * k / n, 0.8 * (k + 1) / n
            progress(lo, f"date {k + 1}/{n} ({it.date.iso}): embeddings")
            infos.append(compute_embeddings(date_job(job, it), 0, date_paths[k], progress, cancel, (lo, hi)))
            if mask is not None:
                share = masked_share(it.read_paths, mask[0], mask[1], job, infos[-1], it.input.paths[0])
                masked[it.date.iso] = apply_mask(infos[-1].path, share, job.min_valid_share)
        if cancel():
            raise JobCancelled("Cancelled by the user; no output was written.")
        dates = [it.date for it in items]
        grid = _grid_dict(infos[0])
        meta = {"SMARTIES_MODEL": job.model, "SMARTIES_INPUTS": [it.input.paths[0] for it in items],
                "SMARTIES_BANDS": infos[0].band_table}
        report = {"dates": [{"date": it.date.iso, "date_source": it.date.source, "input": it.input.paths[0],
                             "aligned": it.aligned, **report_for(info)} for it, info in zip(items, infos)]}
        if mask is not None:
            report["masked_tokens"] = masked
        progress(0.82, f"pooling {n} dates ({job.seasonal_pooling})")
        if job.seasonal_pooling == "fusion":
            from .seasonal_fusion import write_fused

            report["seasonal"] = write_fused(job.model, [i.path for i in infos], dates, tmps["seasonal_embeddings"],
                                             grid, meta, cancel)
        else:
            report["seasonal"] = write_seasonal([i.path for i in infos], dates, job.seasonal_pooling,
                                                tmps["seasonal_embeddings"], grid, meta, cancel,
                                                job.embedding_dtype)
        report["seasonal"]["pooling_help"] = POOLING_HELP[job.seasonal_pooling]
        seasonal_info = dataclasses.replace(infos[0], path=tmps["seasonal_embeddings"],
                                            embed_dim=int(report["seasonal"]["bands"]))
        if "change_profile" in tmps:
            progress(0.86, "change profile")
            report["change_profile"] = write_change_profile([i.path for i in infos], dates, tmps["change_profile"],
                                                            grid, meta, cancel)
        if change_pair is not None:
            from .change import write_change

            a, b = change_pair
            progress(0.88, f"change {dates[a].iso} -> {dates[b].iso}")
            report["change"] = write_change(infos[a], infos[b], tmps["change"], cancel)
            report["change"].update({"before": dates[a].iso, "after": dates[b].iso})
        if "clusters" in tmps:
            from .clusters import write_clusters

            progress(0.9, "clusters of the seasonal embeddings")
            report["clusters"] = write_clusters(seasonal_info, tmps["clusters"], job.k, job.seed, cancel=cancel)
        if "classify" in tmps:
            from .seasonal_classify import classify_seasonal

            progress(0.92, "classifying the seasonal embeddings")
            report["classify"], extra_files, head = classify_seasonal(job, seasonal_info, tmps["classify"], finals["classify"],
                                                                cancel)
        if job.at_input_resolution:
            progress(0.95, "resampling to the input grid")
            for name in ("change_profile", "change", "clusters"):
                if name in tmps:
                    res = temp_name(finals[name])
                    try:
                        resample_to_input(tmps[name], res, infos[0], categorical=name == "clusters")
                    except BaseException:
                        remove_quietly(res)
                        raise
                    remove_quietly(tmps[name])
                    tmps[name] = res
        if keep:
            for p in date_paths:
                _clip_in_place(p, infos[0])
        resampled = {"change_profile", "change", "clusters"} if job.at_input_resolution else set()
        for name, tmp in list(tmps.items()) + [(k, v[0]) for k, v in extra_files.items()]:
            final = finals.get(name) or extra_files[name][1]
            if name in resampled or not final.lower().endswith((".tif", ".tiff")):
                commit_file(tmp, final)
            else:  # token grid: ends where the input ends, as every product's token-grid output
                commit_token_output(tmp, final, *_input_grid(infos[0]))
        outputs = dict(finals)
        outputs.update({k: v[1] for k, v in extra_files.items()})
        if "classify" in outputs:
            outputs["classes"] = outputs.pop("classify")
            outputs["head"] = head.save(report["classify"]["outputs"]["head"])
        if keep:
            outputs.update({f"embeddings_{it.date.iso}" if f"embeddings_{it.date.iso}" not in outputs
                            else f"embeddings_{it.date.iso}_{it.index + 1}": p for it, p in zip(items, date_paths)})
        progress(1.0, "done")
        return JobResult(outputs, report)
    except BaseException:
        for p in list(tmps.values()) + [v[0] for v in extra_files.values()]:
            remove_quietly(p)
        if keep:
            for p in date_paths:
                remove_quietly(p)
        raise
    finally:
        if not keep:
            for p in date_paths:
                remove_quietly(p)
