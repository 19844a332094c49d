#!/usr/bin/env python3
"""The yardstick of the analytics benchmark: DuckDB computes the same ABC/XYZ classification
(DOMAIN.md §6: the window, documents not units for salesCount, returns reducing, the adaptive
walk, CV over sub-periods with empty ones as 0) in SQL straight over the sales CSV, for the
three measures, month × 12 windows, monthly sub-periods. Prints the time and the number of
clients in each class, to set beside Sdelka's own report.
usage: duckdb-abcxyz.py SALES_CSV WINDOW_START WINDOW_END   (e.g. 2025-11-01 2026-10-31)"""
import sys, time
import duckdb

csv, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
# The walk in window functions: i1 is the first item (never the last) above S/(n+1); after it
# the threshold is (S − Σ c before i1)/(n − i1 + 1), and i2 the first item after i1 above it.
WALK = """
ranked AS (
  SELECT measure, code, v,
         row_number() OVER (PARTITION BY measure ORDER BY v DESC, code) AS i,
         count(*) OVER (PARTITION BY measure) AS n,
         sum(v) OVER (PARTITION BY measure) AS total,
         sum(v) OVER (PARTITION BY measure ORDER BY v DESC, code ROWS UNBOUNDED PRECEDING) AS cum
  FROM values_),
pct AS (SELECT *, CASE WHEN total = 0 THEN 0.0 ELSE 100.0 * cum / total END AS c FROM ranked),
sums AS (SELECT *, sum(c) OVER (PARTITION BY measure) AS s,
                sum(c) OVER (PARTITION BY measure ORDER BY i ROWS UNBOUNDED PRECEDING) - c AS before FROM pct),
first_switch AS (SELECT measure, min(CASE WHEN i <= n - 1 AND c > s / (n + 1) THEN i END) AS i1 FROM sums GROUP BY measure),
threshold AS (SELECT f.measure, f.i1, (x.s - x.before) / (x.n - f.i1 + 1) AS t2
              FROM first_switch f LEFT JOIN sums x ON x.measure = f.measure AND x.i = f.i1),
stop_ AS (SELECT t.measure, t.i1, min(CASE WHEN x.i > t.i1 AND x.i <= x.n - 1 AND x.c > t.t2 THEN x.i END) AS i2
          FROM threshold t JOIN sums x ON x.measure = t.measure GROUP BY t.measure, t.i1),
classed AS (
  SELECT x.measure, x.code,
         CASE WHEN x.i = x.n THEN 3
              WHEN st.i1 IS NULL OR x.i < st.i1 THEN 1
              WHEN st.i2 IS NULL OR x.i < st.i2 THEN 2
              ELSE 3 END AS tier
  FROM sums x JOIN stop_ st ON st.measure = x.measure)
"""
QUERY = f"""
WITH lines AS (
  SELECT doc_number, date, partner_code, quantity, amount, cost
  FROM read_csv('{csv}', header = true, columns = {{'doc_number': 'VARCHAR', 'date': 'DATE', 'partner_code': 'VARCHAR',
      'counterparty_code': 'VARCHAR', 'product_sku': 'VARCHAR', 'quantity': 'DECIMAL(18,3)', 'price': 'DECIMAL(18,2)',
      'amount': 'DECIMAL(18,2)', 'cost': 'DECIMAL(18,2)'}})
  WHERE date BETWEEN DATE '{start}' AND DATE '{end}'),
docs AS (
  SELECT partner_code, doc_number, min(date) AS date, sum(amount) AS revenue, sum(cost) AS cost, bool_and(quantity < 0) AS is_return
  FROM lines GROUP BY partner_code, doc_number),
monthly AS (
  SELECT partner_code AS code, date_trunc('month', date) AS m, sum(revenue) AS revenue, sum(revenue - cost) AS profit,
         sum(CASE WHEN is_return THEN 0 ELSE 1 END) AS cnt
  FROM docs GROUP BY ALL),
long AS (
  SELECT code, m, 'revenue' AS measure, CAST(revenue AS DOUBLE) AS x FROM monthly
  UNION ALL SELECT code, m, 'grossProfit', CAST(profit AS DOUBLE) FROM monthly
  UNION ALL SELECT code, m, 'salesCount', CAST(cnt AS DOUBLE) FROM monthly),
k AS (SELECT datediff('month', DATE '{start}', DATE '{end}') + 1 AS k),
stats AS (
  SELECT measure, code, sum(x) AS total, sum(x) / any_value(k.k) AS mean, count(*) AS present, any_value(k.k) AS k
  FROM long, k GROUP BY measure, code),
cv AS (
  SELECT s.measure, s.code, s.total,
         CASE WHEN s.mean = 0 THEN 0.0 ELSE round(abs(sqrt((sum((l.x - s.mean) ^ 2) + (s.k - s.present) * s.mean ^ 2) / s.k) * 100 / s.mean), 6) END AS cv
  FROM stats s JOIN long l ON l.measure = s.measure AND l.code = s.code
  GROUP BY s.measure, s.code, s.total, s.mean, s.k, s.present),
-- XYZ is the same walk on the CVs: both walks at once, partitioned by "abc:measure" and "xyz:measure".
values_ AS (SELECT 'abc:' || measure AS measure, code, total AS v FROM cv UNION ALL SELECT 'xyz:' || measure, code, cv FROM cv),
{WALK}
SELECT split_part(measure, ':', 1) AS kind, split_part(measure, ':', 2) AS measure, tier, count(*) FROM classed GROUP BY ALL
"""

con = duckdb.connect()
began = time.perf_counter()
rows = con.execute(QUERY).fetchall()
elapsed = time.perf_counter() - began
for measure in ["revenue", "grossProfit", "salesCount"]:
    parts = []
    for kind, letters in [("abc", "ABC"), ("xyz", "ZYX")]:
        counts = {tier: n for k, m, tier, n in rows if k == kind and m == measure}
        parts.append(" ".join(f"{letters[t - 1]} {counts.get(t, 0)}" for t in (1, 2, 3)))
    print(f"  DuckDB {measure}: {' · '.join(parts)}")
print(f"  DuckDB {duckdb.__version__}, the same classification in SQL over the CSV: {elapsed:.2f} s")
