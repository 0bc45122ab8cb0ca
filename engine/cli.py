"""Command line: `python -m engine <command>` (or `smarties <command>`), headless, one JobSpec per run."""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
from typing import Optional, Sequence

from .errors import EngineError, JobCancelled
from .jobs import SEASONAL_POOLING, JobSpec, RasterInput, parse_band_list

PRODUCT_OF = {"embed": "embeddings", "pca": "pca", "cluster": "clusters", "similarity": "similarity",
              "change": "change", "classify": "classify"}


class ProgressBar:
    """A one-line progress bar on stderr (only when stderr is a terminal and not --quiet)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.t0 = time.time()
        self._last = -1.0

    def __call__(self, fraction: float, message: str) -> None:
        if not self.enabled:
            return
        fraction = min(max(fraction, 0.0), 1.0)
        if fraction - self._last < 0.005 and fraction < 1.0:
            return
        self._last = fraction
        width = 30
        filled = int(width * fraction)
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction * 100:5.1f}%  {message[:40]:<40}  {time.time() - self.t0:6.1f}s"
        sys.stderr.write(line)
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self._last >= 0:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _extent(text: str) -> tuple[float, float, float, float]:
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if len(parts) != 4:
        raise argparse.ArgumentTypeError(f"extent '{text}' must be xmin,ymin,xmax,ymax")
    try:
        vals = tuple(float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"extent '{text}' must be four numbers xmin,ymin,xmax,ymax") from None
    if vals[0] >= vals[2] or vals[1] >= vals[3]:
        raise argparse.ArgumentTypeError(f"extent '{text}': xmin must be < xmax and ymin < ymax")
    return vals  # type: ignore[return-value]


def _common(p: argparse.ArgumentParser, output: bool = True) -> None:
    g = p.add_argument_group("bands and model")
    g.add_argument("--sensor", help="sensor preset of the input (e.g. sentinel2_l2a, landsat8, naip)")
    g.add_argument("--bands", help='one entry per band: "B02,B03,B04", "sentinel2:B8A", "634-696nm", "skip"')
    g.add_argument("--model", default="default", help="registry id or checkpoint path (default: %(default)s)")
    g.add_argument("--normalization", default="auto", choices=["auto", "card", "raster", "percentiles"],
                   help="auto: the model card's official statistics for its sensors, else this raster's; "
                        "raster: statistics computed from this raster (percentiles = raster)")
    g.add_argument("--interpolation", default="reference", choices=["reference", "published", "linear"],
                   help="band mapping: reference (the reference's layers, nearest layer otherwise; default) "
                        "or interpolate between two layers (published or linear weights)")
    g.add_argument("--scale", default="auto",
                   help="model scale: auto (the model card's, e.g. x1.87 for the published models, about "
                        "3.5x the compute), native (x1, fastest) or a factor")
    g.add_argument("--fusion", default="concat", choices=["concat", "mean", "stack"],
                   help="several rasters of different sensors (--with): concat (one pass per sensor, "
                        "features concatenated, as the reference), mean, or stack (all bands in one pass)")
    g.add_argument("--extrapolate", action="store_true", help="allow bands outside the trained spectrum")
    t = p.add_argument_group("tiling and device")
    t.add_argument("--window", type=int, default=224, help="window size in pixels, multiple of 16")
    t.add_argument("--overlap", type=float, default=0.25, help="fraction shared by neighbouring windows")
    t.add_argument("--batch-size", type=int, default=8)
    t.add_argument("--device", default="auto", help="auto | cpu | cuda | cuda:N | mps; several GPUs: cuda:0,1 or all")
    t.add_argument("--backend", default="torch", choices=["torch", "onnxruntime"])
    a = p.add_argument_group("area")
    a.add_argument("--extent", type=_extent, help="xmin,ymin,xmax,ymax of the area to process")
    a.add_argument("--extent-crs", help="CRS of --extent (default: the raster's), e.g. EPSG:4326")
    a.add_argument("--resolution", type=float, help="ground resolution to process at (raster units)")
    f = p.add_argument_group("another sensor on the same grid (fusion)")
    if p.prog.endswith(" change"):
        f.add_argument("--with-before", help="raster of a second sensor for BEFORE (co-registered)")
        f.add_argument("--with-after", help="raster of the second sensor for AFTER (co-registered)")
    else:
        f.add_argument("--with", dest="with_raster", help="raster of a second sensor on the same grid "
                                                          "(e.g. Sentinel-1 with Sentinel-2), fused per --fusion")
    f.add_argument("--with-sensor", help="sensor preset of the second raster (e.g. sentinel1_grd)")
    f.add_argument("--with-bands", help="band list of the second raster")
    o = p.add_argument_group("output")
    if output:
        o.add_argument("-o", "--output", help="output GeoTIFF (default: <input>_<product>.tif here)")
        o.add_argument("--dtype", default="float32", choices=["float16", "float32"], help="embedding type")
        res = o.add_mutually_exclusive_group()
        res.add_argument("--at-input-resolution", dest="at_input_resolution", action="store_true", default=None,
                         help="result on the input's pixel grid (default for maps; embeddings: token grid)")
        res.add_argument("--token-resolution", dest="at_input_resolution", action="store_false",
                         help="one pixel per 16x16 input pixels, clipped to the input extent")
        o.add_argument("--min-valid-share", type=float, default=0.5,
                       help="tokens with a smaller share of valid pixels are nodata (default %(default)s)")
        o.add_argument("--keep-embeddings", action="store_true", help="also keep <output>_embeddings.tif")
    o.add_argument("--seed", type=int, default=0)
    o.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    o.add_argument("--json", action="store_true", help="print the result as JSON")
    o.add_argument("--print-job", action="store_true", help="print the JobSpec as JSON and exit")
    if output:
        o.add_argument("--yes", "-y", action="store_true",
                       help="run without asking even when the estimate is long (over an hour)")


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser for every subcommand."""
    p = argparse.ArgumentParser(prog="smarties", description="SMARTIES spectrum-aware embeddings for any raster.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("bands", help="show how the bands of a raster map to the model's spectral layers")
    b.add_argument("inputs", nargs="+", metavar="FILE")
    b.add_argument("--sensor")
    b.add_argument("--bands")
    b.add_argument("--interpolation", default="reference", choices=["reference", "published", "linear"])
    b.add_argument("--model", default="default",
                   help="model whose normalisation statistics and scale to show (default: %(default)s)")
    b.add_argument("--extrapolate", action="store_true")
    b.add_argument("--json", action="store_true")

    for name, helptext in (("embed", "embeddings raster (one band per embedding dimension)"),
                           ("pca", "3-band PCA colour composite of the embeddings"),
                           ("cluster", "clusters of the embeddings (k-means with --k, or HDBSCAN)"),
                           ("similarity", "cosine similarity to reference points or features"),
                           ("classify", "classify with labelled points/polygons or a saved head")):
        s = sub.add_parser(name, help=helptext)
        s.add_argument("inputs", nargs="+", metavar="FILE", help="raster, or several single-band files to stack")
        _common(s)
        if name == "pca":
            s.add_argument("--method", default="pca", choices=["pca", "umap"],
                           help="pca, or umap (optional package umap-learn): neighbourhoods set the colours")
        if name == "cluster":
            s.add_argument("--k", type=int, default=8, help="number of k-means clusters (default %(default)s)")
            s.add_argument("--method", default="kmeans", choices=["kmeans", "hdbscan"],
                           help="kmeans (choose --k) or hdbscan (finds the number of clusters itself)")
            s.add_argument("--min-cluster-size", type=int, help="hdbscan: smallest cluster, in sample tokens "
                           "(default: 1%% of the sample, at least 10)")
        if name == "similarity":
            s.add_argument("--point", nargs=2, type=float, action="append", metavar=("X", "Y"), default=[])
            s.add_argument("--crs", help="CRS of --point coordinates (default: the raster's), e.g. EPSG:4326")
            s.add_argument("--reference", help="vector file with reference points/polygons")
            s.add_argument("--mode", default="mean", choices=["mean", "max"],
                           help="mean: similarity to the mean reference; max: best match over the references")
        if name == "classify":
            s.add_argument("--labels", help="vector file with labelled points/polygons")
            s.add_argument("--field", help="class field in --labels")
            s.add_argument("--classifier", default="logistic", choices=["logistic", "knn", "mlp", "random_forest"])
            s.add_argument("--head", help="saved classifier head to apply instead of training")
            s.add_argument("--features", default="embeddings", choices=["embeddings", "bands+embeddings"],
                           help="what the classifier sees: embeddings, or embeddings + each token's mean bands")

    c = sub.add_parser("change", help="embedding change between two co-registered rasters")
    c.add_argument("before", metavar="BEFORE")
    c.add_argument("after", metavar="AFTER")
    c.add_argument("--sensor-after", help="sensor of AFTER when it differs from --sensor")
    c.add_argument("--bands-after", help="band list of AFTER when it differs from --bands")
    c.add_argument("--no-align", action="store_true",
                   help="refuse rasters on different grids instead of warping AFTER onto BEFORE's grid")
    _common(c)

    _seasonal_parser(sub)

    m = sub.add_parser("models", help="list, locate or install models")
    m.add_argument("action", choices=["list", "locate", "install"])
    m.add_argument("target", nargs="?", help="model id (locate) or weights file (install)")
    m.add_argument("--id", help="registry id to install the file as")
    m.add_argument("--json", action="store_true")

    from .batch_cli import add_batch_parser

    add_batch_parser(sub, _common)

    d = sub.add_parser("demo", help="embeddings, PCA and clusters of the bundled sample scene")
    d.add_argument("--output", "-o", default="demo_output", help="output folder (default %(default)s)")
    d.add_argument("--model", default="default")
    d.add_argument("--input", help="raster to use instead of the bundled sample")
    d.add_argument("--k", type=int, default=8)
    d.add_argument("--window", type=int, default=224)
    d.add_argument("--device", default="auto")
    d.add_argument("--quiet", "-q", action="store_true")
    d.add_argument("--json", action="store_true")
    return p


def _seasonal_parser(sub) -> None:
    s = sub.add_parser("seasonal", help="time series: seasonal embeddings, change profile, change, clusters, classes")
    s.add_argument("inputs", nargs="+", metavar="FILE", help="one raster per date (any order; dates from metadata/names)")
    s.add_argument("--dates", help="one date per FILE, YYYY-MM-DD, comma-separated (empty entry = from the file)")
    s.add_argument("--sensors", help="one sensor preset per FILE, comma-separated (overrides --sensor)")
    s.add_argument("--pooling", default="seasons", choices=list(SEASONAL_POOLING),
                   help="how dates are pooled into one embedding per place (default %(default)s)")
    s.add_argument("--products", default="change_profile",
                   help="also write, comma-separated: change_profile, change, clusters, classify (default %(default)s)")
    s.add_argument("--change-dates", help="two dates (or input numbers) for 'change', e.g. 2008-05-05,2008-08-25")
    s.add_argument("--mask", help="leave out pixels of a quality band: BAND=VALUES, e.g. fmask=2,3,4 (cloud "
                                  "shadow, snow, cloud of Fmask); mark that band 'skip' in --bands")
    s.add_argument("--k", type=int, default=8, help="clusters of the seasonal embeddings (default %(default)s)")
    s.add_argument("--labels", help="vector file with labelled points/polygons (classify)")
    s.add_argument("--field", help="class field in --labels")
    s.add_argument("--classifier", default="logistic", choices=["logistic", "knn", "mlp"])
    _common(s)


def _per_file(text: Optional[str], n: int, what: str) -> list[Optional[str]]:
    if not text:
        return [None] * n
    items = [t.strip() or None for t in text.split(",")]
    if len(items) != n:
        raise EngineError(f"--{what} has {len(items)} entries for {n} files; give one per file (in file order).")
    return items


def seasonal_job_from_args(args: argparse.Namespace) -> JobSpec:
    """The JobSpec of `seasonal FILE FILE ...`."""
    n = len(args.inputs)
    dates = _per_file(args.dates, n, "dates")
    sensors = _per_file(args.sensors, n, "sensors") if args.sensors else [args.sensor] * n
    bands = parse_band_list(args.bands)
    inputs = [RasterInput([p], bands, s, d) for p, s, d in zip(args.inputs, sensors, dates)]
    output = args.output or f"{os.path.splitext(os.path.basename(args.inputs[0]))[0]}_seasonal.tif"
    products = [p.strip() for p in (args.products or "").split(",") if p.strip()]
    change_dates = [d.strip() for d in args.change_dates.split(",")] if args.change_dates else None
    if change_dates and "change" not in products:
        products.append("change")
    return JobSpec(product="seasonal", inputs=inputs, output=os.path.abspath(output), model=args.model,
                   window=args.window, overlap=args.overlap, batch_size=args.batch_size, device=args.device,
                   backend=args.backend, extent=args.extent, extent_crs=args.extent_crs, resolution=args.resolution,
                   extrapolate=args.extrapolate, interpolation=args.interpolation, normalization=args.normalization,
                   embedding_dtype=args.dtype, at_input_resolution=args.at_input_resolution, seed=args.seed,
                   min_valid_share=args.min_valid_share, keep_embeddings=args.keep_embeddings, k=args.k, labels_vector=args.labels,
                   label_field=args.field, classifier=args.classifier, seasonal_pooling=args.pooling,
                   seasonal_outputs=products, change_dates=change_dates, series_mask=args.mask)


def job_from_args(args: argparse.Namespace) -> JobSpec:
    """The JobSpec a product command describes."""
    if args.command == "seasonal":
        return seasonal_job_from_args(args)
    product = PRODUCT_OF[args.command]
    if args.command == "change":
        inputs = [RasterInput([args.before], parse_band_list(args.bands), args.sensor),
                  RasterInput([args.after], parse_band_list(args.bands_after or args.bands),
                              args.sensor_after or args.sensor)]
        first = args.before
    else:
        inputs = [RasterInput(list(args.inputs), parse_band_list(args.bands), args.sensor)]
        first = args.inputs[0]
    second = lambda path: RasterInput([path], parse_band_list(args.with_bands), args.with_sensor)  # noqa: E731
    if args.command == "change" and (args.with_before or args.with_after):
        if not (args.with_before and args.with_after):
            raise EngineError("Fusing a second sensor in a change map needs both --with-before and --with-after.")
        inputs = [inputs[0], second(args.with_before), inputs[1], second(args.with_after)]
    elif args.command != "change" and getattr(args, "with_raster", None):
        inputs.append(second(args.with_raster))
    output = args.output or f"{os.path.splitext(os.path.basename(first))[0]}_{product}.tif"
    job = JobSpec(product=product, inputs=inputs, output=os.path.abspath(output), model=args.model,
                  window=args.window, overlap=args.overlap, batch_size=args.batch_size, device=args.device,
                  backend=args.backend, extent=args.extent, extent_crs=args.extent_crs,
                  resolution=args.resolution, extrapolate=args.extrapolate, interpolation=args.interpolation,
                  normalization=args.normalization, scale=args.scale, fusion=args.fusion,
                  embedding_dtype=args.dtype,
                  at_input_resolution=args.at_input_resolution, min_valid_share=args.min_valid_share,
                  seed=args.seed,
                  keep_embeddings=args.keep_embeddings)
    if args.command == "change":
        job.align = not args.no_align
    if args.command == "pca":
        job.composite_method = args.method
    if args.command == "cluster":
        job.k, job.cluster_method, job.min_cluster_size = args.k, args.method, args.min_cluster_size
    if args.command == "similarity":
        job.reference_points = [tuple(p) for p in args.point]
        job.reference_crs = args.crs
        job.reference_vector = args.reference
        job.similarity_mode = args.mode
    if args.command == "classify":
        job.labels_vector, job.label_field = args.labels, args.field
        job.classifier, job.head_path = args.classifier, args.head
        job.classify_features = args.features
    return job


STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")  # Ctrl+C, kill / a scheduler's timeout, a closed terminal


@contextlib.contextmanager
def stop_signals():
    """Yields a cancel() callable that turns true on Ctrl+C, SIGTERM or SIGHUP, so the run stops cleanly.

    The first signal asks the run to stop at the next window (its staging folder is removed, earlier
    files stay as they were); a second one stops at once through the same clean-up path. The
    previous handlers come back afterwards.
    """
    state = {"cancelled": False}

    def handler(signum, frame):
        if state["cancelled"]:
            raise JobCancelled(f"Stopped by {signal.Signals(signum).name}; no output was written.")
        state["cancelled"] = True

    previous = {}
    for name in STOP_SIGNALS:
        sig = getattr(signal, name, None)
        if sig is None:  # SIGHUP does not exist on Windows
            continue
        try:
            previous[sig] = signal.signal(sig, handler)
        except (ValueError, OSError):  # not in the main thread (e.g. called from a test runner thread)
            pass
    try:
        yield lambda: state["cancelled"]
    finally:
        for sig, old in previous.items():
            try:
                signal.signal(sig, old)
            except (ValueError, OSError, TypeError):
                pass


# JobSpec field -> the option that sets it, so that field errors name what the user typed.
OPTION_OF = {"embedding_dtype": "--dtype", "labels_vector": "--labels", "label_field": "--field",
             "head_path": "--head", "reference_vector": "--reference", "reference_points": "--point",
             "reference_crs": "--crs", "output": "-o/--output", "inputs": "FILE", "similarity_mode": "--mode",
             "seasonal_pooling": "--pooling", "seasonal_outputs": "--products"}


def one_line(message: str) -> str:
    """An error message on one line, JobSpec fields named as command-line options."""
    import re

    text = " ".join(str(message).split())
    return re.sub(r"JobSpec\.(\w+)", lambda m: OPTION_OF.get(m.group(1), "--" + m.group(1).replace("_", "-")), text)


def cmd_bands(args) -> dict:
    """Print the band table and layer decisions of a raster."""
    from .jobs import JobSpec as _J
    from .products.inputs import resolve_input_bands
    from .spectral import decision_table, decisions_to_json

    inp = RasterInput(list(args.inputs), parse_band_list(args.bands), args.sensor)
    job = _J(product="embeddings", inputs=[inp], output="-", interpolation=args.interpolation,
             extrapolate=args.extrapolate)
    bands = resolve_input_bands(inp, job)
    result = {"inputs": list(args.inputs), "bands_read": [i + 1 for i in bands.band_indices],
              "decisions": decisions_to_json(bands.decisions), "notes": bands.notes,
              "identities": [{"number": b.number, "description": b.description, "source": b.source,
                              "confidence": b.confidence, "note": b.note,
                              "band": getattr(b.band, "name", None)} for b in bands.identities]}
    if not args.json:
        if bands.identities:
            print("Band identification:")
            for b in bands.identities:
                name = getattr(b.band, "name", "?")
                print(f"  {b.number:>3}  {b.description or '-':<14} -> {name:<10} ({b.source}, {b.confidence})"
                      + (f"  {b.note}" if b.note else ""))
            print()
        print(decision_table(bands.decisions))
        for n in bands.notes:
            print(f"note: {n}")
    result.update(_model_preprocessing(args.model, args.sensor, bands.decisions, not args.json))
    return result


def _model_preprocessing(model: str, sensor, decisions, show: bool) -> dict:
    """Which statistics and model scale `model` uses for these bands (from its card, no weights read)."""
    from .inference.scale import describe
    from .model.cards import card_for, scale_for
    from .raster.normalize import COMPUTED_TEXT, card_stats

    try:
        card = card_for(model)
    except EngineError:
        card = {}
    rows = []
    for d in decisions:
        stats = card_stats(card, d.band.sensor or sensor, d.band.name)
        rows.append({"band": d.band.label, "statistics": stats.origin if stats else COMPUTED_TEXT})
    sensors = {d.band.sensor for d in decisions} - {None}
    factor = scale_for(card, sensor or (sensors.pop() if len(sensors) == 1 else None))
    if show:
        print(f"\nmodel {card.get('id') or model}: {describe(factor)}")
        for r in rows:
            print(f"  {r['band']:<24} {r['statistics']}")
    return {"statistics": rows, "scale": factor}


def cmd_models(args) -> dict:
    """List, locate or install models."""
    from .model import registry

    if args.action == "list":
        rows = registry.list_models()
        if not args.json:
            for r in rows:
                print(f"{r['id']:<20} {'installed' if r['path'] else 'not found':<10} {r['title']}")
                if r["path"]:
                    print(f"{'':<20} {r['path']}")
        return {"models": rows}
    if not args.target:
        raise EngineError(f"'models {args.action}' needs a {'model id' if args.action == 'locate' else 'file'}.")
    if args.action == "locate":
        path = registry.locate(args.target)
        if path is None:
            raise EngineError(f"Model '{args.target}' is not installed; see 'models list' for ids and download URLs.")
        if not args.json:
            print(path)
        return {"path": str(path)}
    dest = registry.install(args.target, args.id)
    if not args.json:
        print(f"installed {args.target} as {dest}")
    return {"path": str(dest)}


def confirm_estimate(job: JobSpec, args) -> None:
    """Check the job and print its estimate; a long run needs --yes (or a 'y' at a terminal)."""
    from .errors import JobError
    from .preflight import format_duration, preflight

    est = preflight(job)
    if not args.quiet:
        print(f"estimate: {est.text()}", file=sys.stderr)
        for note in est.notes:
            print(f"note: {note}", file=sys.stderr)
    if not est.needs_confirmation or getattr(args, "yes", False):
        return
    question = (f"This run is estimated at {format_duration(est.seconds)} ({est.windows} windows). "
                "Continue? [y/N] ")
    if sys.stdin is not None and sys.stdin.isatty():
        if input(question).strip().lower() in ("y", "yes"):
            return
        raise JobCancelled("Not started; nothing was written.")
    raise JobError(f"This run is estimated at {format_duration(est.seconds)} ({est.windows} windows of "
                   f"{job.window} px); add --yes to run it anyway, or reduce it with --extent, a coarser "
                   "--resolution or a larger --window.")


def report_notes(report) -> list[str]:
    """Every note of a report (nested sections included), each once, in order."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("notes", "notes_output") and isinstance(item, list):
                    found.extend(str(n) for n in item if str(n) not in found)
                else:
                    walk(item)

    walk(report)
    return found


def cmd_run(args) -> dict:
    """Build and run the JobSpec of a product command."""
    from .jobs import run

    job = job_from_args(args)
    if args.print_job:
        print(json.dumps(job.to_dict(), indent=2))
        return {}
    confirm_estimate(job, args)
    bar = ProgressBar(sys.stderr.isatty() and not args.quiet)
    said = []

    def progress(fraction: float, message: str) -> None:
        if not said:  # the run's first message is its device line: print it whole, once (like the bar:
            said.append(message)  # on a terminal, so scripts still get errors as one line)
            if bar.enabled:  # the estimate line above has the time: the device and precision only
                from .inference.device_summary import device_line

                print(f"device: {device_line(job.device, job.backend)}", file=sys.stderr, flush=True)
        bar(fraction, message)

    try:
        with stop_signals() as cancel:
            result = run(job, progress, cancel)
    finally:
        bar.close()
    if not args.json:
        for name, path in result.outputs.items():
            print(f"{name}: {path}")
        if not args.quiet:
            for note in report_notes(result.report):
                print(f"note: {note}", file=sys.stderr)
        if isinstance(result.report.get("scale"), (int, float)):
            from .inference.scale import describe

            print(describe(float(result.report["scale"])))
    return {"outputs": result.outputs, "report": result.report}


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point; returns the exit code (0 ok, 2 user-actionable error, 130 cancelled, 141 output
    pipe closed by its reader)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if "GDAL_CACHEMAX" not in os.environ:
        # GDAL's default block cache is 5 % of RAM; windows are read once, so a small cache suffices
        # and keeps a whole-tile run well under 2 GiB.
        from osgeo import gdal

        gdal.SetCacheMax(256 * 1024 * 1024)
    try:
        if args.command == "bands":
            result = cmd_bands(args)
        elif args.command == "models":
            result = cmd_models(args)
        elif args.command == "demo":
            from .products.demo import run_demo

            with stop_signals() as cancel:
                result = run_demo(args.output, model=args.model, input_path=args.input, k=args.k,
                                  window=args.window, device=args.device,
                                  progress=ProgressBar(sys.stderr.isatty() and not args.quiet),
                                  cancel=cancel, verbose=not args.json)
        elif args.command == "batch":
            from .batch_cli import cmd_batch

            result = cmd_batch(args)
        else:
            result = cmd_run(args)
    except (JobCancelled, KeyboardInterrupt) as exc:
        print(f"cancelled: {one_line(exc) or 'stopped by the user; no output was written.'}", file=sys.stderr)
        return 130
    except EngineError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: out of memory; use a smaller --window or --batch-size, or an --extent.", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _reader_gone()
    except OSError as exc:  # disk full, permission denied, ...: name the file when the system does
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"error: {one_line(exc.strerror or exc)}{where}; check the path, its permissions and free space.",
              file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug: one line here, the traceback on request
        if os.environ.get("SMARTIES_DEBUG"):
            raise
        print(f"error: unexpected {type(exc).__name__}: {one_line(exc)} (a bug; set SMARTIES_DEBUG=1 for the "
              "traceback and report it)", file=sys.stderr)
        return 1
    if getattr(args, "json", False) and result:
        try:
            print(json.dumps(result, indent=2, default=str))
        except BrokenPipeError:
            return _reader_gone()
    return getattr(args, "exit_code", 0)


def _reader_gone() -> int:
    """Whatever read our output closed it (`... | head`): stop quietly, as Unix tools do (141 = SIGPIPE).
    What is still buffered goes nowhere, so Python's exit does not fail on it again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (captured)
        pass
    return 141
