#!/usr/bin/env bash
# Webhook benchmark: signed Adobe Commerce order webhooks against `ml-connector serve` (release),
# 32 keep-alive connections for 20 s, then — on the SAME PostgreSQL, same concurrency — pgbench
# inserting one ~1 KB row per transaction: the ceiling of durable writes on this machine.
#   bench/webhook/run.sh        (as root; env: CONNS=32 SECS=20 HOOKS=4000 PORT=55435, MLC_BIN=prebuilt binary,
#                                WEBHOOK_THREADS / WEBHOOK_BATCH = serve --webhook-threads / --webhook-batch,
#                                TLS=1: serve HTTPS itself with a fresh self-signed certificate)
# Durable webhooks/s = rows in webhook_deliveries after the run / SECS (each stored delivery and
# its job committed with synchronous_commit=on before counting).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"
ROOT=${ROOT:-/tmp/mlc-webhook-bench}
PORT=${PORT:-55435}
HTTP_PORT=${HTTP_PORT:-18095}
CONNS=${CONNS:-32}
SECS=${SECS:-20}
HOOKS=${HOOKS:-4000}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
"$REPO/scripts/test-python-deps.sh" >/dev/null
bench_binary
bench_postgres -c max_connections=200
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  bench_stop_postgres
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
"$BIN/createdb" pgb
bench_connector_env

echo "== signing $HOOKS distinct order webhooks"
"$REPO/.venv/bin/python" "$HERE/make_hooks.py" "$ROOT/hooks" "$HOOKS"
TOKEN=$("$MLC" tokens create --admin --name bench 2>/dev/null)
SCHEME=http TLS_ARGS=()
if [ "${TLS:-0}" = 1 ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$ROOT/tls-key.pem" \
    -out "$ROOT/tls-cert.pem" -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null
  chmod 600 "$ROOT/tls-key.pem"
  SCHEME=https TLS_ARGS=(--tls-cert "$ROOT/tls-cert.pem" --tls-key "$ROOT/tls-key.pem")
fi
"$MLC" serve --port "$HTTP_PORT" --workers 0 --db-pool-size 48 "${TLS_ARGS[@]}" ${WEBHOOK_THREADS:+--webhook-threads $WEBHOOK_THREADS} ${WEBHOOK_BATCH:+--webhook-batch $WEBHOOK_BATCH} 2>"$ROOT/log/serve.log" &
SERVER=$!
for _ in $(seq 1 100); do curl -sfk "$SCHEME://127.0.0.1:$HTTP_PORT/readyz" >/dev/null && break; sleep 0.2; done
"$REPO/.venv/bin/python" - "$ROOT/hooks/public.pem" "$HTTP_PORT" "$TOKEN" "$SCHEME" "$ROOT/tls-cert.pem" <<'PY'
import json, ssl, sys, urllib.request
pem, port, token, scheme = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3], sys.argv[4]
context = ssl.create_default_context(cafile=sys.argv[5]) if scheme == "https" else None
tenant = {"id": "bench", "name": "Bench Co",
  "gp": {"company_url": "https://gp.bench.local/GPService/Tenants(DefaultTenant)/Companies(Bench)/",
         "connection": "direct", "auth": "ntlm", "username": "BENCH\\svc", "password": "x" * 12},
  "commerce": {"base_url": "https://shop.bench.local", "store_code": "default",
               "auth": {"type": "oauth1", "consumer_key": "k" * 32, "consumer_secret": "s" * 32,
                        "access_token": "t" * 32, "access_token_secret": "u" * 32},
               "webhook_public_key": pem}}
req = urllib.request.Request(f"{scheme}://127.0.0.1:{port}/v1/tenants", json.dumps(tenant).encode(),
  {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
print("tenant registered:", urllib.request.urlopen(req, context=context).status)
PY
# The posting trigger defaults to "invoice captured": an order-placed hook is stored and noted on
# its record; every hook is a stored, durable delivery either way.
psql() { "$BIN/psql" -qXAt -d mlc "$@"; }
# CPU seconds during the wrk phase: the server, this PostgreSQL (postmaster and its children),
# wrk itself, and the whole machine (other sessions' builds included) — where the 2 cores went.
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
pg_pids() { local pm; pm=$(head -1 "$ROOT/pg/postmaster.pid"); echo "$pm $(pgrep -P "$pm" | tr '\n' ' ')"; }
machine_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
if [ -n "${PERF:-}" ]; then (sleep 2; perf record -F 499 -g -p "$SERVER" -o "$ROOT/perf.data" -- sleep 5 >/dev/null 2>&1) & fi
# PERF_PG=1: the same for this PostgreSQL's processes (report with --sort comm,sym).
if [ -n "${PERF_PG:-}" ]; then (sleep 2; perf record -F 499 -g -p "$(pg_pids | tr ' ' ',' | sed 's/,*$//')" -o "$ROOT/perf-pg.data" -- sleep 5 >/dev/null 2>&1) & fi
if [ -n "${SAMPLE:-}" ]; then (sleep 3; for i in 1 2 3 4 5; do "$BIN/psql" -qXAt -d mlc -c "SELECT wait_event_type, wait_event, state, left(query,90) FROM pg_stat_activity WHERE datname='mlc' AND state <> 'idle'" ; echo ---; sleep 0.5; done) & fi
server0=$(ticks "$SERVER"); pg0=$(ticks $(pg_pids)); busy0=$(machine_busy)
echo "== wrk: $CONNS connections, ${SECS}s, signed order webhooks (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
HOOKS_DIR=$ROOT/hooks HOOKS_N=$HOOKS HOOK_PATH=/v1/webhooks/commerce/bench \
  /usr/bin/time -f "wrk_cpu_s=%U+%S" -o "$ROOT/log/wrk.time" \
  wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$HERE/post.lua" "$SCHEME://127.0.0.1:$HTTP_PORT" | tee "$ROOT/log/wrk.txt"
hz=$(getconf CLK_TCK)
secs() { awk -v t="$1" -v hz="$hz" 'BEGIN{printf "%.1f", t / hz}'; }
echo "CPU seconds in ${SECS}s: server=$(secs $(( $(ticks "$SERVER") - server0 ))) postgres=$(secs $(( $(ticks $(pg_pids)) - pg0 ))) $(cat "$ROOT/log/wrk.time") machine=$(secs $(( $(machine_busy) - busy0 ))) of $((2 * SECS))"
sleep 1
stored=$(psql -c "SELECT count(*) FROM webhook_deliveries")
budget=$(curl -sk "$SCHEME://127.0.0.1:$HTTP_PORT/metrics" | awk '/^mlc_webhooks_budget_exceeded_total/{print $2}')
echo "RESULT webhooks stored=$stored durable_per_s=$(awk -v s="$stored" -v t="$SECS" 'BEGIN{printf "%.0f", s/t}') budget_exceeded=${budget:-?} rss_kb=$(awk '/VmRSS/{print $2}' /proc/$SERVER/status)"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=

echo "== pgbench: $CONNS clients, ${SECS}s, one ~1 KB row per transaction, same PostgreSQL"
"$BIN/psql" -qX -d pgb -c 'CREATE TABLE t (id bigserial PRIMARY KEY, payload jsonb, created_at timestamptz DEFAULT now())' -c CHECKPOINT
echo "(load before: $(cut -d' ' -f1-3 /proc/loadavg))"
"$BIN/pgbench" -n -d pgb -f "$HERE/pgbench_insert.sql" -c "$CONNS" -j 2 -T "$SECS" 2>&1 | grep -E '^(tps|latency)' | tee "$ROOT/log/pgbench.txt"
