#!/usr/bin/env bash
# Runs the browser tests: Debian's /usr/bin/chromium driven by playwright-core (from npm,
# pinned by package-lock.json; no browser download ever). A missing browser, node or node
# module is a FAILURE, never a skip.
# Usage: run.sh <web_browser_server binary> <artefact dir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
server=${1:?server binary}
out=${2:?artefact directory}
if [ ! -x /usr/bin/chromium ]; then
  echo "browser tests: /usr/bin/chromium is missing (apt-get install chromium)" >&2
  exit 1
fi
if ! command -v node >/dev/null; then
  echo "browser tests: node is missing (apt-get install nodejs npm)" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "browser tests: installing node modules (npm ci)" >&2
  (cd "$here" && npm ci --no-audit --no-fund)
fi
mkdir -p "$out"
exec node "$here/login_picker.test.mjs" "$server" "$out"
