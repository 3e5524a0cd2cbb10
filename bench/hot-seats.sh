#!/usr/bin/env bash
# A hot on-sale over real HTTP (Release build, Kestrel, SQLite file, Redis seat locks, rate limits lifted):
#   1. trivial endpoint (GET /health), the machine's yardstick;
#   2. hot seats: C clients (10, 50, 200), each with its own fan token, hold one of 5 hot seats of one fresh
#      performance; all but 5 answers are 409s. Granted holds are counted from the database afterwards;
#   3. the uncontended 2-seat hold at 64 clients (bench/holds.lua: every request a real 201).
# All in one run, ROUNDS times, so the ratios compare like with like; medians are printed at the end.
# Needs: dotnet, redis-server, wrk, curl, sqlite3, bc.
# Usage: [ROUNDS=3] bench/hot-seats.sh [duration-seconds, default 10, at most 15]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
ROUNDS=${ROUNDS:-3}
FANS=200
THREADS=2
HOT_CLIENTS=(10 50 200)
work=$(mktemp -d)
port_api=$((20000 + RANDOM % 10000)); port_redis=$((port_api + 1))
api="http://127.0.0.1:$port_api"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet build src/WebApi -c Release -nologo -v quiet >/dev/null
redis-server --port "$port_redis" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$work/redis.log" 2>&1 & pids+=($!)

export ASPNETCORE_ENVIRONMENT=Production
# Production refuses demo-only settings: the bench chooses the simulated provider on purpose and brings its own keys.
export Payments__AllowSimulated=true Tickets__SigningKey="$(head -c 32 /dev/urandom | base64)"
FanIdentity__PrivateKeyPem="$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)"; export FanIdentity__PrivateKeyPem
export ConnectionStrings__Ticketing="Data Source=$work/ticketing.db" Database__SeedDemoData=true Database__AllowDemoAccounts=true
export Admin__Email=admin@bench.ticketing Admin__Password=admin-bench-1 DataProtection__KeysPath="$work/keys"
export SeatLocks__Store=Redis ConnectionStrings__Redis="127.0.0.1:$port_redis"
export RateLimits__HoldBurst=1000000 RateLimits__HoldsPerMinute=100000000 RateLimits__AuthPerMinute=1000000
# The fans are registered as set-up, not measured: registration's proof of work is off (docs/PROOF-OF-WORK.md).
export RegistrationProofOfWork__Mode=Off
export Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft__EntityFrameworkCore=None
(cd src/WebApi && exec dotnet bin/Release/net10.0/Ticketing.WebApi.dll --urls "$api") >"$work/api.log" 2>&1 & pids+=($!)
for _ in $(seq 1 120); do curl -fs "$api/health" >/dev/null 2>&1 && break; sleep 0.5; done

json() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }
login() { printf '%s\n' "$(curl -fs -XPOST "$api/api/accounts/login" -H 'content-type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" | json accessToken)"; }
org=$(login organizer@demo.ticketing organizer-demo-1)
open=$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)
close=$(date -u -d '+20 days' +%Y-%m-%dT%H:%M:%SZ); starts=$(date -u -d '+21 days' +%Y-%m-%dT%H:%M:%SZ)
event=$(curl -fs -XPOST "$api/api/organizer/events" -H "authorization: Bearer $org" -H 'content-type: application/json' \
  -d '{"title":"Hot Seats","category":"Concert","venue":"Hot Seats Arena","description":"load test"}' | json id)
