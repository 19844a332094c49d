"""What the HTTP benchmark scripts share: a JSON call timed in milliseconds and a summary line."""
import json, statistics, time, urllib.request

def api(base, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token: headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method="POST" if data else "GET")
    start = time.perf_counter()
    reply = json.load(urllib.request.urlopen(request))
    return reply, (time.perf_counter() - start) * 1000

def summary(label, values):
    values = sorted(values)
    p = lambda q: values[max(0, int(len(values) * q) - 1)]
    print(f"  {label}: median {statistics.median(values):.1f} ms, p95 {p(0.95):.1f} ms, p99 {p(0.99):.1f} ms (n={len(values)})")
