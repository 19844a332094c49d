#!/usr/bin/env python3
# Report latencies through a running server: python3 scripts/bench-reports.py http://127.0.0.1:8089
# Each report 30 times as admin (every partner): the funnel of each deal kind with stages, the
# BCG matrix of the latest two classifications, and the ABC/XYZ report (every classified
# client, as JSON); then deal analysis, the forecast, loss reasons, marketing effectiveness,
# a client dossier, and segments (a dynamic and a periodic rule, their members and the
# comparison). Prints median and p99 in milliseconds, and the class counts of the latest run
# to set beside DuckDB's.
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

for group in ["responsible,kind", "status,month", "partner", "channel,competitor"]:
    groups = len(api(f"/api/v1/reports/deals?groupBy={group}", token=token)[0]["groups"])
    summary(f"deal analysis by {group} ({groups} groups)", [api(f"/api/v1/reports/deals?groupBy={group}", token=token)[1] for _ in range(10)])
months = len(api("/api/v1/reports/forecast", token=token)[0]["months"])
summary(f"forecast of the open deals ({months} months)", [api("/api/v1/reports/forecast", token=token)[1] for _ in range(10)])
summary("loss reasons", [api("/api/v1/reports/loss-reasons", token=token)[1] for _ in range(10)])
summary("marketing effectiveness", [api("/api/v1/reports/marketing-events", token=token)[1] for _ in range(10)])
partner = api("/api/v1/partners?per=1&page=100", token=token)[0]["items"][0]["id"]
summary("client dossier", [api(f"/api/v1/reports/partners/{partner}/dossier", token=token)[1] for _ in range(30)])
big = api("/api/v1/segments", {"name": "big", "kind": "dynamic", "rule": {"isClient": True, "sales": {"from": "2025-11-01", "to": "2026-10-31", "minRevenue": 1000000}}}, token)[0]
lapsed, took = api("/api/v1/segments", {"name": "lapsed", "kind": "periodic", "rule": {"noSalesDays": 90, "hasOpenDeals": True}}, token)
print(f"  periodic segment created and stored: {lapsed['memberCount']} members in {took:.0f} ms")
summary(f"dynamic segment (sales rule, {big['memberCount']} members): first page of 50 with the count",
        [api(f"/api/v1/segments/{big['id']}/members?per=50", token=token)[1] for _ in range(10)])
summary(f"stored segment ({lapsed['memberCount']} members): first page of 50 with the count",
        [api(f"/api/v1/segments/{lapsed['id']}/members?per=50", token=token)[1] for _ in range(30)])
summary("refresh of the periodic segment", [api(f"/api/v1/segments/{lapsed['id']}/refresh", {}, token)[1] for _ in range(5)])
summary("segment comparison of the two", [api(f"/api/v1/reports/segments-compare?segmentIds={big['id']},{lapsed['id']}", token=token)[1] for _ in range(10)])
