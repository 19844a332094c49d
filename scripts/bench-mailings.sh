#!/usr/bin/env bash
# Mailings benchmark (issue "Mailings by plan and by event"): N partners with a contact person
# each (an e-mail apiece) imported from CSV, then `sdelka bench-mailings` plans a mailing to the
# contact persons of a dynamic segment of every client — time to plan and queue all N — and
# sends SEND of them to a real SMTP server (aiosmtpd, the one the tests use) on loopback.
# SQLite always; PostgreSQL too when BENCH_POSTGRES_URL is set (its schema `public` is dropped
# and recreated: never point it at a real database). Usage: N=100000 SEND=5000 scripts/bench-mailings.sh   (needs: pip install aiosmtpd)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
SEND=${SEND:-5000}
BIN=${BIN:-.build/release/sdelka}
WORK=$(mktemp -d)
[ -x "$BIN" ] || swift build -c release --product sdelka
python3 scripts/gen-parties.py "$N" "$WORK" >/dev/null
mkdir "$WORK/mail"
mkfifo "$WORK/stdin"
python3 Tests/SdelkaTests/Support/smtp_server.py "$WORK/mail" < "$WORK/stdin" > "$WORK/port" &
SMTP_PID=$!
exec 3> "$WORK/stdin"   # the SMTP server runs until its stdin closes
trap 'exec 3>&-; wait $SMTP_PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
export SDELKA_ADMIN_PASSWORD=bench-password SMTP_URL="smtp://127.0.0.1:$(cat "$WORK/port")" MAIL_FROM="Sdelka <crm@sdelka.test>"

bench() { # label database-url
  echo "$1 ($N partners, $N contact persons):"
  export DATABASE_URL="$2"
  "$BIN" import partners "$WORK/partners.csv" --log warning >/dev/null 2>&1
  "$BIN" import contact-persons "$WORK/contact-persons.csv" --log warning >/dev/null 2>&1
  "$BIN" bench-mailings --send "$SEND" --log warning | sed 's/^/  /'
}

bench SQLite "$WORK/bench.sqlite"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  PGOPTIONS="-c client_min_messages=warning" psql "${BENCH_POSTGRES_URL%%\?*}" -q -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"
  bench PostgreSQL "$BENCH_POSTGRES_URL"
fi
echo "the SMTP server saved $(ls "$WORK/mail"/*.eml 2>/dev/null | wc -l) messages"
