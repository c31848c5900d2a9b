#!/usr/bin/env bash
# Creates ./.venv at the repository root with the pinned packages of scripts/requirements-test.txt.
# Idempotent: when the venv already holds exactly those requirements (recorded by a stamp file
# containing the requirements' checksum), it does nothing. Safe to run from tests, concurrently:
# a lock file serialises runs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
req="$root/scripts/requirements-test.txt"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"

want="$(sha256sum "$req" | cut -d' ' -f1)"

install() {
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
        return 0
    fi
    if [ ! -x "$venv/bin/python" ]; then
        "$python" -m venv "$venv" || { echo "cannot create a venv with '$python' -m venv" >&2; return 1; }
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" \
        || { echo "pip could not install $req (is PyPI reachable?)" >&2; return 1; }
    echo "$want" > "$stamp"
}

mkdir -p "$venv"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$venv/.lock"
    flock 9
fi
install
echo "$venv/bin/python"
