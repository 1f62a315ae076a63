#!/usr/bin/env bash
# The main job on embedded defaults: installs what is needed, builds, starts the stand-ins
# on loopback (registry portal + balikan receiver, pcscd with a virtual KTP-el reader and
# card), seeds the demo data (synthetic operators, NDAs, SPTJMs, an Adendum for Jawa Barat,
# web accounts with generated passwords), prints the agreements, the address and the
# accounts, then runs the operator web app on http://127.0.0.1:8080 until Ctrl-C.
# Everything listens on 127.0.0.1 only.
#   GERBANG_DEMO_NO_SERVE=1  stop after the agreements table and one sample lookup (used by
#                            the test suite to check this script)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build="$root/build/demo"
today=${GERBANG_DEMO_TODAY:-2026-11-23}

bash scripts/setup.sh
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGERBANG_BUILD_TESTS=OFF \
  -DGERBANG_BUILD_BENCH=OFF >/dev/null
ninja -C "$build" -j"$(nproc)" gerbang gerbang-portal-sim gerbang-vcard \
  jabar-disnakertrans purbalingga-dinnaker karanganyar-ak1

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

# The registry portal stand-in with its default users (they match config/demo.properties).
"$build/sim/portal/gerbang-portal-sim" --port 18080 --today "$today" \
  --balikan-token sim-balikan-demo >"$build/portal-sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$build/portal-sim.log" 2>/dev/null && break; sleep 0.1; done
echo "demo: registry stand-in: $(head -1 "$build/portal-sim.log")"

# A virtual KTP-el reader: pcscd with the vpcd driver, and a card holding a synthetic resident.
bash scripts/services.sh pcscd
mkfifo "$build/vcard.ctl" 2>/dev/null || true
tail -f /dev/null >"$build/vcard.ctl" &
pids+=($!)
"$build/sim/vcard/gerbang-vcard" --config "$root/sim/vcard/test-sam.properties" --resident 42 \
  <"$build/vcard.ctl" >"$build/vcard.log" 2>&1 &
pids+=($!)

g() { "$build/bin/gerbang" --config "$root/config/demo.properties" --today "$today" "$@"; }
# The seed prints the web accounts' generated passwords once (first run); they are shown
# again just before the server starts, with the address.
seed_out=$(g demo seed)
printf '%s\n' "$seed_out" | sed '/^Akun web demo/,/^$/d'
# The virtual reader's SAM, activated for Purbalingga (the agreement in force without an
# Adendum); a second run finds it already active.
g sam list --agreement purbalingga-dinnaker 2>/dev/null | grep -q 5A4D000100000001 ||
  g sam activate --agreement purbalingga-dinnaker --uid 5A4D000100000001 --date 2025-10-01
echo
g agreements
echo
echo "=================================================================================="
echo "Gerbang demo: buka http://127.0.0.1:8080 di peramban."
printf '%s\n' "$seed_out" | sed -n '/^Akun web demo/,/^$/p'
echo "KTP-el virtual sudah menempel pada pembaca 'Virtual PCD 00 00' (SAM aktif untuk"
echo "Purbalingga; masuk sebagai operator-purbalingga, menu Pencarian NIK, Baca KTP-el):"
echo "  angkat kartu:     echo remove > $build/vcard.ctl"
echo "  tempelkan lagi:   echo insert > $build/vcard.ctl"
echo "Hari demo 23-11-2026: Purbalingga aktif; Jawa Barat aktif karena Adendum demo;"
echo "Karanganyar tampil BERAKHIR (09-11-2022). Untuk melayani pemohon AK-I Karanganyar,"
echo "masuk sebagai admin, pilih Karanganyar, menu Administrasi, catat Adendum perpanjangan."
echo "=================================================================================="
if [ -n "${GERBANG_DEMO_NO_SERVE:-}" ]; then
  nik=$("$build/sim/portal/gerbang-portal-sim" --print-sample 1 --kind found)
  g lookup --agreement purbalingga-dinnaker --operator demo-purbalingga-01 \
    --purpose PLT-3303-2026-00017 \
    --nik "$nik" --format json
  exit 0
fi
g serve
