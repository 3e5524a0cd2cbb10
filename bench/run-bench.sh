#!/usr/bin/env bash
# Load benchmark of the WebApi over real HTTP (Release build, Kestrel, SQLite file, Redis seat locks):
#   1. trivial endpoint (GET /health) throughput, the machine's yardstick;
#   2. 2-seat holds with 64 concurrent clients, every hold a real success (201);
#   3. seat map of a 5,000-seat and a 40,000-seat performance (gzip, cached render): size and latency.
# Everything runs in one go so the ratios compare like with like. Needs: dotnet, redis-server, wrk, curl.
# Usage: [ROUNDS=3] [FANS=1500] bench/run-bench.sh [duration-seconds]   (results are printed; copy them into docs/BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTIONS=64
THREADS=2
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
now=$(date -u +%Y-%m-%dT%H:%M:%SZ); open=$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)
close=$(date -u -d '+20 days' +%Y-%m-%dT%H:%M:%SZ); starts=$(date -u -d '+21 days' +%Y-%m-%dT%H:%M:%SZ)
event=$(curl -fs -XPOST "$api/api/organizer/events" -H "authorization: Bearer $org" -H 'content-type: application/json' \
  -d '{"title":"Benchmark Stadium","category":"Concert","venue":"Benchmark Stadium","description":"load test"}' | json id)
# rows as ranges: $1 sections x 50 rows x $2 seats
perf_body() {
  local secs=$1 per=$2 rows="" r out="" s
  for r in $(seq 1 50); do rows="$rows{\"name\":\"$r\",\"grade\":\"R\",\"from\":1,\"to\":$per,\"y\":$r},"; done
  rows="[${rows%,}]"
  for s in $(seq 1 "$secs"); do out="$out{\"name\":\"S$s\",\"rows\":$rows},"; done
  echo "{\"startsAt\":\"$starts\",\"salesOpenAt\":\"$open\",\"salesCloseAt\":\"$close\",\"maxSeatsPerOrder\":4,\"maxSeatsPerFan\":100,\
\"seatMap\":{\"grades\":[{\"code\":\"R\",\"name\":\"R\",\"price\":100000}],\"sections\":[${out%,}]}}"
}
perf_body 20 100 > "$work/p100k.json"   # 20 x 50 x 100 = 100,000 seats
perf_body 8 100 > "$work/p40k.json"     # 8 x 50 x 100 = 40,000 seats
upload_start=$(date +%s.%N)
p100=$(curl -fs -XPOST "$api/api/organizer/events/$event/performances" -H "authorization: Bearer $org" -H 'content-type: application/json' --data-binary @"$work/p100k.json" | json id)
upload_end=$(date +%s.%N)
ROUNDS=${ROUNDS:-3}
holdperfs=()   # per round two fresh 100,000-seat performances (room for 100,000 2-seat holds): fresh seats, every fan's limit at zero
for _ in $(seq 1 $((ROUNDS * 2))); do
  holdperfs+=("$(curl -fs -XPOST "$api/api/organizer/events/$event/performances" -H "authorization: Bearer $org" -H 'content-type: application/json' --data-binary @"$work/p100k.json" | json id)")
done
p40=$(curl -fs -XPOST "$api/api/organizer/events/$event/performances" -H "authorization: Bearer $org" -H 'content-type: application/json' --data-binary @"$work/p40k.json" | json id)
curl -fs -XPOST "$api/api/organizer/events/$event/publish" -H "authorization: Bearer $org" >/dev/null
first_seat_of() { curl -fs "$api/api/performances/$1/seats" | grep -o '"seats":\[\[[0-9]*' | grep -o '[0-9]*$'; }
echo "100,000-seat upload: $(echo "$upload_end - $upload_start" | bc) s; performances ${holdperfs[*]} (100k each, two per round), $p100 (100k, warm-up), $p40 (40k)"

# Each fan holds up to 50 times (100 seats, the performance's per-fan limit), so a run of D seconds at R holds/s
# needs D*R/50 fans; registering them is the slow part of the set-up (password hashing).
fans=${FANS:-1500}
: > "$work/tokens"
batch=()
for i in $(seq 1 "$fans"); do
  curl -fs -XPOST "$api/api/accounts/register" -H 'content-type: application/json' -d "{\"email\":\"b$i@bench.ticketing\",\"password\":\"bench-pass-1\"}" >/dev/null & batch+=($!)
  if (( i % 8 == 0 )); then wait "${batch[@]}"; batch=(); fi
