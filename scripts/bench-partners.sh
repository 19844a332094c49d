#!/usr/bin/env bash
# Partners benchmark (issue "Partners, counterparties, …"): importing N partners and 1.5 N
# counterparties (and N contact persons) from CSV with `sdelka import`, wall time and peak
# resident memory of each run, then `q` search latency (median, p99) over the imported data;
# before and after, sqlite3's own `.import` of the same files, as a measure of the machine.
# SQLite always; PostgreSQL too when BENCH_POSTGRES_URL is set (its schema `bench` is dropped
# and recreated). N defaults to 100000. Loopback only; stops what it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
PORT=${PORT:-8089}
BIN=${BIN:-.build/release/sdelka}
WORK=$(mktemp -d)
trap 'kill "${PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || swift build -c release --product sdelka
python3 scripts/gen-parties.py "$N" "$WORK"
export SDELKA_ADMIN_PASSWORD=bench-password

measure_import() { # kind file
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN" import "$1" "$2" --log warning >/dev/null 2>"$WORK/import.log" \
    || { cat "$WORK/import.log"; exit 1; }
  read -r seconds kb < "$WORK/time"
  printf "  import %-16s %6.1f s   peak RSS %5.0f MB\n" "$1" "$seconds" "$((kb / 1024))"
}

bench() { # label database-url
  echo "$1:"
  export DATABASE_URL="$2"
  local t0=$(date +%s%N)
  measure_import partners "$WORK/partners.csv"
  measure_import counterparties "$WORK/counterparties.csv"
  local t1=$(date +%s%N)
  echo "  partners + counterparties: $(( (t1 - t0) / 1000000 )) ms"
  measure_import contact-persons "$WORK/contact-persons.csv"
  "$BIN" serve --hostname 127.0.0.1 --port "$PORT" --log warning >"$WORK/server.log" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null; do sleep 0.05; done
  python3 scripts/bench-search.py "http://127.0.0.1:$PORT" "$N"
  kill "$PID"; wait "$PID" 2>/dev/null || true
}

# What this machine does right now, for reading the figures: sqlite3's own `.import` of the
# same two files into plain tables (no validation, references, indexes, audit or search).
floor() {
  rm -f "$WORK/floor.sqlite"
  local t0=$(date +%s%N)
  sqlite3 "$WORK/floor.sqlite" ".mode csv" ".import $WORK/partners.csv partners" ".import $WORK/counterparties.csv counterparties"
  echo "floor: sqlite3 .import of partners + counterparties into plain tables: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
}

floor
bench "SQLite" "$WORK/bench.sqlite"
floor
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  PGOPTIONS="-c client_min_messages=warning" psql "${BENCH_POSTGRES_URL%%\?*}" -q -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"
  bench "PostgreSQL" "$BENCH_POSTGRES_URL"
fi
