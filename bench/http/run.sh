#!/usr/bin/env bash
# HTTP benchmark: our HTTPServer vs a Hummingbird 2.28 hello-world, both release builds, both
# answering GET /healthz with {"status":"ok"} encoded from a Codable value.
#
#   bench/http/run.sh            # ~3 minutes once built; the first Hummingbird build takes ~5 more
#
# Prints req/s and p50/p99 latency (wrk --latency) at 2 and 32 keep-alive connections, 10 s each,
# our server's RSS before and after, and an RSS check across 1,000,000 requests.
# Targets: ours >= Hummingbird req/s at both counts, p99 <= 5 ms at 32 connections, RSS flat
# within 10% across the 1M requests. Loopback only; each wrk run is bounded in time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out_dir="$here/../out"
mkdir -p "$out_dir"
report="$out_dir/http-$(date -u +%Y%m%dT%H%M%SZ).txt"
duration="${DURATION:-10s}"
ours_port="${OURS_PORT:-18082}"
peer_port="${PEER_PORT:-18081}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

echo "building release binaries…" >&2
(cd "$here/ours" && swift build -c release --product HelloOurs >&2)
(cd "$here/peers/hello-hummingbird" && swift build -c release --product HelloHummingbird >&2)
ours_bin="$here/ours/.build/release/HelloOurs"
peer_bin="$here/peers/hello-hummingbird/.build/release/HelloHummingbird"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

server_pid=""
start() { # binary port; sets server_pid (not in a subshell, so the EXIT trap can stop it)
  if curl -fs "http://127.0.0.1:$2/healthz" >/dev/null 2>&1; then
    echo "port $2 is already serving; stop that process first" >&2
    exit 1
  fi
  "$1" "$2" >/dev/null 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$2/healthz" >/dev/null 2>&1 && return
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "server on port $2 did not start" >&2
  exit 1
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

run_wrk() { # port connections -> "req/s p50 p99"
  local threads=2
  [ "$2" -lt 2 ] && threads=1
  wrk -t"$threads" -c"$2" -d"$duration" --latency "http://127.0.0.1:$1/healthz" > "$out_dir/wrk.tmp"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$out_dir/wrk.tmp")
  p50=$(awk '$1=="50%" {print $2}' "$out_dir/wrk.tmp")
  p99=$(awk '$1=="99%" {print $2}' "$out_dir/wrk.tmp")
  if grep -q "Socket errors" "$out_dir/wrk.tmp"; then
    echo "  ($(grep 'Socket errors' "$out_dir/wrk.tmp" | xargs))" >&2
  fi
  echo "$rps $p50 $p99"
}

# Everything below also goes to the report; no pipe, so the servers stay in this shell's pids.
exec > >(tee "$report")
{
  echo "# HTTP benchmark $(date -u +%FT%TZ) on $(nproc) cores, wrk duration $duration"
  printf "%-12s %6s %12s %10s %10s %12s %12s\n" server conns req/s p50 p99 rss_before rss_after
  for server in ours hummingbird; do
    if [ "$server" = ours ]; then port=$ours_port; start "$ours_bin" "$port"
    else port=$peer_port; start "$peer_bin" "$port"; fi
    pid=$server_pid
    wrk -t1 -c2 -d2s "http://127.0.0.1:$port/healthz" >/dev/null # warm-up
    for conns in 2 32; do
      before=$(rss_kb "$pid")
      read -r rps p50 p99 < <(run_wrk "$port" "$conns")
      after=$(rss_kb "$pid")
      printf "%-12s %6s %12s %10s %10s %9s kB %9s kB\n" "$server" "$conns" "$rps" "$p50" "$p99" "$before" "$after"
    done
    if [ "$server" = ours ]; then
      before=$(rss_kb "$pid")
      # wrk cannot stop at a request count, so run 10 s rounds until a million have been answered.
      total=0
      while [ "$total" -lt 1000000 ]; do
        wrk -t2 -c32 -d10s "http://127.0.0.1:$port/healthz" > "$out_dir/wrk.tmp"
        total=$((total + $(awk '/requests in/ {print $1}' "$out_dir/wrk.tmp")))
      done
      after=$(rss_kb "$pid")
      change=$(awk -v a="$before" -v b="$after" 'BEGIN { printf "%+.1f", (b - a) * 100 / a }')
      echo "ours RSS across $total requests (32 connections): $before kB -> $after kB ($change%)"
    fi
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
}
rm -f "$out_dir/wrk.tmp"
echo "report: $report" >&2
