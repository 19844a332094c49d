#!/usr/bin/env bash
# Server benchmark (issue "Server foundation"): start-up time on an existing database, resident
# memory idle and after 10,000 authenticated requests, and requests per second of an
# authenticated GET /api/v1/users/{id} next to the constant GET /api/v1/health, 64 connections.
# Needs wrk (apt-get install wrk) and curl. Loopback only; stops what it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8089}
DURATION=${DURATION:-15s}
BIN=${BIN:-.build/release/sdelka}
WORK=$(mktemp -d)
export DATABASE_URL="$WORK/bench.sqlite" SDELKA_ADMIN_PASSWORD=bench-password LOG_LEVEL=warning
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
[ -x "$BIN" ] || swift build -c release --product sdelka

base="http://127.0.0.1:$PORT"
start_server() {
  "$BIN" serve --hostname 127.0.0.1 --port "$PORT" --log warning >"$WORK/server.log" 2>&1 &
  PID=$!
}
stop_server() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
trap 'stop_server; rm -rf "$WORK"' EXIT
rss() { awk '/VmRSS/ {printf "%.1f MB", $2/1024}' "/proc/$PID/status"; }

# First start creates and migrates the database; the measured start is the second one.
start_server
until curl -sf "$base/api/v1/health" >/dev/null; do sleep 0.05; done
stop_server

t0=$(date +%s%N)
start_server
until curl -sf "$base/api/v1/health" >/dev/null; do sleep 0.005; done
t1=$(date +%s%N)
echo "start to first answer (existing database): $(( (t1 - t0) / 1000000 )) ms"

TOKEN=$(curl -sf -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"login":"admin","password":"bench-password"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
USER_ID=$(curl -sf "$base/api/v1/me" -H "Authorization: Bearer $TOKEN" | sed 's/.*"id":"\([^"]*\)".*/\1/')
sleep 2
echo "resident memory idle: $(rss)"

cat >"$WORK/limit.lua" <<'LUA'
local count = 0
function response() count = count + 1; if count >= 5000 then wrk.thread:stop() end end
LUA
wrk -t2 -c8 -d60s -s "$WORK/limit.lua" -H "Authorization: Bearer $TOKEN" "$base/api/v1/users/$USER_ID" >"$WORK/warm.txt"
echo "resident memory after $(awk '/requests in/ {print $1}' "$WORK/warm.txt") authenticated requests: $(rss)"

constant=$(wrk -t2 -c64 -d"$DURATION" "$base/api/v1/health" | awk '/Requests\/sec/ {print $2}')
authed=$(wrk -t2 -c64 -d"$DURATION" -H "Authorization: Bearer $TOKEN" "$base/api/v1/users/$USER_ID" | tee "$WORK/authed.txt" | awk '/Requests\/sec/ {print $2}')
non2xx=$(awk '/Non-2xx/ {print $4}' "$WORK/authed.txt")
echo "GET /api/v1/health (constant), 64 connections: $constant req/s"
echo "GET /api/v1/users/{id} (bearer token, SQLite), 64 connections: $authed req/s${non2xx:+ (non-2xx: $non2xx)}"
awk -v a="$authed" -v c="$constant" 'BEGIN {printf "ratio authenticated/constant: %.2f (target >= 0.33)\n", a/c}'
echo "resident memory after the load: $(rss)"