done
if [ "${#batch[@]}" -gt 0 ]; then wait "${batch[@]}"; fi
mkdir -p "$work/t"
batch=()
for i in $(seq 1 "$fans"); do
  (login "b$i@bench.ticketing" bench-pass-1 > "$work/t/$i") & batch+=($!)
  if (( i % 8 == 0 )); then wait "${batch[@]}"; batch=(); fi
done
if [ "${#batch[@]}" -gt 0 ]; then wait "${batch[@]}"; fi
cat "$work"/t/* > "$work/tokens"
echo "fans: $(wc -l < "$work/tokens")"

holds_round() { # performances "a,b", seconds, output file
  local firsts="" q
  for q in ${1//,/ }; do firsts="$firsts${firsts:+,}$(first_seat_of "$q")"; done
  TOKENS="$work/tokens" PERF=$1 FIRST_SEAT=$firsts HOLDS_PER_FAN=50 THREADS=$THREADS \
    wrk -t$THREADS -c$CONNECTIONS -d"$2s" --latency -s bench/holds.lua "$api" > "$3"
}
echo "== warm-up (JIT, caches): 5 s of each, not counted"
wrk -t$THREADS -c$CONNECTIONS -d5s "$api/health" >/dev/null
holds_round "$p100" 5 "$work/warm.txt"; grep HOLDS "$work/warm.txt"
echo "== $ROUNDS rounds: trivial endpoint (GET /health), then 2-seat holds, ${DURATION} s each"
printf '| round | trivial req/s | trivial p50 | holds 201/s | non-201 | hold p50 | hold p99 | holds / trivial |\n|---|---|---|---|---|---|---|---|\n' > "$work/table.md"
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  wrk -t$THREADS -c$CONNECTIONS -d"${DURATION}s" --latency "$api/health" > "$work/trivial.txt"
  holds_round "${holdperfs[$((2 * r - 2))]},${holdperfs[$((2 * r - 1))]}" "$DURATION" "$work/holds.txt"
  trivial=$(grep Requests/sec "$work/trivial.txt" | awk '{print $2}')
  trivial_p50=$(grep -E '^ +50%' "$work/trivial.txt" | awk '{print $2}')
  line=$(grep HOLDS "$work/holds.txt")
  created=$(sed -n 's/.*created=\([0-9]*\).*/\1/p' <<<"$line"); other=$(sed -n 's/.*other=\([0-9]*\).*/\1/p' <<<"$line")
  secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$line")
  p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$line"); p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$line")
  holds_per_sec=$(echo "scale=1; $created / $secs" | bc)
  ratio=$(echo "scale=3; $holds_per_sec / $trivial" | bc); ratios+=("$ratio")
  echo "| $r | $trivial | $trivial_p50 | $holds_per_sec | $other | ${p50} ms | ${p99} ms | $ratio |" | tee -a "$work/table.md"
done
echo; cat "$work/table.md"
echo "median holds / trivial: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")"

echo "== seat maps"
for p in 1 "$p40"; do
  size=$(curl -s -o /dev/null -w '%{size_download}' "$api/api/performances/$p/seats")
  gz=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$api/api/performances/$p/seats")
  seats=$(curl -s "$api/api/performances/$p/seats" | grep -o '"total":[0-9]*' | grep -o '[0-9]*$')
  cold=()
  for _ in 1 2 3 4 5; do sleep 1.2; cold+=("$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{time_total}' "$api/api/performances/$p/seats")"); done
  median=$(printf '%s\n' "${cold[@]}" | sort -n | sed -n 3p)
  echo "performance $p: $seats seats, $size bytes JSON, $gz bytes gzip; uncached render+send median of 5: ${median}s"
  wrk -t$THREADS -c16 -d"${DURATION}s" --latency -H 'Accept-Encoding: gzip' "$api/api/performances/$p/seats" | grep -E "Requests/sec|50%|99%"
done
