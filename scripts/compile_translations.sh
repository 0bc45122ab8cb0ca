#!/usr/bin/env bash
# Compile i18n/*.ts to .qm with Qt's lrelease (Debian package qttools5-dev-tools).
set -euo pipefail
cd "$(dirname "$0")/.."
LRELEASE=$(command -v lrelease || true)
[ -z "$LRELEASE" ] && [ -x /usr/lib/qt5/bin/lrelease ] && LRELEASE=/usr/lib/qt5/bin/lrelease
if [ -z "$LRELEASE" ]; then
  echo "translations: lrelease not found; install qttools5-dev-tools" >&2
  exit 1
fi
for ts in i18n/*.ts; do
  "$LRELEASE" -silent "$ts" -qm "${ts%.ts}.qm"
done
