#!/usr/bin/env bash
# Installs everything Gerbang needs to build, test and demo on Debian 12, from Debian's
# packages only. Idempotent; run as root (or with sudo available).
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

PKGS=(
  build-essential cmake ninja-build pkg-config git ca-certificates openssl
  clang libclang-rt-14-dev
  libboost-dev libboost-filesystem-dev
  libpoco-dev libssl-dev libsqlite3-dev libpq-dev
  libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libpcsclite-dev pcscd pcsc-tools vsmartcard-vpcd
  postgresql postgresql-client
  chromium chromium-driver
  procps psmisc iproute2 curl zip unzip ccache
)

missing=()
# Node.js with its npm may already come from elsewhere on the machine; Debian's npm conflicts
# with such a build, so only ask Debian for them when there is no node at all.
command -v node >/dev/null 2>&1 || PKGS+=(nodejs npm)
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all packages present"
