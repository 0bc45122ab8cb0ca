#!/usr/bin/env bash
# The whole GPU check in one go: the device-path equality tests on CUDA, then the throughput rows
# for benchmarks/README.md (one JSON line each in $OUT/gpu_results.jsonl, a table in
# $OUT/gpu_table.md, every step's output in $OUT/gpu_check.log). Sized for one call of the
# `device` tool: all steps together stay inside BUDGET seconds (default 420 = 7 min; a command may
# run 10 min and a session has 15 min of device time, start included), each step gets
# min(its own cap, what is left), and a step that fails or runs out of time does not stop the next.
#
# On the GPU machine (python3 there has torch with CUDA, numpy 2, onnxruntime, safetensors, pytest,
# but no GDAL): carry the GDAL wheel. Before the call, here, from the repository root:
#   echo /.whl/ >> .git/info/exclude
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#       --platform manylinux_2_28_x86_64 -d .whl gdal-wheel==3.13.3          # 29 MB, self-contained
# then run with carry [".whl"], timeout_s 540:
#   OUT=$OUT bash benchmarks/gpu_check.sh
# It installs .whl/*.whl into /tmp/site when python3 cannot import osgeo.
#
# Anywhere, on CPU, as a dry run of the same steps (small tile, small models, ~2-4 min on 2 cores):
#   DRY=1 OUT=/tmp/gpu-dry bash benchmarks/gpu_check.sh
set -u
OUT=${OUT:-/tmp/smarties-gpu-check}
DRY=${DRY:-0}
BUDGET=${BUDGET:-420}
START=$SECONDS
mkdir -p "$OUT"
RES="$OUT/gpu_results.jsonl"
LOG="$OUT/gpu_check.log"
: > "$RES"
: > "$LOG"
export QT_QPA_PLATFORM=offscreen PYTHONUNBUFFERED=1
export SMARTIES_CACHE=${SMARTIES_CACHE:-/tmp/smarties-gpu-cache}   # exported ONNX graphs, outside $OUT
if [ -n "${PYTHON:-}" ]; then PY=$PYTHON
elif [ "$DRY" = 1 ] && [ -x .venv/bin/python ]; then PY=.venv/bin/python
else PY=python3; fi

