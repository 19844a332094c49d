#!/usr/bin/env bash
# Sending throughput: queues letters in a fresh SQLite database and times the sender handing
# them to a real SMTP server (aiosmtpd, the one the tests use) on loopback.
# Usage: scripts/bench-mail.sh [letters] [attachment-kb]   (needs: pip install aiosmtpd)
set -euo pipefail
cd "$(dirname "$0")/.."
letters=${1:-2000}
kb=${2:-0}
swift build -c release --product sdelka >/dev/null
work=$(mktemp -d)
mkfifo "$work/stdin"
python3 Tests/SdelkaTests/Support/smtp_server.py "$work" < "$work/stdin" > "$work/port" &
smtp_pid=$!
exec 3> "$work/stdin"   # the server runs until its stdin closes
for _ in $(seq 1 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
trap 'exec 3>&-; wait $smtp_pid 2>/dev/null; rm -rf "$work"' EXIT
DATABASE_URL="$work/bench.sqlite" SDELKA_ADMIN_PASSWORD=bench-password-1 SMTP_URL="smtp://127.0.0.1:$port" MAIL_FROM="Sdelka <crm@sdelka.test>" \
  .build/release/sdelka bench-mail --letters "$letters" --attachment-kb "$kb"
echo "the SMTP server saved $(ls "$work"/*.eml | wc -l) messages"
