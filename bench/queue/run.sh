#!/usr/bin/env bash
# Queue benchmark: burn down N no-op jobs with our queue and with pgqueuer 1.6.0 on the SAME
# PostgreSQL 15 cluster (defaults: fsync and synchronous_commit on), in one run.
#   bench/queue/run.sh            (as root; env: N=100000 THREADS=8 BATCH=500 RUNS=3 WARMUP=1)
# Our side: bench/queue (release build), THREADS worker threads claiming BATCH jobs per statement
# (also prints PostgreSQL CPU µs per job, measured from /proc, which neighbours disturb less).
# pgqueuer side: ../shared/bench-peers/bench_pgq.py (2 processes, batch 100: its best setting on
# this machine), pinned like bench-peers/setup.sh. Both: TRUNCATE, enqueue N, VACUUM ANALYZE,
# CHECKPOINT, then the clock; jobs/s = N / (last completion in the DB - start).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PEERS=${PEERS:-$HERE/../../../shared/bench-peers}
ROOT=${ROOT:-/tmp/mlc-queue-bench}
BIN=/usr/lib/postgresql/15/bin
PORT=${PORT:-55433}
N=${N:-100000}
THREADS=${THREADS:-8}
BATCH=${BATCH:-500}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
PGQ_PROCS=${PGQ_PROCS:-2}
PGQ_BATCH=${PGQ_BATCH:-100}

mkdir -p "$ROOT/sock" "$ROOT/log"
chmod 755 "$ROOT"
[ -x "$ROOT/venv/bin/python" ] || python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/pip" install -q 'pgqueuer==1.6.0' 'asyncpg==0.32.0'
if [ ! -f "$ROOT/pg/PG_VERSION" ]; then
  mkdir -p "$ROOT/pg"
  chown postgres:postgres "$ROOT/pg" "$ROOT/sock" "$ROOT/log"
  runuser -u postgres -- "$BIN/initdb" -D "$ROOT/pg" -U postgres --auth=trust >/dev/null
fi
chown postgres:postgres "$ROOT/sock" "$ROOT/log"
runuser -u postgres -- "$BIN/pg_ctl" -D "$ROOT/pg" -l "$ROOT/log/pg.log" \
  -o "-p $PORT -k $ROOT/sock -c listen_addresses=''" -w status >/dev/null 2>&1 \
|| runuser -u postgres -- "$BIN/pg_ctl" -D "$ROOT/pg" -l "$ROOT/log/pg.log" \
  -o "-p $PORT -k $ROOT/sock -c listen_addresses=''" -w start >/dev/null

export PGHOST=$ROOT/sock PGPORT=$PORT PGUSER=postgres
[ "$("$BIN/psql" -qXAt -d postgres -c "SELECT 1 FROM pg_database WHERE datname='pgq'")" = 1 ] \
  || "$BIN/createdb" pgq
# Our schema exactly as shipped, fresh every run.
"$BIN/dropdb" --if-exists mlcq
"$BIN/createdb" mlcq
"$BIN/psql" -qX -d mlcq -v ON_ERROR_STOP=1 -f "$HERE/../../Schema/002_queue.sql"
PGDATABASE=pgq "$ROOT/venv/bin/pgq" verify --expect present >/dev/null 2>&1 \
  || PGDATABASE=pgq "$ROOT/venv/bin/pgq" install --durability durable >/dev/null

echo "# settings: $("$BIN/psql" -qXAt -d postgres -c "SELECT string_agg(name||'='||setting, ' ') FROM pg_settings WHERE name IN ('fsync','synchronous_commit','wal_sync_method','full_page_writes','shared_buffers','max_wal_size')")"
echo "# machine: $(nproc) cores, $(grep 'model name' /proc/cpuinfo | head -1 | cut -d: -f2 | xargs)"

(cd "$HERE" && swift build -c release --product queue-bench >/dev/null)
"$HERE/.build/release/queue-bench" "host=$ROOT/sock port=$PORT user=postgres dbname=mlcq" \
  --n "$N" --threads "$THREADS" --batch "$BATCH" --runs "$RUNS" --warmup "$WARMUP" | tee "$ROOT/log/mlcq.txt"
# The same with every claim and outcome committed synchronously (as pgqueuer's durable mode does).
"$HERE/.build/release/queue-bench" "host=$ROOT/sock port=$PORT user=postgres dbname=mlcq" --sync-acks \
  --n "$N" --threads "$THREADS" --batch "$BATCH" --runs "$RUNS" --warmup "$WARMUP" | tee "$ROOT/log/mlcq-sync.txt"

[ "${SKIP_PGQ:-0}" = 1 ] && exit 0
PGDATABASE=pgq PYTHONDONTWRITEBYTECODE=1 PYTHONWARNINGS=ignore "$ROOT/venv/bin/python" "$PEERS/bench_pgq.py" \
  --n "$N" --procs "$PGQ_PROCS" --batch "$PGQ_BATCH" --runs "$RUNS" --warmup "$WARMUP" | tee "$ROOT/log/pgq.txt"

ours=$(sed -n 's/^SUMMARY mlc-queue .*jobs_s: median \([0-9]*\).*/\1/p' "$ROOT/log/mlcq.txt")
sync=$(sed -n 's/^SUMMARY mlc-queue-sync-acks .*jobs_s: median \([0-9]*\).*/\1/p' "$ROOT/log/mlcq-sync.txt")
theirs=$(sed -n 's/^SUMMARY pgqueuer.*| jobs_s: median \([0-9]*\).*/\1/p' "$ROOT/log/pgq.txt")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
echo "RESULT mlc-queue ${ours} jobs/s (sync acks: ${sync}), pgqueuer ${theirs} jobs/s," \
     "ratio $(ratio "$ours" "$theirs") (sync acks: $(ratio "$sync" "$theirs"))"
