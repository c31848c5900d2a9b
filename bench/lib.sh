# Shared by the benchmarks that run `ml-connector` against a private PostgreSQL 15 (sourced, not
# run). Each script sets ROOT (its scratch folder) and PORT (PostgreSQL's) before calling these.
BIN=/usr/lib/postgresql/15/bin
REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

# Sets MLC to a release `ml-connector`: MLC_BIN if given (e.g. a baseline build for a before/after
# pair), else builds it (skipped with NOBUILD=1; BUILD_DIR picks another scratch path).
bench_binary() {
  if [ -n "${MLC_BIN:-}" ]; then
    MLC=$MLC_BIN
    return
  fi
  if [ -z "${NOBUILD:-}" ]; then
    echo "== building ml-connector (release)"
    (cd "$REPO" && swift build -c release --product ml-connector --scratch-path "${BUILD_DIR:-.build}" 2>&1 \
      | grep -E 'error|Compiling ml|complete' | tail -2 || true)
  fi
  MLC="$REPO/${BUILD_DIR:-.build}/release/ml-connector"
}

# A fresh cluster in $ROOT/pg on a unix socket in $ROOT/sock (no TCP), default durability
# (fsync and synchronous_commit on); extra server options as arguments. Creates database mlc and
# exports PGHOST/PGPORT/PGUSER and DATABASE_URL for it.
bench_postgres() {
  rm -rf "$ROOT"; mkdir -p "$ROOT/sock" "$ROOT/log" "$ROOT/pg"; chmod 755 "$ROOT"
  chown postgres:postgres "$ROOT/pg" "$ROOT/sock" "$ROOT/log"
  runuser -u postgres -- "$BIN/initdb" -D "$ROOT/pg" -U postgres --auth=trust >/dev/null
  runuser -u postgres -- "$BIN/pg_ctl" -D "$ROOT/pg" -l "$ROOT/log/pg.log" \
    -o "-p $PORT -k $ROOT/sock -c listen_addresses='' $*" -w start >/dev/null
  export PGHOST=$ROOT/sock PGPORT=$PORT PGUSER=postgres
  "$BIN/createdb" mlc
  export DATABASE_URL="host=$ROOT/sock port=$PORT user=postgres dbname=mlc"
}

bench_stop_postgres() {
  runuser -u postgres -- "$BIN/pg_ctl" -D "$ROOT/pg" -m fast -w stop >/dev/null 2>&1 || true
}

# A master key and home for `ml-connector` commands (needs MLC).
bench_connector_env() {
  export MLC_MASTER_KEY=$("$MLC" keys generate) MLC_HOME=$ROOT/home MLC_LOG_LEVEL=warning
}
