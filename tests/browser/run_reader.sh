#!/usr/bin/env bash
# Browser test of the KTP-el reader on the lookup screen against the real application:
# pcscd with the vpcd driver and the virtual card `gerbang-vcard` (a synthetic resident),
# gerbang-portal-sim, a store seeded with `gerbang demo seed` and `gerbang serve` on
# 127.0.0.1 (free ports, demo day 2026-11-23). A missing pcscd/vpcd fails the test.
# Usage: run_reader.sh <gerbang> <gerbang-portal-sim> <gerbang-vcard> <source dir> <artefact dir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gerbang=${1:?gerbang binary}
sim=${2:?gerbang-portal-sim binary}
vcard=${3:?gerbang-vcard binary}
src=${4:?source dir}
out=${5:?artefact directory}
if [ ! -x /usr/bin/chromium ]; then
  echo "browser tests: /usr/bin/chromium is missing (apt-get install chromium)" >&2
  exit 1
fi
if ! command -v node >/dev/null; then
  echo "browser tests: node is missing (apt-get install nodejs npm)" >&2
  exit 1
fi
if ! bash "$src/scripts/services.sh" pcscd >/dev/null; then
  echo "browser tests: pcscd could not be started (scripts/services.sh pcscd)" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi
mkdir -p "$out"
exec node "$here/reader.test.mjs" "$gerbang" "$sim" "$vcard" "$src" "$out"
