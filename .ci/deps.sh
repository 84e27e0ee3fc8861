#!/usr/bin/env bash
# Installs what clinflow needs to build and test on Debian 12, from Debian's packages only.
# Idempotent: packages already present are left alone.
set -euo pipefail
packages=(
  g++ cmake ninja-build ccache sqlite3
  libboost-dev libboost-test-dev libtbb-dev libeigen3-dev libsqlite3-dev libtomlplusplus-dev
  libssl-dev zlib1g-dev libcli11-dev nlohmann-json3-dev libxgboost-dev
  # Test reference only (never used by clinflow itself): scikit-learn checks our fitted models.
  python3-sklearn
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
