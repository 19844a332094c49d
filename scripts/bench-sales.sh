#!/usr/bin/env bash
# Sales import benchmark (issue "Sales facts"): 50,000 partners (75,000 counterparties) and
# 5,000 products are imported first; then `sdelka import sales` loads about 2,000,000 lines
# over three years (scripts/gen-sales.py): wall time, lines per second, peak resident memory,
# and the same for a half-size file (memory must not grow with the file) and for importing the
# full file again (every document replaced). Next to it, the floor: sqlite3's own `.import` of
# the same CSV into one plain table. SQLite always; PostgreSQL too when BENCH_POSTGRES_URL is
# set (its public schema is dropped and recreated before each run).
set -euo pipefail
cd "$(dirname "$0")/.."
PARTNERS=${PARTNERS:-50000}
PRODUCTS=${PRODUCTS:-5000}
LINES=${LINES:-2000000}
BIN=${BIN:-.build/release/sdelka}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || swift build -c release --product sdelka
python3 scripts/gen-parties.py "$PARTNERS" "$WORK" >/dev/null
python3 scripts/gen-sales.py "$PARTNERS" "$PRODUCTS" "$LINES" "$WORK"
mkdir "$WORK/half"
python3 scripts/gen-sales.py "$PARTNERS" "$PRODUCTS" "$((LINES / 2))" "$WORK/half" >/dev/null
export SDELKA_ADMIN_PASSWORD=bench-password

seconds_of() { local start=$1; echo "$(date +%s.%N) - $start" | bc -l | xargs printf '%.2f'; }

rm -f "$WORK/floor.sqlite"
start=$(date +%s.%N)
sqlite3 "$WORK/floor.sqlite" ".mode csv" ".import $WORK/sales.csv sales"
echo "floor: sqlite3 .import of the same file into one plain table: $(seconds_of "$start") s"

fresh() { # label → prints the database URL of an empty database
  if [ "$1" = "SQLite" ]; then
    rm -f "$WORK/bench.sqlite"*
    echo "$WORK/bench.sqlite"
  else
    PGOPTIONS="-c client_min_messages=warning" psql "${BENCH_POSTGRES_URL%%\?*}" -q -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"
    echo "$BENCH_POSTGRES_URL"
  fi
}

measure() { # what file
  local n
  n=$(($(wc -l < "$2") - 1))
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN" import sales "$2" --log warning 2>/dev/null | tail -1 >/dev/null
  read -r seconds kb < "$WORK/time"
  echo "  $1 ($n lines): $seconds s, $(echo "$n / $seconds" | bc) lines/s, peak RSS $((kb / 1024)) MB"
}

bench() { # label
  echo "$1:"
  for file in "$WORK/half/sales.csv" "$WORK/sales.csv"; do
    DATABASE_URL=$(fresh "$1")
    export DATABASE_URL
    for kind in partners counterparties products; do "$BIN" import "$kind" "$WORK/$kind.csv" --log warning >/dev/null 2>&1; done
    if [ "$file" = "$WORK/sales.csv" ]; then measure "import" "$file"; measure "import again (every document replaced)" "$file"
    else measure "half-size file" "$file"; fi
  done
}

bench "SQLite"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then bench "PostgreSQL"; fi