if ! "$PY" -c "import osgeo.gdal" 2>/dev/null && ls .whl/*.whl >/dev/null 2>&1; then
  echo "installing the carried wheels (.whl) into /tmp/site" | tee -a "$LOG"
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
    >> "$LOG" 2>&1 && export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi

left() { echo $(( BUDGET - (SECONDS - START) )); }

"$PY" - <<'EOF' 2>&1 | tee "$OUT/machine.txt"
import os, platform
import numpy, torch
print("python", platform.python_version(), "numpy", numpy.__version__, "torch", torch.__version__, "cuda", torch.version.cuda)
print("gpus", [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())], "cpus", os.cpu_count())
try:
    from osgeo import gdal
    print("gdal", gdal.__version__)
except ImportError as exc:
    print("NO GDAL:", exc, "- carry the gdal-wheel (see the top of benchmarks/gpu_check.sh)")
try:
    import onnxruntime
    print("onnxruntime", onnxruntime.__version__, onnxruntime.get_available_providers())
except ImportError:
    print("no onnxruntime: the baseline runs the torch model, batch 1")
EOF

# 1. the device path equals the host path, on CUDA tensors too (the gpu-marked tests run there)
echo "== tests ($(left) s left)" | tee -a "$LOG"
timeout $(( $(left) < 150 ? $(left) : 150 )) "$PY" -m pytest -q -p no:cacheprovider -p no:pytest_qgis \
  tests/engine/test_device_path.py tests/engine/test_cpu_speed.py 2>&1 | tail -15 | tee "$OUT/tests.txt" >> "$LOG"

bench() {  # bench NAME CAP ARGS...: one JSON line per run, appended to $RES with its name
  local name=$1 cap=$2; shift 2
  local t=$(left)
  [ "$t" -gt "$cap" ] && t=$cap
  if [ "$t" -lt 20 ]; then echo "== $name: skipped, budget spent" | tee -a "$LOG"; return; fi
  echo "== $name (limit ${t} s): $*" | tee -a "$LOG"
  local line
  line=$(timeout "$t" "$PY" benchmarks/throughput.py --json "$@" 2>>"$LOG" | tail -1)
  if [ -n "$line" ] && echo "$line" | "$PY" -c "import json,sys; d=json.loads(sys.stdin.read()); d['run']=sys.argv[1]; print(json.dumps(d))" "$name" >> "$RES" 2>>"$LOG"; then
    echo "   done" | tee -a "$LOG"
  else
    echo "   failed or timed out, see gpu_check.log" | tee -a "$LOG"
  fi
}

if [ "$DRY" = 1 ]; then  # the same steps and flags on CPU: small tile, small models
  SIZE="--size 768"; CSIZE="--size 512"; DEV="--device cpu"; B="random-small"; L="random-tiny"; BS=8; RT=2; LIMIT=9
else
  SIZE=""; CSIZE="--size 4096"; DEV="--device cuda"; B="random-vitb"; L="random-vitl"; BS=64; RT=12; LIMIT=400
fi
# 2. a quick row first (a small tile), so that something comes back even if the full tile fails
bench smoke-vitb-bf16-device 60 --size 1024 --model $B $DEV --dtype bf16 --batch-size $BS --path device --reader-threads $RT
# 3. full Sentinel-2 tile (10980 x 10980 x 12), ViT-B bf16, 224 px, overlap 0.25: the target row
#    (device path, model alone, per-tile baseline on the first tiles)
bench vitb-bf16-device 150 $SIZE --model $B $DEV --dtype bf16 --batch-size $BS --path device \
      --model-loop 20 --baseline --baseline-limit $LIMIT --reader-threads $RT
# 4. the same with the host path (numpy normalise/blend, float32 copies), for comparison
bench vitb-bf16-host 120 $SIZE --model $B $DEV --dtype bf16 --batch-size $BS --path host --reader-threads $RT
# 5. ViT-L bf16 device path
bench vitl-bf16-device 120 $SIZE --model $L $DEV --dtype bf16 --batch-size $BS --path device --model-loop 10 --reader-threads $RT
# 6. torch.compile with CUDA graphs (optional path), a 4096 tile, then fp16 if time is left
bench vitb-bf16-compiled 150 $CSIZE --model $B $DEV --dtype bf16 --batch-size $BS --path device \
      --compile reduce-overhead --model-loop 20 --reader-threads $RT
bench vitb-fp16-device 90 $SIZE --model $B $DEV --dtype fp16 --batch-size $BS --path device --reader-threads $RT

echo "results: $RES ($(( SECONDS - START )) s)" | tee -a "$LOG"
"$PY" - "$RES" <<'EOF' | tee "$OUT/gpu_table.md"
import json, sys
print("| run | device | tile | windows | end to end w/s | model only w/s | model alone w/s | e2e / model | baseline w/s | e2e / baseline | peak RSS MiB | peak GPU MiB | load |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    d = json.loads(line)
    f = lambda v, p=1: "-" if v is None else f"{v:.{p}f}"
    print(f"| {d['run']} ({d['model']}) | {d.get('device')} | {d['size']} | {d['windows']} | {f(d['end_to_end_windows_per_s'])} "
          f"| {f(d['model_only_windows_per_s'])} | {f(d.get('model_loop_windows_per_s'))} "
          f"| {f(d['ratio_end_to_end_over_model'] * 100)} % | {f(d.get('baseline_windows_per_s'))} "
          f"| {f(d.get('ratio_end_to_end_over_baseline'), 2)} | {f(d['peak_rss_mib'], 0)} "
          f"| {f(d.get('peak_device_memory_mib'), 0)} | {d.get('load_average_1min_before_after')} |")
EOF
