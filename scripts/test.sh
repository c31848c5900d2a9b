#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what is missing, builds, runs the Swift tests
# (which start their own PostgreSQL and simulators on loopback), then the Python contract tests.
#   MLC_TEST_TIMEOUT  seconds the Swift tests may take before the watchdog stops them (default 900;
#                     a whole run takes 2-5 minutes). On expiry it prints every thread's stack of the
#                     test process, a line per thread in test code and the tests that never ended,
#                     then runs the Swift tests once more (a hang only; a failed test fails the run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# Drops lines matching the regex $1 from stdin; the closing "Test run with N tests … passed/failed"
# line is always kept.
drop_noise() {
  awk -v f="$1" '/Test run with|Executed [0-9]+ test/ || $0 !~ f { print; fflush() }'
}

# Run a command, hide its progress noise, keep its exit status.
quiet() {
  local filter=$1; shift; set +e
  "$@" 2>&1 | drop_noise "$filter"
  local rc=${PIPESTATUS[0]}; set -e; return "$rc"
}

echo "== swift build (debug, with tests)"
quiet '^\[[0-9]+/[0-9]+\] ' swift build --build-tests

# Progress lines of passing tests, and the simulators' access log lines: noise unless something fails.
noise='^(Test Case .* (started|passed)|.* Test .* started\.$|.* Test .* passed after .*|.* Suite .* (started|passed after .*))$|\[HTTPServer\] request$'

# Tests that printed "started" and never "passed"/"failed"/"skipped" in log $1.
unfinished() {
  awk '
    /Test case passing/ { next }
    /Test .* started\.$/ { name = $0; sub(/^.*Test /, "", name); sub(/ started\.$/, "", name); open[name] = 1 }
    /Test .* (passed|failed|skipped)/ { name = $0; sub(/^.*Test /, "", name); sub(/ (with [0-9]+ test cases? )?(passed|failed|skipped).*$/, "", name); delete open[name] }
    END { for (n in open) print "   " n }' "$1"
}

# Every thread's stack of the process(es) matching $1: gdb if present, else eu-stack (installed on demand).
stacks() {
  local pid
  for pid in $(pgrep -f "$1"); do
    echo "== stacks of $(tr '\0' ' ' </proc/"$pid"/cmdline | cut -c1-120) (pid $pid)"
    if command -v gdb >/dev/null; then
      timeout 120 gdb -p "$pid" -batch -ex 'thread apply all bt 40' 2>/dev/null | grep -E '^(Thread|#)' \
        | swift demangle --simplified | cut -c1-300 | head -1500 || true
    else
      command -v eu-stack >/dev/null || {
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends elfutils >/dev/null 2>&1 || true
      }
      timeout 120 eu-stack -p "$pid" 2>&1 | grep -v '^#[0-9]* *0x[0-9a-f]*$' | swift demangle --simplified | head -1500 || true
    fi
  done
}

# One run of the Swift tests under the watchdog. Returns swift test's status, or 124 when the
# watchdog stopped a run that hung (after printing what hung and where).
run_swift_tests() {
  local log rc waited=0 tester printer
  log=$(mktemp /tmp/mlc-swift-test.XXXXXX)
  swift test --skip-build >"$log" 2>&1 &
  tester=$!
  tail -n +1 -f --pid="$tester" "$log" | drop_noise "$noise" &
  printer=$!
  while kill -0 "$tester" 2>/dev/null && [ "$waited" -lt "$limit" ]; do sleep 2; waited=$((waited + 2)); done
  if kill -0 "$tester" 2>/dev/null; then
    kill "$printer" 2>/dev/null
    echo "== swift test still running after ${limit}s: the watchdog stops it"
    local pids; pids=$(pgrep -f "$PWD/\.build/.*PackageTests\.xctest" | tr '\n' ' ')
    stacks "$PWD/\.build/.*PackageTests\.xctest" >"$log.stacks"
    cat "$log.stacks"
    echo "== these tests started and never ended (all of them, when the hang starved the test runner):"
    unfinished "$log" | head -60
    echo "== threads in test code, blocked in <- called from (full stacks above):"
    awk -f scripts/stack-summary.awk "$log.stacks"
    pkill -KILL -f "$PWD/\.build/.*PackageTests\.xctest"; kill "$tester" 2>/dev/null
    wait "$tester" 2>/dev/null
    # What the hung tests had started: agents and servers of this checkout, the test PostgreSQL.
    pkill -KILL -f "$PWD/\.build/debug/ml-connector " 2>/dev/null
    for pid in $pids; do pkill -KILL -f "postgres.*/tmp/mlc-test-$pid/" 2>/dev/null; done
    return 124
  fi
  wait "$tester"; rc=$?
  wait "$printer"
  if [ "$rc" -ne 0 ]; then
    echo "== swift test failed (exit $rc); tests that started and never ended, if any:"
    unfinished "$log"
  fi
  rm -f "$log" "$log.stacks"
  return "$rc"
}

echo "== swift test"
limit=${MLC_TEST_TIMEOUT:-900}
set +e
run_swift_tests; rc=$?
if [ "$rc" -eq 124 ]; then
  # A hang (not a failed assertion) gets one fresh run, so one stuck thread does not cost the
  # whole run; what hung is printed above and the run says so at its end.
  echo "== HANG: the Swift tests hung (see the stacks above); running them once more"
  run_swift_tests; rc=$?
  [ "$rc" -eq 0 ] && echo "== the second run passed; the first one HUNG (stacks and unfinished tests above)"
fi
set -e
[ "$rc" -eq 0 ] || exit "$rc"

if [ -d Tests/python ] && ls Tests/python/test_*.py >/dev/null 2>&1; then
  echo "== python contract tests"
  # They take about a minute; a hang fails the run instead of stalling it.
  timeout --kill-after=30 "${MLC_PYTEST_TIMEOUT:-900}" .venv/bin/python -m pytest -q Tests/python
fi
