#!/usr/bin/env bash
# Interactions benchmark (issue "Interactions"): 50,000 partners (scripts/gen-parties.py,
# imported), 20 responsible managers made through the API, then 1,000,000 interactions with
# one partner participant each written straight into the SQLite file by
# scripts/gen-interactions.py (five kinds, three years, 30 % not reviewed). Through the
# running server: the workplace «not reviewed, one responsible» (first page of 50 with the
# total), and for comparison a partner's timeline and «review due». Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
PARTNERS=${PARTNERS:-50000}
INTERACTIONS=${INTERACTIONS:-1000000}
PORT=${PORT:-8089}
BIN=${BIN:-.build/release/sdelka}
WORK=$(mktemp -d)
# KEEP=1 leaves the data in $WORK for a closer look (the path is printed).
trap 'kill "${PID:-0}" 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || swift build -c release --product sdelka
python3 scripts/gen-parties.py "$PARTNERS" "$WORK" >/dev/null
export SDELKA_ADMIN_PASSWORD=bench-password DATABASE_URL="$WORK/bench.sqlite"
"$BIN" import partners "$WORK/partners.csv" --log warning >/dev/null 2>&1

serve() {
  "$BIN" serve --hostname 127.0.0.1 --port "$PORT" --log warning >"$WORK/server.log" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null; do sleep 0.05; done
}
serve
python3 scripts/bench-interactions.py "http://127.0.0.1:$PORT" users
kill "$PID"; wait "$PID" 2>/dev/null || true
/usr/bin/time -f "%e" -o "$WORK/time" python3 scripts/gen-interactions.py "$WORK/bench.sqlite" "$INTERACTIONS"
echo "data: $PARTNERS partners, $INTERACTIONS interactions written in $(cat "$WORK/time") s"
serve
python3 scripts/bench-interactions.py "http://127.0.0.1:$PORT" measure