perf_body() { # $1 sections x 50 rows x $2 seats
  local secs=$1 per=$2 rows="" r out="" s
  for r in $(seq 1 50); do rows="$rows{\"name\":\"$r\",\"grade\":\"R\",\"from\":1,\"to\":$per,\"y\":$r},"; done
  rows="[${rows%,}]"
  for s in $(seq 1 "$secs"); do out="$out{\"name\":\"S$s\",\"rows\":$rows},"; done
  echo "{\"startsAt\":\"$starts\",\"salesOpenAt\":\"$open\",\"salesCloseAt\":\"$close\",\"maxSeatsPerOrder\":4,\"maxSeatsPerFan\":100,\
\"seatMap\":{\"grades\":[{\"code\":\"R\",\"name\":\"R\",\"price\":100000}],\"sections\":[${out%,}]}}"
}
perf_body 1 10 > "$work/hot.json"     # 500 seats, 5 of them hot
perf_body 4 100 > "$work/p20k.json"   # 20,000 seats: one pass of 200 fans x 50 two-seat holds
new_perf() { curl -fs -XPOST "$api/api/organizer/events/$event/performances" -H "authorization: Bearer $org" -H 'content-type: application/json' --data-binary @"$work/$1" | json id; }
UNCONTENDED_PERFS=${UNCONTENDED_PERFS:-8}   # 8 x 10,000 holds per round: room for 5,300 holds/s for 15 s
warm_hot=$(new_perf hot.json); warm_free=$(new_perf p20k.json)
hotperfs=(); freeperfs=()
for _ in $(seq 1 $((ROUNDS * ${#HOT_CLIENTS[@]}))); do hotperfs+=("$(new_perf hot.json)"); done
for _ in $(seq 1 $((ROUNDS * UNCONTENDED_PERFS))); do freeperfs+=("$(new_perf p20k.json)"); done
curl -fs -XPOST "$api/api/organizer/events/$event/publish" -H "authorization: Bearer $org" >/dev/null
first_seat_of() { curl -fs "$api/api/performances/$1/seats" | grep -o '"seats":\[\[[0-9]*' | grep -o '[0-9]*$'; }
hot_seats_of() { local f; f=$(first_seat_of "$1"); echo "$f,$((f + 1)),$((f + 2)),$((f + 3)),$((f + 4))"; }

batch=()
for i in $(seq 1 "$FANS"); do
  curl -fs -XPOST "$api/api/accounts/register" -H 'content-type: application/json' -d "{\"email\":\"h$i@bench.ticketing\",\"password\":\"bench-pass-1\"}" >/dev/null & batch+=($!)
  if (( i % 8 == 0 )); then wait "${batch[@]}"; batch=(); fi
done
if [ "${#batch[@]}" -gt 0 ]; then wait "${batch[@]}"; fi
mkdir -p "$work/t"; batch=()
for i in $(seq 1 "$FANS"); do
  (login "h$i@bench.ticketing" bench-pass-1 > "$work/t/$i") & batch+=($!)
  if (( i % 8 == 0 )); then wait "${batch[@]}"; batch=(); fi
done
if [ "${#batch[@]}" -gt 0 ]; then wait "${batch[@]}"; fi
cat "$work"/t/* > "$work/tokens"
echo "fans: $(wc -l < "$work/tokens"); hot performances ${hotperfs[*]}"

hot_round() { # performance, clients, seconds, output file
  TOKENS="$work/tokens" PERF=$1 SEATS=$(hot_seats_of "$1") THREADS=$THREADS CONNECTIONS=$2 \
    wrk -t$THREADS -c"$2" -d"$3s" --latency -s bench/hot-seats.lua "$api" > "$4"
}
free_round() { # "a,b,..." performances, seconds, output file
  local firsts="" q
  for q in ${1//,/ }; do firsts="$firsts${firsts:+,}$(first_seat_of "$q")"; done
  TOKENS="$work/tokens" PERF=$1 FIRST_SEAT=$firsts SEATS_PER_PERF=20000 HOLDS_PER_FAN=50 THREADS=$THREADS \
    wrk -t$THREADS -c64 -d"$2s" --latency -s bench/holds.lua "$api" > "$3"
}
granted() { # live held seats of a performance, from the database
  sqlite3 "$work/ticketing.db" "PRAGMA busy_timeout=5000; SELECT COUNT(*) FROM OrderLines l JOIN Orders o ON o.Id = l.OrderId WHERE o.PerformanceId = $1 AND l.IsLive = 1;" | tail -1
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
median() { sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p"; }

echo "== warm-up (JIT, caches): 5 s of each, not counted"
wrk -t$THREADS -c64 -d5s "$api/health" >/dev/null
hot_round "$warm_hot" 200 5 "$work/warm.txt"; grep HOT "$work/warm.txt"
free_round "$warm_free" 5 "$work/warm.txt"; grep HOLDS "$work/warm.txt"

echo "== $ROUNDS rounds of ${DURATION} s steps; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
table="$work/table.md"
printf '| round | trivial req/s | clients | answers/s | 201 | 409 | other | granted (db) | p50 | p99 | ÷ trivial |\n|---|---|---|---|---|---|---|---|---|---|---|\n' > "$table"
declare -A ratios p99s
for r in $(seq 1 "$ROUNDS"); do
  wrk -t$THREADS -c64 -d"${DURATION}s" --latency "$api/health" > "$work/trivial.txt"
  trivial=$(grep Requests/sec "$work/trivial.txt" | awk '{print $2}')
  i=0
  for c in "${HOT_CLIENTS[@]}"; do
    perf=${hotperfs[$(( (r - 1) * ${#HOT_CLIENTS[@]} + i ))]}; i=$((i + 1))
    hot_round "$perf" "$c" "$DURATION" "$work/hot.txt"
    line=$(grep HOT "$work/hot.txt")
    created=$(field created "$line"); conflicts=$(field conflicts "$line"); other=$(field other "$line")
    secs=$(field seconds "$line"); p50=$(field p50_ms "$line"); p99=$(field p99_ms "$line")
    rate=$(echo "scale=1; ($created + $conflicts + $other) / $secs" | bc)
    ratio=$(echo "scale=3; $rate / $trivial" | bc)
    ratios[$c]+="$ratio "; p99s[$c]+="$p99 "
    echo "| $r | $trivial | $c hot | $rate | $created | $conflicts | $other | $(granted "$perf") | $p50 ms | $p99 ms | $ratio |" | tee -a "$table"
  done
  list=$(IFS=,; echo "${freeperfs[*]:$(( (r - 1) * UNCONTENDED_PERFS )):$UNCONTENDED_PERFS}")
  free_round "$list" "$DURATION" "$work/free.txt"
  line=$(grep HOLDS "$work/free.txt")
  created=$(field created "$line"); other=$(field other "$line"); secs=$(field seconds "$line")
  p50=$(field p50_ms "$line"); p99=$(field p99_ms "$line")
  rate=$(echo "scale=1; $created / $secs" | bc); ratio=$(echo "scale=3; $rate / $trivial" | bc)
  ratios[free]+="$ratio "; p99s[free]+="$p99 "
  echo "| $r | $trivial | 64 uncontended | $rate | $created | - | $other | - | $p50 ms | $p99 ms | $ratio |" | tee -a "$table"
done
echo; cat "$table"; echo
for k in "${HOT_CLIENTS[@]}" free; do
  echo "median $k: answers/s ÷ trivial $(tr ' ' '\n' <<<"${ratios[$k]}" | grep . | median), p99 $(tr ' ' '\n' <<<"${p99s[$k]}" | grep . | median) ms"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
