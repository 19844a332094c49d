#!/usr/bin/env python3
# Report latencies through a running server: python3 scripts/bench-reports.py http://127.0.0.1:8089
# Each report 30 times as admin (every partner): the funnel of each deal kind with stages, the
# BCG matrix of the latest two classifications, and the ABC/XYZ report (every classified
# client, as JSON). Prints median and p99 in milliseconds, and the class counts of the latest
# run to set beside DuckDB's.
import collections, sys
base = sys.argv[1]

from bench_http import summary
import bench_http
api = lambda path, body=None, token=None: bench_http.api(base, path, body, token)

token = api("/api/v1/auth/login", {"login": "admin", "password": "bench-password"})[0]["token"]
for kind in api("/api/v1/deal-kinds", token=token)[0]["items"]:
    if not kind["stages"]: continue
    funnel = api(f"/api/v1/reports/funnel?kindId={kind['id']}", token=token)[0]
    reached = " → ".join(str(s["reached"]) for s in funnel["stages"])
    summary(f"funnel of «{kind['name']}» (reached {reached})", [api(f"/api/v1/reports/funnel?kindId={kind['id']}", token=token)[1] for _ in range(30)])
bcg = api("/api/v1/reports/bcg?measure=revenue", token=token)[0]
print(f"  BCG {bcg['previous']['date']} → {bcg['current']['date']}: quadrants {bcg['quadrants']}, {len(bcg['transitions'])} transitions")
summary("BCG matrix with transitions", [api("/api/v1/reports/bcg?measure=revenue", token=token)[1] for _ in range(30)])
for measure in ["revenue", "grossProfit", "salesCount"]:
    report = api(f"/api/v1/reports/abc-xyz?measure={measure}", token=token)[0]
    abc = collections.Counter(i["abc"] for i in report["items"])
    xyz = collections.Counter(i["xyz"] for i in report["items"])
    print(f"  Sdelka {measure}: A {abc['A']} B {abc['B']} C {abc['C']} · Z {xyz['Z']} Y {xyz['Y']} X {xyz['X']} · unclassified {abc['unclassified']}")
summary(f"ABC/XYZ report, {len(report['items'])} clients as JSON", [api("/api/v1/reports/abc-xyz?measure=revenue", token=token)[1] for _ in range(10)])
summary("ABC/XYZ report, one page of 50 with the total", [api("/api/v1/reports/abc-xyz?measure=revenue&page=3&per=50", token=token)[1] for _ in range(30)])
