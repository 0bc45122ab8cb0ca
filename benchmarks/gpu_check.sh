#!/usr/bin/env bash
# GPU check for the device-resident window path: the equality tests on CUDA, then the throughput
# rows for benchmarks/README.md (one JSON line each in $OUT/gpu_results.jsonl). ~6-8 min on one
# H100/H200; run from the repository root:
#
#   OUT=/tmp/gpu bash benchmarks/gpu_check.sh            # PYTHON=... to choose the interpreter
#
# Needs python with torch (CUDA build), numpy<2, GDAL's Python bindings, onnxruntime, safetensors.
set -u
PY=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}
OUT=${OUT:-/tmp/smarties-gpu-check}
mkdir -p "$OUT"
RES="$OUT/gpu_results.jsonl"
: > "$RES"
export QT_QPA_PLATFORM=offscreen
"$PY" - <<'EOF' | tee "$OUT/machine.txt"
import torch, platform, os
print("python", platform.python_version(), "torch", torch.__version__, "cuda", torch.version.cuda)
print("gpus", [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())], "cpus", os.cpu_count())
EOF

# 1. the device path equals the host path on CUDA tensors too (the gpu-marked tests run here)
timeout 180 "$PY" -m pytest -q -p no:pytest_qgis tests/engine/test_device_path.py 2>&1 | tail -5 | tee "$OUT/tests.txt"

bench() {  # bench NAME ARGS...: one JSON line per run, appended with its name
  local name=$1; shift
  echo "== $name: $*"
  timeout 240 "$PY" benchmarks/throughput.py --json "$@" > "$OUT/$name.json" 2> "$OUT/$name.err" \
    && "$PY" -c "import json,sys; d=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); d['run']=sys.argv[2]; print(json.dumps(d))" \
       "$OUT/$name.json" "$name" >> "$RES" \
    || { echo "   failed, see $OUT/$name.err"; tail -3 "$OUT/$name.err"; }
}

# 2. full Sentinel-2 tile, ViT-B bf16, 224 px, overlap 0.25: device path, model alone, per-tile baseline
bench vitb-bf16-device --model random-vitb --device cuda --dtype bf16 --batch-size 64 --path device \
      --model-loop 40 --baseline --baseline-limit 400 --reader-threads 12
# 3. the same with the host path (numpy normalise/blend, float32 copies) for comparison
bench vitb-bf16-host --model random-vitb --device cuda --dtype bf16 --batch-size 64 --path host --reader-threads 12
# 4. fp16 and ViT-L
bench vitb-fp16-device --model random-vitb --device cuda --dtype fp16 --batch-size 64 --path device --reader-threads 12
bench vitl-bf16-device --model random-vitl --device cuda --dtype bf16 --batch-size 64 --path device \
      --model-loop 20 --reader-threads 12

echo "results: $RES"
"$PY" - "$RES" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(f"{d['run']:<18} e2e {d['end_to_end_windows_per_s']:8.1f} w/s  model {d['model_only_windows_per_s'] or 0:8.1f}"
          f"  loop {d.get('model_loop_windows_per_s') or 0:8.1f}  ratio {d['ratio_end_to_end_over_model']:.2f}"
          f"  base {d.get('baseline_windows_per_s') or 0:6.1f}  rss {d['peak_rss_mib']:.0f} MiB"
          f"  dev {d.get('peak_device_memory_mib') or 0:.0f} MiB")
EOF
