"""`python -m engine.training seamo | seamo-probe | seamo-export` (the SeaMo seasonal recipe)."""
from __future__ import annotations

import json
from pathlib import Path


def add_parsers(sub) -> None:
    """Add the SeaMo subcommands to the training CLI."""
    t = sub.add_parser("seamo", help="SeaMo seasonal multimodal pretraining (stage 1 then 2; resumes)")
    t.add_argument("--config", help="JSON config (engine/training/configs/seamo.json)")
    t.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                   help="override a config value, e.g. train.seed=1 or train.aligned=true")
    t.add_argument("--no-resume", action="store_true")
    p = sub.add_parser("seamo-probe", help="seasonal, cross-date and per-sensor probes of SeaMo runs and baselines")
    p.add_argument("runs", nargs="*", help="SeaMo run folders (label=folder to name them)")
    p.add_argument("--default-model", default="default", help="an engine model to probe too ('' to skip)")
    p.add_argument("--places", type=int, default=48, help="held-out places (half fit, half test)")
    p.add_argument("--output", help="write the report JSON here")
    p.add_argument("--markdown", help="write the tables as Markdown here")
    p.add_argument("--no-baselines", action="store_true", help="skip band means and the random encoder")
    p.add_argument("--cache", help="keep the held-out places in this .npz (reused by later probes)")
    p.add_argument("--merge", nargs="+", metavar="JSON", help="only merge earlier probe reports into one table")
    x = sub.add_parser("seamo-export", help="export a run: encoder (released layout) + <stem>.seamo.safetensors")
    x.add_argument("run")
    x.add_argument("--output", required=True, help="weights path (.safetensors)")


def run_command(args) -> None:
    """Run one SeaMo subcommand."""
    if args.command == "seamo":
        from .seamo_train import load_config, train

        print(json.dumps(train(load_config(args.config, tuple(args.set)), resume=not args.no_resume),
                         default=str)[:2000])
    elif args.command == "seamo-export":
        from .seamo_train import export

        print(export(args.run, args.output))
    else:
        from .seamo_probe import merge_reports, probe_report, report_markdown

        if args.merge:
            report = merge_reports([json.loads(Path(p).read_text()) for p in args.merge])
        else:
            runs = dict(r.split("=", 1) if "=" in r else (Path(r).name, r) for r in args.runs)
            report = probe_report(runs, args.default_model or None, args.places, baselines=not args.no_baselines,
                                  cache=args.cache)
        text = json.dumps(report, indent=1)
        if args.output:
            Path(args.output).write_text(text + "\n")
        md = report_markdown(report)
        if args.markdown:
            Path(args.markdown).write_text(md)
        print(md)
