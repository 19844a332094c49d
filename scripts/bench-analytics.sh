#!/usr/bin/env bash
# Analytics benchmark (issue "Analytics"): 50,000 partners, about 2,000,000 sales lines over
# three years (scripts/gen-sales.py) and 200,000 deals with their stage statistics
# (`sdelka bench-deals`). Then `sdelka classify` by all three measures for 2026-10-28 and
# 2026-11-28 (month × 12 windows), and through the running server the funnel, the BCG matrix
# and the ABC/XYZ report. Beside it, in the same run, DuckDB (PyPI) computing the same
# classification in SQL straight over the sales CSV. SQLite always; PostgreSQL too when
# BENCH_POSTGRES_URL is set (its public schema is dropped and recreated). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
PARTNERS=${PARTNERS:-50000}
PRODUCTS=${PRODUCTS:-5000}
LINES=${LINES:-2000000}
DEALS=${DEALS:-200000}
PORT=${PORT:-8089}
BIN=${BIN:-.build/release/sdelka}
WORK=$(mktemp -d)
trap 'kill "${PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || swift build -c release --product sdelka
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
python3 scripts/gen-parties.py "$PARTNERS" "$WORK" >/dev/null
python3 scripts/gen-sales.py "$PARTNERS" "$PRODUCTS" "$LINES" "$WORK" >/dev/null
export SDELKA_ADMIN_PASSWORD=bench-password
echo "data: $PARTNERS partners, $(($(wc -l < "$WORK/sales.csv") - 1)) sales lines, $DEALS deals"
echo "yardstick:"
python3 scripts/duckdb-abcxyz.py "$WORK/sales.csv" 2025-11-01 2026-10-31

bench() { # label database-url
  echo "$1:"
  export DATABASE_URL="$2"
  for kind in partners counterparties products sales; do "$BIN" import "$kind" "$WORK/$kind.csv" --log warning >/dev/null 2>&1; done
  "$BIN" bench-deals --deals "$DEALS" --board 10000 --log warning >/dev/null
  for date in 2026-10-28 2026-11-28; do
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN" classify --date "$date" --log warning > "$WORK/classify"
    read -r seconds kb < "$WORK/time"
    echo "  classify --date $date: $(sed 's/.* in \([0-9]*\) ms/\1 ms in the run/' "$WORK/classify"), $seconds s for the whole command, peak RSS $((kb / 1024)) MB"
  done
  "$BIN" serve --hostname 127.0.0.1 --port "$PORT" --log warning >"$WORK/server.log" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null; do sleep 0.05; done
  python3 scripts/bench-reports.py "http://127.0.0.1:$PORT"
  kill "$PID"; wait "$PID" 2>/dev/null || true
}

bench "SQLite" "$WORK/bench.sqlite"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  PGOPTIONS="-c client_min_messages=warning" psql "${BENCH_POSTGRES_URL%%\?*}" -q -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"
  bench "PostgreSQL" "$BENCH_POSTGRES_URL"
fi
