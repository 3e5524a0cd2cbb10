#!/usr/bin/env bash
# Expiry lateness: 10,000 pending one-seat holds (held 60 s, placed over 60 s, so they fall due within one minute)
# on a fresh WebApi (Release, Kestrel on loopback, SQLite file, Hangfire in memory), then how late each was expired.
# Usage: bench/expiry-lateness.sh [InProcess|Redis]   (prints the figures; copy them into docs/BENCHMARKS.md)
# Needs: dotnet, curl, python3; redis-server for Redis. Bounded: about 3 minutes, everything stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:-InProcess}
HOLDS=${HOLDS:-10000}
FANS=200   # 50 holds each (the performance allows 100 seats per fan)
work=$(mktemp -d)
port_api=$((20000 + RANDOM % 10000)); port_redis=$((port_api + 1))
api="http://127.0.0.1:$port_api"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet build src/WebApi -c Release -nologo -v quiet >/dev/null
export ASPNETCORE_ENVIRONMENT=Production
# Production refuses demo-only settings: the bench chooses the simulated provider on purpose and brings its own keys.
export Payments__AllowSimulated=true Tickets__SigningKey="$(head -c 32 /dev/urandom | base64)"
FanIdentity__PrivateKeyPem="$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)"; export FanIdentity__PrivateKeyPem
export ConnectionStrings__Ticketing="Data Source=$work/ticketing.db" Database__SeedDemoData=true Database__AllowDemoAccounts=true
export Admin__Email=admin@bench.ticketing Admin__Password=admin-bench-1 DataProtection__KeysPath="$work/keys"
export RateLimits__HoldBurst=1000000 RateLimits__HoldsPerMinute=100000000 RateLimits__AuthPerMinute=1000000
# The fans are registered as set-up, not measured: registration's proof of work is off (docs/PROOF-OF-WORK.md).
export RegistrationProofOfWork__Mode=Off
export Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft__EntityFrameworkCore=None
export SeatLocks__Store="$STORE"
if [ "$STORE" = Redis ]; then
  redis-server --port "$port_redis" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$work/redis.log" 2>&1 & pids+=($!)
  export ConnectionStrings__Redis="127.0.0.1:$port_redis"
fi
(cd src/WebApi && exec timeout 600 dotnet bin/Release/net10.0/Ticketing.WebApi.dll --urls "$api") >"$work/api.log" 2>&1 & pids+=($!)
for _ in $(seq 1 120); do curl -fs "$api/health" >/dev/null 2>&1 && break; sleep 0.5; done

json() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }
login() { printf '%s\n' "$(curl -fs -XPOST "$api/api/accounts/login" -H 'content-type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" | json accessToken)"; }
org=$(login organizer@demo.ticketing organizer-demo-1)
open=$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ); close=$(date -u -d '+20 days' +%Y-%m-%dT%H:%M:%SZ); starts=$(date -u -d '+21 days' +%Y-%m-%dT%H:%M:%SZ)
event=$(curl -fs -XPOST "$api/api/organizer/events" -H "authorization: Bearer $org" -H 'content-type: application/json' \
  -d '{"title":"Expiry Benchmark","category":"Concert","venue":"Benchmark Hall","description":"expiry lateness"}' | json id)
rows=""; for r in $(seq 1 50); do rows="$rows{\"name\":\"$r\",\"grade\":\"R\",\"from\":1,\"to\":100,\"y\":$r},"; done
sections=""; for s in 1 2; do sections="$sections{\"name\":\"S$s\",\"rows\":[${rows%,}]},"; done   # 2 x 50 x 100 = 10,000 seats
perf=$(curl -fs -XPOST "$api/api/organizer/events/$event/performances" -H "authorization: Bearer $org" -H 'content-type: application/json' \
  -d "{\"startsAt\":\"$starts\",\"salesOpenAt\":\"$open\",\"salesCloseAt\":\"$close\",\"holdSeconds\":60,\"maxSeatsPerOrder\":4,\"maxSeatsPerFan\":100,\
\"seatMap\":{\"grades\":[{\"code\":\"R\",\"name\":\"R\",\"price\":100000}],\"sections\":[${sections%,}]}}" | json id)
curl -fs -XPOST "$api/api/organizer/events/$event/publish" -H "authorization: Bearer $org" >/dev/null
first_seat=$(curl -fs "$api/api/performances/$perf/seats" | grep -o '"seats":\[\[[0-9]*' | grep -o '[0-9]*$')

mkdir -p "$work/t"; batch=()
for i in $(seq 1 "$FANS"); do
  (curl -fs -XPOST "$api/api/accounts/register" -H 'content-type: application/json' -d "{\"email\":\"e$i@bench.ticketing\",\"password\":\"bench-pass-1\"}" >/dev/null
   login "e$i@bench.ticketing" bench-pass-1 > "$work/t/$i") & batch+=($!)
  if (( i % 8 == 0 )); then wait "${batch[@]}"; batch=(); fi
done
if [ "${#batch[@]}" -gt 0 ]; then wait "${batch[@]}"; fi
cat "$work"/t/* > "$work/tokens"
echo "seat locks: $STORE; performance $perf (10,000 seats, holds of 60 s); fans: $(grep -c . "$work/tokens"); $(nproc) cores"

API_PORT=$port_api DB_FILE="$work/ticketing.db" PERF=$perf FIRST_SEAT=$first_seat TOKENS="$work/tokens" HOLDS=$HOLDS SPREAD=60 HOLD_SECONDS=60 \
  python3 bench/expiry-lateness.py
