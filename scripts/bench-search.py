#!/usr/bin/env python3
# `q` latency on the partners list: python3 scripts/bench-search.py http://127.0.0.1:8089 100000
# Signs in as admin, warms up, then times sequential GET /api/v1/partners?q=… (page of 50 with
# the total) for a mix of what users type: name fragments, codes, phones in several formats,
# e-mails, contact-person names and INNs. Prints median and p99 per kind and overall.
import json, random, statistics, sys, time, urllib.parse, urllib.request
base, n = sys.argv[1], int(sys.argv[2])
random.seed(11)
login = urllib.request.Request(base + "/api/v1/auth/login", data=json.dumps({"login": "admin", "password": "bench-password"}).encode(),
                               headers={"Content-Type": "application/json"})
token = json.load(urllib.request.urlopen(login))["token"]
words = ["ромашка", "север", "вектор", "альфа", "техно", "снаб", "торг", "строй", "маркет", "сервис"]
last = ["иванов", "смирнова", "кузнецов", "попова", "соколов"]

def inn10(body9):
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    return body9 + str(sum(w * int(d) for w, d in zip(weights, body9)) % 11 % 10)

def queries():
    i = random.randint(1, n)
    return [("name", random.choice(words)), ("name", f"-{i}\""[:-1]), ("code", f"P{i:06d}"),
            ("phone", f"8 9{i % 100:02d} {i % 1000:03d}-{(i // 1000) % 100:02d}-{i % 97:02d}"), ("email", f"c{i}@example"),
            ("person", random.choice(last)), ("inn", inn10(f"77{random.randint(1, n):07d}"))]

def timed(q):
    url = base + "/api/v1/partners?per=50&q=" + urllib.parse.quote(q)
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    start = time.perf_counter()
    body = urllib.request.urlopen(request).read()
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, json.loads(body)["total"]

for _ in range(30):
    for _, q in queries(): timed(q)
by_kind = {}
for _ in range(100):
    for kind, q in queries():
        by_kind.setdefault(kind, []).append(timed(q)[0])
def p99(values): return sorted(values)[max(0, int(len(values) * 0.99) - 1)]
every = [v for values in by_kind.values() for v in values]
for kind, values in by_kind.items():
    print(f"  q by {kind:7s} median {statistics.median(values):6.1f} ms   p99 {p99(values):6.1f} ms")
print(f"  q overall ({len(every)} requests) median {statistics.median(every):6.1f} ms   p99 {p99(every):6.1f} ms")
