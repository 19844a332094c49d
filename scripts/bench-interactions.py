#!/usr/bin/env python3
# python3 scripts/bench-interactions.py http://127.0.0.1:8089 users|measure — `users` makes 20
# managers (no access groups needed: the bench reads as admin); `measure` times the workplace.
import sys
from bench_http import summary
import bench_http
base, step = sys.argv[1], sys.argv[2]
api = lambda path, body=None, token=None: bench_http.api(base, path, body, token)
token = api("/api/v1/auth/login", {"login": "admin", "password": "bench-password"})[0]["token"]
if step == "users":
    for k in range(20):
        api("/api/v1/users", {"login": f"m{k:02d}", "name": f"Менеджер {k:02d}", "email": f"m{k:02d}@bench.example", "role": "manager",
                              "language": "ru", "password": "bench-password-1", "accessGroupIds": []}, token)
    sys.exit()
users = [u["id"] for u in api("/api/v1/users?role=manager&per=50", token=token)[0]["items"]]
first = api(f"/api/v1/interactions?reviewed=false&responsibleId={users[0]}&per=50", token=token)[0]
print(f"  workplace of one responsible: {first['total']} not reviewed, newest {first['items'][0]['occurredAt']}")
for label, query in [("workplace: not reviewed, one responsible, page of 50 with the total", "reviewed=false&responsibleId={u}&per=50"),
                     ("workplace: not reviewed, one responsible, page 3", "reviewed=false&responsibleId={u}&per=50&page=3"),
                     ("workplace: review due, one responsible", "reviewDue=true&responsibleId={u}&per=50"),
                     ("all interactions, newest 50 with the total", "per=50")]:
    summary(label, [api("/api/v1/interactions?" + query.format(u=users[k % len(users)]), token=token)[1] for k in range(100)])
partners = [p["id"] for p in api("/api/v1/partners?per=100&page=7", token=token)[0]["items"]]
summary("a partner's timeline (participants), page of 50", [api(f"/api/v1/interactions?partnerId={partners[k]}&per=50", token=token)[1] for k in range(100)])
