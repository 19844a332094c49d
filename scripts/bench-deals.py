#!/usr/bin/env python3
# Deal latencies through a running server: python3 scripts/bench-deals.py http://127.0.0.1:8089
# Stage change: 200 open deals of the board's kind, each moved one stage forward and back again
# (400 POST /api/v1/deals/{id}/stage). Board: GET /deals/board?kindId=… signed in through the
# web form, 30 times, and once more per column with that column expanded to 500 cards.
import http.cookiejar, json, re, statistics, sys, time, urllib.parse, urllib.request
base = sys.argv[1]

from bench_http import summary
import bench_http
api = lambda path, body=None, token=None: bench_http.api(base, path, body, token)

token = api("/api/v1/auth/login", {"login": "admin", "password": "bench-password"})[0]["token"]
kinds = api("/api/v1/deal-kinds", token=token)[0]["items"]
kind = next(k for k in kinds if k["type"] == "manual")
stages = [s["id"] for s in kind["stages"]]
deals = api(f"/api/v1/deals?kindId={kind['id']}&status=open&per=200", token=token)[0]
print(f"  deals in the database: {api('/api/v1/deals?per=1', token=token)[0]['total']}, open on the board: {deals['total']}")
forward, back = [], []
for deal in deals["items"]:
    position = stages.index(deal["stageId"])
    target = stages[position + 1] if position + 1 < len(stages) else stages[position - 1]
    forward.append(api(f"/api/v1/deals/{deal['id']}/stage", {"stageId": target}, token)[1])
    back.append(api(f"/api/v1/deals/{deal['id']}/stage", {"stageId": deal["stageId"]}, token)[1])
summary("stage change", forward + back)
_, list_ms = api(f"/api/v1/deals?status=open&per=50", token=token)
lists = [api(f"/api/v1/deals?status=open&per=50&page={p}", token=token)[1] for p in range(1, 31)]
summary("GET /api/v1/deals?status=open&per=50 (probability of each)", lists)

jar = http.cookiejar.CookieJar()
browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
login_page = browser.open(base + "/login").read().decode()
csrf = re.search(r'name="_csrf" value="([^"]*)"', login_page).group(1)
browser.open(base + "/login", urllib.parse.urlencode({"login": "admin", "password": "bench-password", "_csrf": csrf, "next": "/"}).encode())

def page(path):
    start = time.perf_counter()
    html = browser.open(base + path).read()
    return (time.perf_counter() - start) * 1000, html

page(f"/deals/board?kindId={kind['id']}")
board = [page(f"/deals/board?kindId={kind['id']}")[0] for _ in range(30)]
summary(f"board page over {deals['total']} open deals (50 cards per column)", board)
expanded = [page(f"/deals/board?kindId={kind['id']}&more={stage}")[0] for stage in stages for _ in range(3)]
summary("board page with one column expanded to 500 cards", expanded)
