#!/usr/bin/env bash
# Competitive-intelligence benchmark (issue "Competitive intelligence and assortment"): on a
# fresh database, PRODUCTS products × COMPETITORS competitors × DAYS daily prices (default
# 5,000 × 10 × 365 = 18,250,000 observations), then the price comparison of every product on two
# dates, five times each (`sdelka bench-competitors`). SQLite always; PostgreSQL too when
# BENCH_POSTGRES_URL is set (its schema `public` is dropped and recreated: never point it at a
# real database).
set -euo pipefail
cd "$(dirname "$0")/.."
PRODUCTS=${PRODUCTS:-5000}
COMPETITORS=${COMPETITORS:-10}
DAYS=${DAYS:-365}
BIN=${BIN:-.build/release/sdelka}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || swift build -c release --product sdelka
export SDELKA_ADMIN_PASSWORD=bench-password
echo "SQLite:"
DATABASE_URL="$WORK/bench.sqlite" "$BIN" bench-competitors --products "$PRODUCTS" --competitors "$COMPETITORS" --days "$DAYS" --log warning | sed 's/^/  /'
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  PGOPTIONS="-c client_min_messages=warning" psql "${BENCH_POSTGRES_URL%%\?*}" -q -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"
  echo "PostgreSQL:"
  DATABASE_URL="$BENCH_POSTGRES_URL" "$BIN" bench-competitors --products "$PRODUCTS" --competitors "$COMPETITORS" --days "$DAYS" --log warning | sed 's/^/  /'
fi
