#!/usr/bin/env bash
# Agent benchmark: a full item sync through the local agent vs the same sync direct, same GP data,
# same run. Two tenants on one `ml-connector serve` (release): `direct` reaches the GP simulator
# itself, `agent` only through an `ml-connector agent` process. Each has its own Commerce
# simulator so neither sees the other's products. The syncs alternate (direct, agent, agent,
# direct, …) so warm-up and machine noise fall on both sides.
#   bench/agent/run.sh        (as root; env: ITEMS=3000 ROUNDS=3 GP_LATENCY_MS=0 PAGE=0)
# items/s = items processed / duration of the completing job attempt (from GET /v1/jobs/{id}).
# Two figures per side: the first full sync of a fresh tenant (every product written to Commerce)
# and a second full sync right after it (nothing changed: GP reads and hashing dominate, so the
# relay's own cost shows most).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"
ROOT=${ROOT:-/tmp/mlc-agent-bench}
PORT=${PORT:-55447}
HTTP_PORT=${HTTP_PORT:-18311}
GP_PORT=${GP_PORT:-18312}
SHOP_DIRECT=${SHOP_DIRECT:-18313}
SHOP_AGENT=${SHOP_AGENT:-18314}
ITEMS=${ITEMS:-3000}
ROUNDS=${ROUNDS:-3}
GP_LATENCY_MS=${GP_LATENCY_MS:-0}

bench_binary
bench_postgres -c max_connections=200
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  bench_stop_postgres
}
trap cleanup EXIT
bench_connector_env

GP_USER='BENCH\svc-gp' GP_PASSWORD='Bench-gp-pa55!'
"$MLC" simulate gp --port "$GP_PORT" --generate-items "$ITEMS" --latency-ms "$GP_LATENCY_MS" \
  --user "$GP_USER" --password "$GP_PASSWORD" 2>"$ROOT/log/gp.log" >/dev/null &
PIDS+=($!)
"$MLC" simulate commerce --port "$SHOP_DIRECT" 2>"$ROOT/log/shop-direct.log" >/dev/null &
PIDS+=($!)
"$MLC" simulate commerce --port "$SHOP_AGENT" 2>"$ROOT/log/shop-agent.log" >/dev/null &
PIDS+=($!)
TOKEN=$("$MLC" tokens create --admin --name bench 2>/dev/null)
MLC_LOG_LEVEL=${SERVE_LOG_LEVEL:-warning} "$MLC" serve --port "$HTTP_PORT" --workers 2 2>"$ROOT/log/serve.log" &
PIDS+=($!)
SERVE=$!
for _ in $(seq 1 150); do curl -sf "localhost:$HTTP_PORT/readyz" >/dev/null && break; sleep 0.2; done
kill -0 "$SERVE" 2>/dev/null || { echo "serve did not start:"; tail -5 "$ROOT/log/serve.log"; exit 1; }

# Each round registers a fresh pair of tenants (so its first sync writes every product) and starts
# an agent process for the agent tenant.
MLC="$MLC" MLC_GP_USERNAME=$GP_USER MLC_GP_PASSWORD=$GP_PASSWORD AGENT_LOG=$ROOT/log/agent.log \
  python3 "$HERE/bench.py" "$HTTP_PORT" "$TOKEN" "$GP_PORT" "$SHOP_DIRECT" "$SHOP_AGENT" "$ROUNDS" "$ITEMS"
