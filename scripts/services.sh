#!/usr/bin/env bash
# Starts the local services the tests and the demo use, on loopback only, and prints the
# environment to use them. Idempotent. Usage: eval "$(scripts/services.sh)"
#   postgres  Debian's PostgreSQL 15 cluster, a role and database for the tests
#   pcscd     the PC/SC daemon with the vpcd virtual-reader driver
set -euo pipefail
what=("$@")
[ "${#what[@]}" -gt 0 ] || what=(postgres pcscd)

log() { echo "services: $*" >&2; }

start_postgres() {
  local ver
  ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
  if ! pg_lsclusters -h | grep -q "^$ver main"; then
    pg_createcluster "$ver" main >&2
  fi
  if ! pg_lsclusters -h | awk '$1=="'"$ver"'" && $2=="main" {print $4}' | grep -q online; then
    pg_ctlcluster "$ver" main start >&2
  fi
  local port
  port=$(pg_lsclusters -h | awk '$1=="'"$ver"'" && $2=="main" {print $3}')
  # A role and a database that only the tests and the demo use; loopback only.
  su postgres -c "psql -q -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='gerbang'\"" | grep -q 1 ||
    su postgres -c "psql -q -p $port -c \"CREATE ROLE gerbang LOGIN PASSWORD 'gerbang-test-only'\"" >&2
  su postgres -c "psql -q -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='gerbang_test'\"" | grep -q 1 ||
    su postgres -c "psql -q -p $port -c 'CREATE DATABASE gerbang_test OWNER gerbang'" >&2
  log "PostgreSQL $ver on 127.0.0.1:$port"
  echo "export GERBANG_TEST_PG_DSN='host=127.0.0.1 port=$port dbname=gerbang_test user=gerbang password=gerbang-test-only'"
}

start_pcscd() {
  if ! pgrep -x pcscd >/dev/null; then
    # --auto-exit would stop it between tests; run it in the background for the session.
    pcscd --foreground >/tmp/gerbang-pcscd.log 2>&1 &
    disown || true
    for _ in $(seq 50); do [ -S /run/pcscd/pcscd.comm ] && break; sleep 0.1; done
  fi
  log "pcscd running ($(pgrep -x pcscd | head -1))"
}

for w in "${what[@]}"; do
  case "$w" in
    postgres) start_postgres ;;
    pcscd) start_pcscd ;;
    *) log "unknown service '$w'"; exit 2 ;;
  esac
done
