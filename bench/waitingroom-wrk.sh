#!/usr/bin/env bash
# Measures WaitingRoom join and status throughput against the Redis store, each as a ratio to the same
# server's trivial GET /health in the same run, then Redis memory per waiting fan.
# Needs: dotnet SDK, redis-server, wrk, python3, curl. Usage: bench/waitingroom-wrk.sh [seconds] [rounds] [memory-fans, 0 = skip]
set -euo pipefail
DURATION=${1:-15}
ROUNDS=${2:-3}
MEMORY_FANS=${3:-1000000}
REDIS_PORT=${REDIS_PORT:-6399}
APP_PORT=${APP_PORT:-5090}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
ADMIN_KEY=bench-admin-key-0123456789
BASE=http://127.0.0.1:$APP_PORT

cleanup() {
  [[ -n "${APP_PID:-}" ]] && kill "$APP_PID" 2>/dev/null || true
  [[ -n "${REDIS_PID:-}" ]] && kill "$REDIS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

dotnet build "$ROOT/src/WaitingRoom" -c Release -v quiet -nologo >/dev/null
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
# Production refuses generated keys: the bench brings its own.
WaitingRoom__TicketKey="$(head -c 32 /dev/urandom | base64)" \
WaitingRoom__Signing__PrivateKeyPem="$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)" \
WaitingRoom__Store=Redis ConnectionStrings__Redis=127.0.0.1:$REDIS_PORT WaitingRoom__AdminKey=$ADMIN_KEY \
WaitingRoom__JoinRateLimit__PermitLimit=1000000000 WaitingRoom__KeyDirectory="$WORK/keys" WaitingRoom__SeedDemoRoom=false \
Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$ROOT/src/WaitingRoom/bin/Release/net10.0/Ticketing.WaitingRoom.dll" --urls "$BASE" --contentRoot "$ROOT/src/WaitingRoom" >"$WORK/app.log" 2>&1 &
APP_PID=$!
until curl -sf "$BASE/health" >/dev/null; do sleep 0.2; done

# The room admits 1 fan/s, so the measured fans stay waiting (the common case). It is anonymous: the joins measure
# the queue, not the fan-identity check an account room adds (one ES256 verification per join).
curl -sf -X PUT "$BASE/api/admin/rooms/bench" -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"identity":"anonymous","performanceIds":[1],"ratePerSecond":1}' >/dev/null
python3 - "$BASE" "$WORK" <<'PY'
import json, sys, urllib.request
base, work = sys.argv[1], sys.argv[2]
tickets = [json.load(urllib.request.urlopen(urllib.request.Request(base + "/api/rooms/bench/join", method="POST")))["ticket"] for _ in range(1000)]
with open(work + "/status.lua", "w") as f:
    f.write("local tickets = {\n" + "".join('  "%s",\n' % t for t in tickets) + "}\nlocal i = 0\n")
    f.write('request = function()\n  i = i % #tickets + 1\n  return wrk.format("GET", "/api/rooms/bench/status", { ["X-Queue-Ticket"] = tickets[i] })\nend\n')
with open(work + "/join.lua", "w") as f:
    f.write('wrk.method = "POST"\n')
PY

rps() { wrk -t1 -c64 -d"${DURATION}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
# Warm-up (JIT, connection pools, Lua script cache).
wrk -t1 -c64 -d5s "$BASE/health" >/dev/null
wrk -t1 -c64 -d5s -s "$WORK/join.lua" "$BASE/api/rooms/bench/join" >/dev/null
wrk -t1 -c64 -d5s -s "$WORK/status.lua" "$BASE" >/dev/null

echo "round,health_rps,join_rps,status_rps,join_ratio,status_ratio"
for round in $(seq 1 "$ROUNDS"); do
  h=$(rps "$BASE/health")
  j=$(rps -s "$WORK/join.lua" "$BASE/api/rooms/bench/join")
  s=$(rps -s "$WORK/status.lua" "$BASE")
  echo "$round,$h,$j,$s,$(python3 -c "print(round($j/$h,3))"),$(python3 -c "print(round($s/$h,3))")"
done

[[ "$MEMORY_FANS" -gt 0 ]] || exit 0

# Memory per waiting fan: a fresh room, MEMORY_FANS joins through the real HTTP join path.
curl -sf -X PUT "$BASE/api/admin/rooms/mem" -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"identity":"anonymous","performanceIds":[1],"ratePerSecond":1,"mode":"paused"}' >/dev/null
before=$(redis-cli -p "$REDIS_PORT" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r')
# wrk has no request-count limit: run it until the hash holds MEMORY_FANS fans, then stop it.
wrk -t1 -c64 -d3600s -s "$WORK/join.lua" "$BASE/api/rooms/mem/join" >/dev/null &
WRK_PID=$!
while [ "$(redis-cli -p "$REDIS_PORT" hlen 'wr:{mem}:fans')" -lt "$MEMORY_FANS" ]; do sleep 1; done
kill "$WRK_PID"
wait "$WRK_PID" || true
fans=$(redis-cli -p "$REDIS_PORT" hlen "wr:{mem}:fans")
after=$(redis-cli -p "$REDIS_PORT" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r')
echo "memory: fans=$fans used_memory_before=$before used_memory_after=$after bytes_per_fan=$(python3 -c "print(round(($after-$before)/$fans,1))")"
redis-cli -p "$REDIS_PORT" memory usage "wr:{mem}:fans" | awk '{print "memory usage of the fans hash: " $1 " bytes"}'
