"""`python -m engine batch`: the command line of engine.batch (many scenes, one product, Dask)."""
from __future__ import annotations

import argparse
import os
import sys

from .errors import EngineError

PRODUCT_COMMANDS = {"embeddings": "embed", "pca": "pca", "clusters": "cluster", "similarity": "similarity",
                    "classify": "classify"}


def add_batch_parser(sub, common) -> None:
    """The `batch` subcommand; `common` adds the options every product command has."""
    b = sub.add_parser("batch", help="run one product over many scenes with Dask (local or a cluster)",
                       description="One job per scene (the same options as the product command), run as "
                       "Dask tasks. Finished scenes are recorded in a manifest in the output folder and "
                       "skipped on a rerun; failed scenes are retried, then reported.")
    b.add_argument("scenes", nargs="+", metavar="SCENES",
                   help="raster files, quoted globs ('tiles/*.tif'), .txt/.csv lists or a STAC ItemCollection .json")
    b.add_argument("--product", required=True, choices=sorted(PRODUCT_COMMANDS))
    b.add_argument("--output-dir", required=True, help="folder for <scene>_<product>.tif, the manifest and report")
    b.add_argument("--workers", type=int, help="LocalCluster worker processes (default 1; on CUDA one per GPU)")
    b.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    b.add_argument("--retries", type=int, default=2, help="extra attempts for a crashed task (default 2)")
    b.add_argument("--row-blocks", type=int, default=1, metavar="N",
                   help="embeddings: split each scene into N row blocks, each its own task, stitched at the "
                        "end (for scenes too large for one worker's time; same result as one run)")
    b.add_argument("--asset", help="STAC asset key holding the raster (default: the item's only GeoTIFF)")
    b.add_argument("--k", type=int, default=8, help="clusters: number of clusters")
    b.add_argument("--point", nargs=2, type=float, action="append", metavar=("X", "Y"), default=[])
    b.add_argument("--crs", help="similarity: CRS of --point")
    b.add_argument("--reference", help="similarity: vector file with reference points/polygons")
    b.add_argument("--labels", help="classify: labelled vector file")
    b.add_argument("--field", help="classify: class field")
    b.add_argument("--classifier", default="logistic", choices=["logistic", "knn", "mlp"])
    b.add_argument("--head", help="classify: saved head to apply")
    common(b)


def template_job(args: argparse.Namespace):
    """The JobSpec every scene starts from (the product command's job for the first scene)."""
    from .cli import build_parser, job_from_args

    command = PRODUCT_COMMANDS[args.product]
    # the product command's own defaults (options batch does not repeat keep them), then batch's values
    ns = build_parser().parse_args([command, "scene.tif"])
    for key, value in vars(args).items():
        if key not in ("command", "inputs") and hasattr(ns, key):
            setattr(ns, key, value)
    ns.inputs = ["scene.tif"]  # replaced per scene
    ns.output = os.path.join(args.output_dir, "scene.tif")
    return job_from_args(ns)


def cmd_batch(args: argparse.Namespace) -> dict:
    """Run the batch; prints a line per failed scene and a summary; exit status 2 when a scene failed."""
    from .batch import run_batch
    from .cli import ProgressBar

    job = template_job(args)
    if args.print_job:
        import json

        print(json.dumps(job.to_dict(), indent=2))
        return {}
    if args.workers is not None and args.workers < 1:
        raise EngineError("--workers must be at least 1.")
    from .row_blocks import block_count

    blocks = block_count(args.row_blocks)
    workers = args.workers
    if job.device == "all":
        job.device = "cuda"  # one GPU per worker: the workers share the machine's GPUs
    if workers is None and job.device.startswith("cuda"):
        try:
            import torch

            workers = max(1, torch.cuda.device_count())
        except ImportError:
            workers = 1
    bar = ProgressBar(sys.stderr.isatty() and not args.quiet)
    try:
        report = run_batch(args.scenes, job, args.output_dir, workers=workers, scheduler=args.scheduler,
                           retries=args.retries, asset=args.asset, progress=bar, row_blocks=blocks,
                           log=lambda m: (bar.close(), print(m, file=sys.stderr)))
    finally:
        bar.close()
    if not args.json:
        print(f"{report['done']} done, {report['skipped']} skipped (finished earlier), {report['failed']} failed; "
              f"report: {os.path.join(report['output_dir'], 'smarties_batch_report.json')}")
    if report["failed"]:
        args.exit_code = 2
    return report
