#!/usr/bin/env bash
# Sets everything up on a fresh machine and runs the main job. With no DATABASE_URL the server
# starts its own embedded PostgreSQL under ./.ml-connector (see README.md).
#   scripts/run.sh                 # build (release) and run `ml-connector demo`
#   scripts/run.sh serve --port 9000   # any ml-connector subcommand and flags
set -euo pipefail
cd "$(dirname "$0")/.."
MLC_SKIP_PYTHON=1 scripts/setup.sh
echo "== building ml-connector (release; the first build takes a few minutes)"
set +e; swift build -c release --product ml-connector 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] '; rc=${PIPESTATUS[0]}; set -e
[ "$rc" -eq 0 ] || exit "$rc"
[ $# -eq 0 ] && set -- demo
exec .build/release/ml-connector "$@"
