#!/usr/bin/env python3
"""Places HOLDS one-seat holds over SPREAD seconds (each held HOLD_SECONDS), so they all fall due within about one
minute, then reads from the database how late each was expired (UpdatedAt of the expired order minus its
ExpiresAt). Loopback only; every request and wait is bounded. Called by bench/expiry-lateness.sh."""
import http.client, json, os, sqlite3, sys, threading, time

api_port = int(os.environ["API_PORT"]); db_file = os.environ["DB_FILE"]; perf = int(os.environ["PERF"])
first_seat = int(os.environ["FIRST_SEAT"]); tokens = open(os.environ["TOKENS"]).read().split()
holds = int(os.environ.get("HOLDS", "10000")); spread = float(os.environ.get("SPREAD", "60"))
hold_seconds = int(os.environ.get("HOLD_SECONDS", "60")); threads = int(os.environ.get("CLIENTS", "8"))
created = [0] * threads; failed = [0] * threads

def client(j):
    conn = http.client.HTTPConnection("127.0.0.1", api_port, timeout=10)
    for k in range(j, holds, threads):
        delay = start + k * spread / holds - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        body = json.dumps({"seatIds": [first_seat + k]})
        headers = {"content-type": "application/json", "authorization": "Bearer " + tokens[k % len(tokens)]}
        try:
            conn.request("POST", f"/api/performances/{perf}/holds", body, headers)
            response = conn.getresponse(); response.read()
            if response.status == 201:
                created[j] += 1
            else:
                failed[j] += 1
        except OSError:
            failed[j] += 1
            conn.close(); conn = http.client.HTTPConnection("127.0.0.1", api_port, timeout=10)

start = time.monotonic()
workers = [threading.Thread(target=client, args=(j,)) for j in range(threads)]
for w in workers: w.start()
for w in workers: w.join(timeout=spread + 120)
placing = time.monotonic() - start
print(f"holds: {sum(created)} created (201), {sum(failed)} refused, placed in {placing:.1f} s", flush=True)

def rows():
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=30) as db:
        return db.execute("SELECT Status, ExpiresAt, UpdatedAt FROM Orders WHERE PerformanceId = ?", (perf,)).fetchall()

# Wait (bounded) until the last deadline has passed and every hold is expired.
deadline_wall = time.monotonic() + hold_seconds + 60
while time.monotonic() < deadline_wall:
    data = rows()
    if data and all(status == 3 for status, _, _ in data):
        break
    time.sleep(1)
data = rows()
expired = [(updated - expires) / 1e7 for status, expires, updated in data if status == 3]
pending = sum(1 for status, _, _ in data if status == 0)
due = [expires for _, expires, _ in data]
expired.sort()
def pct(p): return expired[min(len(expired) - 1, int(round(p / 100 * len(expired) + 0.5)) - 1)]
print(f"deadlines spread over {(max(due) - min(due)) / 1e7:.1f} s; expired {len(expired)}, still pending {pending}")
if expired:
    print(f"lateness (expired at - deadline): p50 {pct(50):.3f} s, p99 {pct(99):.3f} s, max {expired[-1]:.3f} s, "
          f"over 2 s: {sum(1 for x in expired if x > 2)}")
sys.exit(0 if expired and pending == 0 and pct(99) <= 2 else 1)
