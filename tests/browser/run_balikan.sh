#!/usr/bin/env bash
# Browser test of the data-balikan screens against the real application: gerbang-portal-sim
# (the registry stand-in and its data-balikan receiver, a free port), a temporary store
# seeded with `gerbang demo seed`, and `gerbang serve` with its delivery worker.
# Usage: run_balikan.sh <gerbang> <gerbang-portal-sim> <config dir> <artefact dir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gerbang=${1:?gerbang binary}
sim=${2:?gerbang-portal-sim binary}
confdir=${3:?config dir}
out=${4:?artefact directory}
if [ ! -x /usr/bin/chromium ]; then
  echo "browser tests: /usr/bin/chromium is missing (apt-get install chromium)" >&2
  exit 1
fi
if ! command -v node >/dev/null; then
  echo "browser tests: node is missing (apt-get install nodejs npm)" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi
mkdir -p "$out"
exec node "$here/balikan.test.mjs" "$gerbang" "$sim" "$confdir" "$out"
