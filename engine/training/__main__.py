"""`python -m engine.training {pretrain,evaluate,export,sample} ...` (config files in configs/)."""
from __future__ import annotations

import argparse
import json
import sys


def main(argv=None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(prog="python -m engine.training", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pretrain", help="pretrain (or resume) a SMARTIES MAE; torchrun-ready")
    p.add_argument("--config", required=False, help="JSON config (see engine/training/configs/default.json)")
    p.add_argument("--no-resume", action="store_true", help="start over even if a checkpoint exists")
    p.add_argument("--steps", type=int, help="override train.steps")
    p.add_argument("--output-dir", help="override output.dir")
    e = sub.add_parser("evaluate", help="kNN and linear probes vs baselines on held-out synthetic scenes")
    e.add_argument("--config", required=False)
    e.add_argument("--checkpoint", required=True, help="a .safetensors/.pt checkpoint (training or exported)")
    e.add_argument("--output", help="write the report JSON here")
    e.add_argument("--scenes", type=int, default=None, help="held-out scenes (default from config or 24)")
    e.add_argument("--validation", action="store_true",
                   help="probe the validation scene set (for choosing a recipe) instead of the test set")
    e.add_argument("--real", action="store_true",
                   help="real-data probes (Slovenia land cover, BigEarthNet S2/S1, Landsat-8 points; ../shared)")
    e.add_argument("--shared", help="folder holding realdata/ and realdata_train/ (default $EO_SHARED_DIR or ../shared)")
    x = sub.add_parser("export", help="write the encoder (+decoder) in the released layout, fp16, with a model card")
    x.add_argument("--config", required=False)
    x.add_argument("--checkpoint", help="training checkpoint (default <output.dir>/checkpoint.pt)")
    x.add_argument("--output", help="weights path (default output.export)")
    x.add_argument("--metrics", help="evaluation report JSON to put into the card")
    x.add_argument("--real-metrics", help="real-data evaluation report JSON (evaluate --real) to put into the card")
    c = sub.add_parser("compare", help="train every recipe x seed of a comparison config, probe them, write the table")
    c.add_argument("--config", required=True, help="comparison config (engine/training/configs/compare_recipes.json)")
    c.add_argument("--train-only", action="store_true", help="train the runs, skip the probes")
    c.add_argument("--only", nargs="*", help="only these recipes")
    c.add_argument("--seeds", nargs="*", type=int, help="only these seeds")
    c.add_argument("--probe-only", action="store_true", help="probe the runs as they are (no training)")
    s = sub.add_parser("sample", help="write the demo sample scene(s)")
    s.add_argument("--output-dir", default="resources/sample")
    s.add_argument("--labels", action="store_true", help="also write the per-pixel labels")
    from .seamo_cli import add_parsers, run_command

    add_parsers(sub)
    args = ap.parse_args(argv)

    from ..errors import EngineError

    try:
        if args.command == "pretrain":
            from .pretrain import load_config, pretrain

            cfg = load_config(args.config)
            if args.steps:
                cfg["train"]["steps"] = args.steps
            if args.output_dir:
                cfg["output"]["dir"] = args.output_dir
            pretrain(cfg, resume=not args.no_resume)
            import torch.distributed as dist

            if dist.is_available() and dist.is_initialized():  # launched by torchrun
                dist.destroy_process_group()
        elif args.command == "evaluate":
            from .pretrain import load_config
            from .probe import PROBE_SEED, VALIDATION_SEED, evaluate_checkpoint

            cfg = load_config(args.config)
            if args.real:
                from .realprobe import evaluate_checkpoint_real, real_table

                report = evaluate_checkpoint_real(args.checkpoint, cfg, args.shared, args.validation)
                print(real_table(report), file=sys.stderr)
            else:
                report = evaluate_checkpoint(args.checkpoint, cfg, n_scenes=args.scenes,
                                             seed=VALIDATION_SEED if args.validation else PROBE_SEED)
            text = json.dumps(report, indent=1)
            if args.output:
                from pathlib import Path

                Path(args.output).write_text(text + "\n")
            print(text)
        elif args.command == "export":
            from .export import export_default
            from .pretrain import load_config

            cfg = load_config(args.config)
            if cfg["train"].get("recipe", "smarties") != "smarties":
                from .recipes import export_recipe

                print(export_recipe(cfg, args.checkpoint, args.output))
            else:
                print(export_default(cfg, args.checkpoint, args.output, args.metrics, args.real_metrics))
        elif args.command == "compare":
            from .compare import compare

            print(compare(args.config, train_only=args.train_only, only=args.only, seeds=args.seeds,
                          probe_only=args.probe_only))
        elif args.command.startswith("seamo"):
            run_command(args)
        elif args.command == "sample":
            from .sample import write_samples

            print("\n".join(write_samples(args.output_dir, with_labels=args.labels)))
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
