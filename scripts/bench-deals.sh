#!/usr/bin/env bash
# Deals benchmark (issue "Deals"): on 50,000 imported partners, `sdelka bench-deals` generates
# 200,000 deals (10,000 of them open on one kind's board) with their stage statistics; then,
# through the running server, the latency of a stage change (POST /api/v1/deals/{id}/stage,
# forward and back) and the server time of the kanban board page with its 10,000 open deals.
# SQLite always; PostgreSQL too when BENCH_POSTGRES_URL is set (its public schema is dropped
# and recreated). Loopback only; stops what it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
PARTNERS=${PARTNERS:-50000}
DEALS=${DEALS:-200000}
BOARD=${BOARD:-10000}
PORT=${PORT:-8089}
BIN=${BIN:-.build/release/sdelka}
WORK=$(mktemp -d)
trap 'kill "${PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || swift build -c release --product sdelka
python3 scripts/gen-parties.py "$PARTNERS" "$WORK" >/dev/null
export SDELKA_ADMIN_PASSWORD=bench-password

bench() { # label database-url
  echo "$1:"
  export DATABASE_URL="$2"
  "$BIN" import partners "$WORK/partners.csv" --log warning >/dev/null
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN" bench-deals --deals "$DEALS" --board "$BOARD" --log warning | tail -1
  read -r seconds kb < "$WORK/time"
  echo "  peak RSS of the generator: $((kb / 1024)) MB"
  "$BIN" serve --hostname 127.0.0.1 --port "$PORT" --log warning >"$WORK/server.log" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null; do sleep 0.05; done
  python3 scripts/bench-deals.py "http://127.0.0.1:$PORT"
  kill "$PID"; wait "$PID" 2>/dev/null || true
}

bench "SQLite" "$WORK/bench.sqlite"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  PGOPTIONS="-c client_min_messages=warning" psql "${BENCH_POSTGRES_URL%%\?*}" -q -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"
  bench "PostgreSQL" "$BENCH_POSTGRES_URL"
fi
