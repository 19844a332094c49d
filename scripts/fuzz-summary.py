"""Summarises a schemathesis NDJSON report: cases, server errors, the answers by status class,
and the operations that took an id in their path and answered 2xx at least once (reached with
a real id, from the demo data or from a record the run created)."""
import collections
import json
import sys

cases = 0
server_errors = []
by_class = collections.Counter()
operations = set()
reached = set()
accepted = collections.Counter()
tried = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    event = json.loads(line)
    finished = event.get("ScenarioFinished")
    if not finished:
        continue
    recorder = finished.get("recorder", {})
    label = recorder.get("label", "")
    for interaction in recorder.get("interactions", {}).values():
        response = interaction.get("response")
        request = interaction.get("request", {})
        if response is None:
            server_errors.append(f"{request.get('method')} {request.get('uri')}: no response")
            continue
        cases += 1
        code = response["status_code"]
        by_class[f"{code // 100}xx"] += 1
        # Labels of stateful steps join several operations; count each request by itself.
        operation = label if " -> " not in label else f"{request.get('method')} (stateful)"
        operations.add(operation)
        tried[operation] += 1
        if 200 <= code < 300:
            accepted[operation] += 1
            if "{" in operation:
                reached.add(operation)
        if code >= 500:
            server_errors.append(f"{request.get('method')} {request.get('uri')}: {code}")
mostly_refused = [op for op in tried if tried[op] >= 10 and accepted[op] * 2 < tried[op]]
print(f"schemathesis summary: {cases} requests answered, {len(server_errors)} server errors or lost connections")
print("  answers: " + ", ".join(f"{k} {v}" for k, v in sorted(by_class.items())))
print(f"  operations with an id in the path answered 2xx with a real id: {len(reached)}")
print(f"  operations answering 2xx to under half of what they were sent: {len(mostly_refused)} of {len(tried)}")
for error in server_errors[:20]:
    print("  SERVER ERROR " + error)
sys.exit(1 if server_errors else 0)
