#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine, once; later runs are quick.
#   Debian: libpq-dev libssl-dev libcurl4-openssl-dev postgresql wrk(bench only, via --bench)
#   Python test packages: pinned in scripts/requirements-test.txt, in ./.venv
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for p in libpq-dev libssl-dev libcurl4-openssl-dev postgresql pkg-config python3-venv; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ "${1:-}" = "--bench" ]; then
  command -v wrk >/dev/null || need+=(wrk)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Python test packages (independent protocol implementations, the OpenAPI contract tools).
if [ "${MLC_SKIP_PYTHON:-0}" != 1 ]; then
  scripts/test-python-deps.sh >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (expected Swift 6.x toolchain)"; exit 1; }
