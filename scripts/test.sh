#!/usr/bin/env bash
# Installs what Gerbang needs, builds it twice and runs every test:
#   1. the normal build (gcc, warnings as errors), the whole CTest suite;
#   2. an AddressSanitizer + UndefinedBehaviorSanitizer build (clang, with the libFuzzer
#      targets), the whole suite again, then each fuzzer for a short bounded run.
# Services the tests use (PostgreSQL, pcscd with the vpcd driver) are started here, on
# loopback. Usage: scripts/test.sh [--quick]   (--quick: normal build only)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=$(nproc)
# ccache (if present) may reuse objects from an earlier build of another checkout: paths are
# made relative to the checkout so a fresh clone hits the same cache entries.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}

bash scripts/setup.sh
eval "$(bash scripts/services.sh postgres pcscd)"
export GERBANG_TEST_PG_DSN

status=0
run_suite() {  # name builddir cmake-args...
  local name=$1 dir=$2; shift 2
  echo "=== $name: configure and build"
  cmake -S "$root" -B "$dir" -G Ninja -DGERBANG_WERROR=ON "$@" >/dev/null
  ninja -C "$dir" -j"$jobs"
  echo "=== $name: tests"
  # Tests sharing pcscd take a RESOURCE_LOCK; the rest run two at a time.
  (cd "$dir" && ctest -j"$jobs" --output-on-failure --timeout 600) || status=1
}

run_suite "gcc" build/ci-gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGERBANG_BUILD_BENCH=ON

if [ "$quick" -eq 0 ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$root/scripts/lsan.supp
  # The benchmarks are built (and must compile) in the gcc build; timing them under
  # sanitizers says nothing, so this build leaves them out.
  run_suite "asan+ubsan" build/ci-asan -DCMAKE_BUILD_TYPE=Debug -DGERBANG_SANITIZE=ON \
    -DGERBANG_FUZZ=ON -DGERBANG_BUILD_BENCH=OFF -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
  echo "=== fuzzers: bounded runs"
  for f in $(find build/ci-asan/fuzz -maxdepth 2 -type f -executable -name '*_fuzz' | sort); do
    corpus="$root/fuzz/$(basename "$(dirname "$f")")/corpus/$(basename "$f")"
    work=$(mktemp -d)
    cp -r "$corpus"/. "$work"/ 2>/dev/null || true
    if "$f" -max_total_time=20 -rss_limit_mb=2048 -print_final_stats=0 "$work" >"$work.log" 2>&1; then
      echo "fuzz: $(basename "$f") ok ($(grep -c . "$work.log" || true) log lines)"
    else
      echo "fuzz: $(basename "$f") FAILED"; tail -40 "$work.log"; status=1
    fi
    rm -rf "$work" "$work.log"
  done
fi

exit $status
