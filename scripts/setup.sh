#!/usr/bin/env bash
# Set up everything on Debian 12: system packages (QGIS 3.22, GDAL), then .venv with pinned deps.
# Idempotent: a second run only checks and takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(python3-qgis qgis-providers qgis python3-gdal gdal-bin python3-venv xvfb qttools5-dev-tools)
missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: install them with:  sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# QGIS's Python bindings live in the system interpreter, so the venv must be built from it.
PY=/usr/bin/python3
if ! "$PY" -c "import qgis.core, osgeo.gdal" 2>/dev/null; then
  echo "setup: $PY cannot import qgis/osgeo; install python3-qgis and python3-gdal." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv (with system site-packages, so it sees QGIS and GDAL)"
  "$PY" -m venv --system-site-packages .venv
fi
stamp=.venv/.requirements.stamp
if [ ! -f "$stamp" ] || ! cmp -s <(cat requirements.txt requirements-dev.txt) "$stamp"; then
  echo "setup: installing pinned Python packages into .venv"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
  cat requirements.txt requirements-dev.txt > "$stamp"
fi
if [ ! -x .venv/bin/smarties ] || ! .venv/bin/python -I -c "import engine" 2>/dev/null; then
  # the engine as an editable package: `python -m engine` and `smarties` then work from any folder
  echo "setup: installing the engine package (editable) into .venv"
  .venv/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
fi
.venv/bin/python - <<'PY'
import numpy, torch, onnxruntime, osgeo.gdal, qgis.core  # noqa: F401
assert numpy.__version__.split(".")[0] == "1", f"numpy {numpy.__version__}: QGIS needs numpy 1.x"
print(f"setup: ok (numpy {numpy.__version__}, torch {torch.__version__}, "
      f"onnxruntime {onnxruntime.__version__}, GDAL {osgeo.gdal.__version__}, QGIS {qgis.core.Qgis.QGIS_VERSION})")
PY
