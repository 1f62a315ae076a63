#!/usr/bin/env bash
# Runs one browser test, <test>.test.mjs: Debian's /usr/bin/chromium driven by playwright-core
# (from npm, pinned by package-lock.json; no browser download ever). A missing browser, node
# or node module (and with --pcscd a pcscd that cannot be started) is a FAILURE, never a skip.
# Usage: run.sh [--pcscd] <test> <test arguments...>   (the last one is the artefact dir)
#   login_picker: <web_browser_server> <artefact dir>
#   lookup, screens, balikan, supervise, agency:
#                 <gerbang> <gerbang-portal-sim> <config dir> <artefact dir>
#   reader (--pcscd): <gerbang> <gerbang-portal-sim> <gerbang-vcard> <source dir> <artefact dir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pcscd=false
if [ "${1:-}" = --pcscd ]; then pcscd=true; shift; fi
test=${1:?test name}
shift
[ $# -gt 0 ] || { echo "usage: run.sh [--pcscd] <test> <test arguments...>" >&2; exit 2; }
out=${!#}
if [ ! -f "$here/$test.test.mjs" ]; then
  echo "browser tests: no test $here/$test.test.mjs" >&2
  exit 2
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "browser tests: /usr/bin/chromium is missing (apt-get install chromium)" >&2
  exit 1
fi
if ! command -v node >/dev/null; then
  echo "browser tests: node is missing (apt-get install nodejs npm)" >&2
  exit 1
fi
if $pcscd && ! bash "$here/../../scripts/services.sh" pcscd >/dev/null; then
  echo "browser tests: pcscd could not be started (scripts/services.sh pcscd)" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "browser tests: installing node modules (npm ci)" >&2
  (cd "$here" && npm ci --no-audit --no-fund)
fi
mkdir -p "$out"
status=0
node "$here/$test.test.mjs" "$@" || status=$?
# No population data in test artefacts: the stores, logs and keys live in $TMPDIR and are
# removed by the test; the artefact directory may hold screenshots only.
extra=$(find "$out" -mindepth 1 ! -name '*.png' -print)
if [ -n "$extra" ]; then
  echo "browser tests: the artefact directory holds more than screenshots:" >&2
  printf '%s\n' "$extra" >&2
  status=1
fi
exit $status
