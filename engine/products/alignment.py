"""Change between rasters on different grids: put the "after" raster(s) onto the "before" grid.

By default (JobSpec.align) every input of the after group whose grid differs from the first input's
processed grid is warped onto it with GDAL (a virtual raster in memory, no pixels copied; resampling
named in the report). With align=False (`--no-align`) a difference is refused with a command that
does the alignment by hand. Band identities are resolved on the original file first, so a warped
raster keeps the bands its file name or metadata gave it.
"""
from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from typing import Iterator

from ..errors import RasterError
from ..jobs import JobSpec, RasterInput
from ..raster.align import Grid, _resampling, release, warp_onto
from ..raster.grid import bounds, same_grid, srs_from_wkt
from .inputs import SKIP, open_input, resolve_input_bands


def _band_entry(decision) -> str:
    spec = getattr(decision, "band", decision)
    sensor, name = getattr(spec, "sensor", None), getattr(spec, "name", "")
    if sensor and name:
        return f"{sensor}:{name}"
    return f"{float(spec.min_nm):g}-{float(spec.max_nm):g}nm"


def _explicit_bands(inp: RasterInput, job: JobSpec, count: int) -> list[str]:
    """The input's band list as entries that survive warping (preset names or ranges; 'skip')."""
    resolved = resolve_input_bands(inp, job)
    entries = [SKIP] * count
    for i, d in zip(resolved.band_indices, resolved.decisions):
        entries[i] = _band_entry(d)
    return entries


def _crs_name(wkt: str) -> str:
    srs = srs_from_wkt(wkt)
    if srs is None:
        return "no CRS"
    srs.AutoIdentifyEPSG()
    code = srs.GetAuthorityCode(None)
    return f"EPSG:{code}" if code else (srs.GetName() or "a custom CRS")


def no_align_message(reference, other, why: str) -> str:
    """The refusal (align=False) with a gdalwarp command that aligns the raster by hand."""
    xmin, ymin, xmax, ymax = bounds(reference.geotransform, reference.width, reference.height)
    crs = _crs_name(reference.crs_wkt)
    what = "are in different coordinate systems" if "coordinate" in why else f"are not on the same grid ({why})"
    path = other.paths[0] if len(other.paths) == 1 else "AFTER"
    return (f"The rasters for change detection {what}: before {reference.label} ({crs}), after {other.label} "
            f"({_crs_name(other.crs_wkt)}). Leave out --no-align to let SMARTIES warp the after raster onto the "
            f"before grid, or align it yourself: gdalwarp -t_srs {crs} -te {xmin:.6f} {ymin:.6f} {xmax:.6f} "
            f"{ymax:.6f} -ts {reference.width} {reference.height} -r bilinear {path} after_aligned.tif")


@contextmanager
def aligned_change_job(job: JobSpec) -> Iterator[tuple[JobSpec, list[dict]]]:
    """(job with the after inputs on the before grid, one record per warped input); VRTs freed on exit."""
    from .reuse import embeddings_input

    if any(embeddings_input(job, i) for i in range(len(job.inputs))):
        _check_embeddings_grids(job)  # embeddings rasters: compared, never warped
        yield job, []
        return
    reference, _ = open_input(job, 0)
    warped: list[str] = []
    records: list[dict] = []
    try:
        grid = Grid(reference.width, reference.height, tuple(reference.geotransform), reference.crs_wkt)
        inputs = list(job.inputs)
        for index in range(len(job.inputs) // 2, len(job.inputs)):
            other, _ = open_input(job, index)
            try:
                sa, sb = srs_from_wkt(reference.crs_wkt), srs_from_wkt(other.crs_wkt)
                if (sa is None) != (sb is None) or (sa is not None and not sa.IsSame(sb)):
                    why = "coordinate reference systems differ"  # named first: sizes differ as a consequence
                else:
                    why = same_grid(reference.geotransform, (reference.width, reference.height), reference.crs_wkt,
                                    other.geotransform, (other.width, other.height), other.crs_wkt)
                if not why:
                    continue
                if not getattr(job, "align", True):
                    raise RasterError(no_align_message(reference, other, why))
                inp = job.inputs[index]
                bands = inp.bands if inp.bands is not None else _explicit_bands(inp, job, other.total_bands)
                names = []
                for path in inp.paths:
                    name = warp_onto(path, grid)
                    warped.append(name)
                    names.append(name)
                src_gt = tuple(other.geotransform)
                method = _resampling(src_gt, grid.geotransform, "auto")
                crs_changed = "coordinate" in why
                records.append({"input": other.label, "onto": reference.label, "reason": why,
                                "resampling": method, "crs_changed": crs_changed,
                                "note": (f"{other.label} was warped onto the grid of {reference.label} "
                                         f"({'from ' + _crs_name(other.crs_wkt) + ' to ' + _crs_name(grid.crs_wkt) + ', ' if crs_changed else ''}"
                                         f"{method} resampling) because {why}")})
                inputs[index] = RasterInput(names, bands, inp.sensor, getattr(inp, "date", None))
            finally:
                other.close()
        aligned = dataclasses.replace(job, inputs=inputs) if records else job
        if records:
            # the aligned rasters already cover exactly the before area at its resolution
            aligned = dataclasses.replace(aligned, extent=job.extent, extent_crs=job.extent_crs)
        yield aligned, records
    finally:
        reference.close()
        for name in warped:
            release(name)


def _check_embeddings_grids(job: JobSpec) -> None:
    """Change from embeddings rasters: both must be embeddings of the same model on one token grid."""
    from ..raster.align import grid_of
    from .reuse import embeddings_input, model_of

    paths = [embeddings_input(job, i) for i in range(len(job.inputs))]
    if not all(paths):
        plain = job.inputs[paths.index(None)].paths[0]
        raise RasterError(f"Change needs two embeddings rasters or two images; {plain} is an image while the "
                          "other input is an embeddings raster. Give two of the same kind.")
    a, b = grid_of(paths[0]), grid_of(paths[1])
    why = a.differs_from(b)
    if why:
        raise RasterError(f"The embeddings rasters {paths[0]} and {paths[1]} are not on the same token grid ({why}); "
                          "compute both from rasters on one grid, or give the images instead (they are aligned).")
    (ma, wa), (mb, wb) = model_of(paths[0]), model_of(paths[1])
    if ma != mb or (wa and wb and wa != wb):
        raise RasterError(f"The embeddings rasters come from different models ({ma} {wa[:12]} vs {mb} {wb[:12]}); "
                          "change compares embeddings of one model only.")
