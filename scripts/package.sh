#!/usr/bin/env bash
# Build dist/smarties_qgis-<version>.zip with one top-level folder smarties_qgis/, as QGIS's
# "Install from ZIP" expects. Only runtime files: no tests, docs, benchmarks, caches or VCS data.
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=smarties_qgis
VERSION=$(sed -n 's/^version=//p' metadata.txt | head -n1 | tr -d '[:space:]')
[ -n "$VERSION" ] || { echo "package: no version= line in metadata.txt" >&2; exit 1; }

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
DEST="$STAGE/$NAME"
mkdir -p "$DEST"

# Top-level files QGIS needs, plus licence/readme/requirements when present.
for f in __init__.py metadata.txt LICENSE README.md requirements.txt; do
  [ -f "$f" ] && cp "$f" "$DEST/"
done
# Runtime folders; the filter drops caches, compiled files and editor leftovers.
for d in eo_plugin engine resources i18n; do
  [ -d "$d" ] || continue
  (find "$d" -type f \
      ! -path '*/__pycache__/*' ! -name '*.pyc' ! -name '*.pyo' ! -name '*~' \
      ! -name '.DS_Store' ! -path '*/.pytest_cache/*' ! -name '*.ts' ! -name '*.pro' ! -path 'i18n/*.py' \
      -print0) | while IFS= read -r -d '' file; do
        mkdir -p "$DEST/$(dirname "$file")"
        cp "$file" "$DEST/$file"
      done
done
[ -f "$DEST/metadata.txt" ] && [ -f "$DEST/__init__.py" ] || { echo "package: metadata.txt/__init__.py missing" >&2; exit 1; }
if ! ls "$DEST"/i18n/*.qm >/dev/null 2>&1; then
  echo "package: warning: no compiled translations (.qm); run 'make translations' first" >&2
fi

DIST=${DIST_DIR:-$PWD/dist}  # DIST_DIR lets tests build into a temporary folder
mkdir -p "$DIST"
OUT="$(cd "$DIST" && pwd)/$NAME-$VERSION.zip"
rm -f "$OUT"
# Python's zipfile is always there (the `zip` tool may not be); deterministic order.
python3 - "$STAGE" "$OUT" "$NAME" <<'PY'
import os, sys, zipfile
stage, out, name = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
    for root, dirs, files in os.walk(os.path.join(stage, name)):
        dirs.sort()
        for f in sorted(files):
            full = os.path.join(root, f)
            zf.write(full, os.path.relpath(full, stage))
PY
echo "package: $OUT ($(du -h "$OUT" | cut -f1))"
