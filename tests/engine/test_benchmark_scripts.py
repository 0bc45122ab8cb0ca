"""benchmarks/gpu_check.sh is prepared for a GPU session that cannot fix it: it parses, and every
throughput.py flag it passes is one throughput.py takes (for both its GPU and its DRY values)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "gpu_check.sh"


def bench_calls(text: str, values: dict) -> list[list[str]]:
    """The argument lists of the script's `bench NAME CAP ARGS...` lines, variables filled in."""
    joined = re.sub(r"\\\n\s*", " ", text)
    calls = []
    for line in joined.splitlines():
        line = line.strip()
        if not line.startswith("bench ") or "()" in line:
            continue
        words = line.split()[3:]
        filled = " ".join(words)
        for name, value in sorted(values.items(), key=lambda kv: -len(kv[0])):
            filled = filled.replace(f"${name}", value)
        assert "$" not in filled, f"unknown variable in: {line}"
        calls.append(filled.split())
    return calls


def values_for(text: str, dry: bool) -> dict:
    block = text.split('if [ "$DRY" = 1 ]; then  # the same steps')[1].split("fi\n")[0]
    part = block.split("else")[0 if dry else 1]
    return dict(re.findall(r'(\w+)="?([^";\n]*)"?(?:;|$)', part, flags=re.M))


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_script_parses():
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)


@pytest.mark.parametrize("dry", [False, True])
def test_every_bench_call_is_a_valid_throughput_command(dry):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from throughput import RANDOM_MODELS, build_parser
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    text = SCRIPT.read_text()
    calls = bench_calls(text, values_for(text, dry))
    assert len(calls) >= 5
    for args in calls:
        ns = build_parser().parse_args(args)  # exits (SystemExit) on an unknown flag
        assert ns.model in RANDOM_MODELS
        assert ns.device == ("cpu" if dry else "cuda")
    assert any(build_parser().parse_args(a).baseline for a in calls)
