#!/usr/bin/env bash
# Item sync benchmark: 10,000 GP items → Commerce products through what a user runs —
# `ml-connector simulate gp|commerce`, `ml-connector serve`, a tenant registered over the API and
# `POST /v1/tenants/{t}/syncs`.
#   bench/sync/run.sh        (as root; env: ITEMS=10000 LATENCY_MS=20 WORKERS=2 PORT=55437)
# Three runs, each a fresh `sync_items` job (mode full):
#   1. zero added latency, tenant A (gp.max_parallel_calls 3): every product written;
#   2. the same tenant again, nothing changed in GP: must make no Commerce write at all;
#   3. LATENCY_MS on every GP and Commerce call, tenant B (its own records, so everything is written).
# Per run: wall time (POST /syncs → job completed), items/s, the connector's CPU (utime+stime of
# the `serve` process from /proc/<pid>/stat, simulators excluded) per 1,000 items, and the
# Commerce simulator's write requests (REST calls other than GET) during the run.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"
ROOT=${ROOT:-/tmp/mlc-sync-bench}
PORT=${PORT:-55437}
HTTP_PORT=${HTTP_PORT:-18097}
GP_PORT=${GP_PORT:-18098}
COMMERCE_PORT=${COMMERCE_PORT:-18099}
ITEMS=${ITEMS:-10000}
LATENCY_MS=${LATENCY_MS:-20}
WORKERS=${WORKERS:-2}

bench_binary
bench_postgres
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  bench_stop_postgres
}
trap cleanup EXIT
bench_connector_env

echo "== simulators: GP with $ITEMS generated items, Commerce"
"$MLC" simulate gp --port "$GP_PORT" --generate-items "$ITEMS" --user 'BENCH\svc-gp' --password 'bench-pa55' \
  >"$ROOT/log/gp.log" 2>&1 &
GP_SIM=$!
PIDS+=($GP_SIM)
"$MLC" simulate commerce --port "$COMMERCE_PORT" >"$ROOT/log/commerce.log" 2>&1 &
COMMERCE_SIM=$!
PIDS+=($COMMERCE_SIM)
TOKEN=$("$MLC" tokens create --admin --name bench 2>/dev/null)
"$MLC" serve --port "$HTTP_PORT" --workers "$WORKERS" 2>"$ROOT/log/serve.log" &
SERVER=$!
PIDS+=($SERVER)
for _ in $(seq 1 150); do
  curl -sf "localhost:$HTTP_PORT/readyz" >/dev/null && curl -sf "localhost:$GP_PORT/_sim/stats" >/dev/null \
    && curl -sf "localhost:$COMMERCE_PORT/_sim/stats" >/dev/null && break
  sleep 0.2
done

api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
register() {  # $1 = tenant name; prints the tenant id
  local creds; creds=$(curl -sf "localhost:$COMMERCE_PORT/_sim/credentials")
  python3 - "$1" "$GP_PORT" "$COMMERCE_PORT" "$creds" <<'PY' | api -X POST "localhost:$HTTP_PORT/v1/tenants" -d @- \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
import json, sys
name, gp_port, commerce_port, creds = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])["oauth"]
print(json.dumps({"name": name,
  "gp": {"company_url": f"http://127.0.0.1:{gp_port}/GPService/Tenants(DefaultTenant)/Companies(Bench%2C%20Inc.)/",
         "auth": "basic", "username": "BENCH\\svc-gp", "password": "bench-pa55", "tls": {"allow_insecure_http": True},
         "max_parallel_calls": 3, "price_level": "RETAIL", "sites": ["MAIN", "EAST"], "functional_currency": "USD"},
  "commerce": {"base_url": f"http://127.0.0.1:{commerce_port}", "store_code": "default",
               "tls": {"allow_insecure_http": True}, "auth": {"type": "oauth1", **creds}},
  "schedule": {"items_every_s": 0, "customers_every_s": 0, "orders_backstop_every_s": 0}}))
