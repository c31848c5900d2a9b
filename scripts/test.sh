#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what is missing, builds, runs the Swift tests
# (which start their own PostgreSQL and simulators on loopback), then the Python contract tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# Run a command, hide its progress noise, keep its exit status.
# The closing "Test run with N tests … passed/failed" line is always kept.
quiet() {
  local filter=$1; shift; set +e
  "$@" 2>&1 | awk -v f="$filter" '/Test run with|Executed [0-9]+ test/ || $0 !~ f { print; fflush() }'
  local rc=${PIPESTATUS[0]}; set -e; return "$rc"
}

echo "== swift build (debug, with tests)"
quiet '^\[[0-9]+/[0-9]+\] ' swift build --build-tests

echo "== swift test"
quiet '^(Test Case .* (started|passed)|.* Test .* started\.$|.* Test .* passed after .*|.* Suite .* (started|passed after .*))$' \
  swift test --skip-build

if [ -d Tests/python ] && ls Tests/python/test_*.py >/dev/null 2>&1; then
  echo "== python contract tests"
  .venv/bin/python -m pytest -q Tests/python
fi