PY
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/${1:-$SERVER}/stat"; }
# PostgreSQL: the postmaster and its children (the server's pooled backends live through a run).
pg_ticks() {
  local pm; pm=$(head -1 "$ROOT/pg/postmaster.pid")
  cat "/proc/$pm/stat" $(for c in $(ps -o pid= --ppid "$pm"); do echo "/proc/$c/stat"; done) 2>/dev/null \
    | awk '{s += $14 + $15} END {print s}'
}
writes() { curl -sf "localhost:$COMMERCE_PORT/_sim/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["write_requests"])'; }
TICK=$(getconf CLK_TCK)

sync_run() {  # $1 = label, $2 = tenant id
  local w0 c0 t0 job state t1 c1 w1
  w0=$(writes); c0=$(cpu_ticks); t0=$(date +%s.%N)
  local o0="$(cpu_ticks $GP_SIM) $(cpu_ticks $COMMERCE_SIM) $(pg_ticks)"
  job=$(api -X POST "localhost:$HTTP_PORT/v1/tenants/$2/syncs" -d '{"entity":"items","mode":"full"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["job"]["id"])')
  state=""
  while [ "$state" != "completed" ]; do
    sleep 0.2
    state=$(api "localhost:$HTTP_PORT/v1/jobs/$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
    case "$state" in discarded|cancelled) echo "job $job ended $state"; api "localhost:$HTTP_PORT/v1/jobs/$job"; exit 1;; esac
  done
  t1=$(date +%s.%N); c1=$(cpu_ticks); w1=$(writes)
  local o1="$(cpu_ticks $GP_SIM) $(cpu_ticks $COMMERCE_SIM) $(pg_ticks)"
  local progress; progress=$(api "localhost:$HTTP_PORT/v1/jobs/$job" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(json.dumps(j.get("progress")))')
  python3 - "$1" "$ITEMS" "$t0" "$t1" "$c0" "$c1" "$TICK" "$w0" "$w1" "$progress" "$o0" "$o1" <<'PY'
import json, sys
label, items, t0, t1, c0, c1, tick, w0, w1, progress, o0, o1 = sys.argv[1:]
others = [(int(b) - int(a)) / int(tick) for a, b in zip(o0.split(), o1.split())]
items, secs, cpu = int(items), float(t1) - float(t0), (int(c1) - int(c0)) / int(tick)
print(f"RESULT {label}: {items} items in {secs:.1f} s = {items / secs:.0f} items/s; connector CPU {cpu:.2f} s "
      f"= {cpu * 1000 / items:.3f} s per 1,000 items ({cpu * 1000 / items:.3f} ms/item); "
      f"Commerce write requests {int(w1) - int(w0)}")
print(f"       progress {progress}")
print(f"       other CPU during the run (s): GP simulator {others[0]:.2f}, Commerce simulator {others[1]:.2f}, PostgreSQL {others[2]:.2f}")
PY
}

A=$(register "Bench A")
if [ -n "${PERF:-}" ]; then (sleep 3; perf record -F 499 -g -p "$SERVER" -o "$ROOT/perf.data" -- sleep 8 >/dev/null 2>&1) & fi
sync_run "zero latency, first sync" "$A"
sync_run "zero latency, nothing changed" "$A"
curl -sf -X PUT "localhost:$GP_PORT/_sim/latency" -H 'Content-Type: application/json' -d "{\"latency_ms\": $LATENCY_MS}" >/dev/null
curl -sf -X POST "localhost:$COMMERCE_PORT/_sim/faults" -H 'Content-Type: application/json' -d "{\"latency_ms\": $LATENCY_MS}" >/dev/null
B=$(register "Bench B")
sync_run "${LATENCY_MS} ms latency per call, first sync (tenant B)" "$B"
echo "products in Commerce: $(curl -sf "localhost:$COMMERCE_PORT/_sim/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["products"])')"
