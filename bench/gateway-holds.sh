#!/usr/bin/env bash
# Holds through the gateway ÷ holds straight to the WebApi, in one run against ONE WebApi (Release, Kestrel, SQLite
# file, Redis seat locks): per round, 2-seat holds with 64 connections straight to the WebApi, then the same through
# the WaitingRoom gateway (YARP, pass check step included), each on fresh performances, every hold a real 201.
# The performances are not paced by a room, so the gateway's pass check costs its path match and one lookup.
# Needs: dotnet, redis-server, wrk, curl, bc.
# PIN=1 gives the WebApi (and Redis) CPU 0 and the gateway and wrk CPU 1 in both runs, as deployed (the gateway on
# its own cores): the WebApi has the same CPU whether the holds come straight or through the gateway.
# Usage: [ROUNDS=3] [FANS=1200] [PIN=1] bench/gateway-holds.sh [duration-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=64
THREADS=2
work=$(mktemp -d)
port_api=$((20000 + RANDOM % 10000)); port_redis=$((port_api + 1)); port_gw=$((port_api + 2))
api="http://127.0.0.1:$port_api"; gw="http://127.0.0.1:$port_gw"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
on_api=(); on_gw=()
if [ "${PIN:-0}" = 1 ]; then on_api=(taskset -c 0); on_gw=(taskset -c 1); fi

dotnet build src/WebApi -c Release -nologo -v quiet >/dev/null
dotnet build src/WaitingRoom -c Release -nologo -v quiet >/dev/null
"${on_api[@]}" redis-server --port "$port_redis" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$work/redis.log" 2>&1 & pids+=($!)

export ASPNETCORE_ENVIRONMENT=Production
# Production refuses demo-only settings: the bench chooses the simulated provider on purpose and brings its own keys.
export Payments__AllowSimulated=true Tickets__SigningKey="$(head -c 32 /dev/urandom | base64)"
FanIdentity__PrivateKeyPem="$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)"; export FanIdentity__PrivateKeyPem
export Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft__EntityFrameworkCore=None
(
  export ConnectionStrings__Ticketing="Data Source=$work/ticketing.db" Database__SeedDemoData=true Database__AllowDemoAccounts=true
  export Admin__Email=admin@bench.ticketing Admin__Password=admin-bench-1 DataProtection__KeysPath="$work/keys"
  export SeatLocks__Store=Redis ConnectionStrings__Redis="127.0.0.1:$port_redis"
  export RateLimits__HoldBurst=1000000 RateLimits__HoldsPerMinute=100000000 RateLimits__AuthPerMinute=1000000
  # The fans are registered as set-up, not measured: registration's proof of work is off (docs/PROOF-OF-WORK.md).
  export RegistrationProofOfWork__Mode=Off
  cd src/WebApi && exec "${on_api[@]}" dotnet bin/Release/net10.0/Ticketing.WebApi.dll --urls "$api"
) >"$work/api.log" 2>&1 & pids+=($!)
(
  export Gateway__Destinations__0="$api" WaitingRoom__SeedDemoRoom=false WaitingRoom__KeyDirectory="$work/wr-keys"
  export WaitingRoom__AdminKey="$(head -c 24 /dev/urandom | base64)" WaitingRoom__TicketKey="$(head -c 32 /dev/urandom | base64)"
  WaitingRoom__Signing__PrivateKeyPem="$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)"; export WaitingRoom__Signing__PrivateKeyPem
  cd src/WaitingRoom && exec "${on_gw[@]}" dotnet bin/Release/net10.0/Ticketing.WaitingRoom.dll --urls "$gw"
) >"$work/gateway.log" 2>&1 & pids+=($!)
for _ in $(seq 1 120); do curl -fs "$api/health" >/dev/null 2>&1 && curl -fs "$gw/health" >/dev/null 2>&1 && break; sleep 0.5; done

json() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }
login() { printf '%s\n' "$(curl -fs -XPOST "$api/api/accounts/login" -H 'content-type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" | json accessToken)"; }
org=$(login organizer@demo.ticketing organizer-demo-1)
open=$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)
close=$(date -u -d '+20 days' +%Y-%m-%dT%H:%M:%SZ); starts=$(date -u -d '+21 days' +%Y-%m-%dT%H:%M:%SZ)
event=$(curl -fs -XPOST "$api/api/organizer/events" -H "authorization: Bearer $org" -H 'content-type: application/json' \
  -d '{"title":"Gateway Benchmark","category":"Concert","venue":"Benchmark Stadium","description":"load test"}' | json id)
rows=""; for r in $(seq 1 50); do rows="$rows{\"name\":\"$r\",\"grade\":\"R\",\"from\":1,\"to\":100,\"y\":$r},"; done
sections=""; for s in $(seq 1 20); do sections="$sections{\"name\":\"S$s\",\"rows\":[${rows%,}]},"; done
echo "{\"startsAt\":\"$starts\",\"salesOpenAt\":\"$open\",\"salesCloseAt\":\"$close\",\"maxSeatsPerOrder\":4,\"maxSeatsPerFan\":100,\
\"seatMap\":{\"grades\":[{\"code\":\"R\",\"name\":\"R\",\"price\":100000}],\"sections\":[${sections%,}]}}" > "$work/p100k.json"
new_perf() { curl -fs -XPOST "$api/api/organizer/events/$event/performances" -H "authorization: Bearer $org" -H 'content-type: application/json' --data-binary @"$work/p100k.json" | json id; }
perfs=(); for _ in $(seq 1 $((ROUNDS * 4 + 2))); do perfs+=("$(new_perf)"); done   # two 100,000-seat performances per run, plus warm-up
curl -fs -XPOST "$api/api/organizer/events/$event/publish" -H "authorization: Bearer $org" >/dev/null
first_seat_of() { curl -fs "$api/api/performances/$1/seats" | grep -o '"seats":\[\[[0-9]*' | grep -o '[0-9]*$'; }

fans=${FANS:-1200}
batch=()
for i in $(seq 1 "$fans"); do
  curl -fs -XPOST "$api/api/accounts/register" -H 'content-type: application/json' -d "{\"email\":\"g$i@bench.ticketing\",\"password\":\"bench-pass-1\"}" >/dev/null & batch+=($!)
  if (( i % 8 == 0 )); then wait "${batch[@]}"; batch=(); fi
done
if [ "${#batch[@]}" -gt 0 ]; then wait "${batch[@]}"; fi
mkdir -p "$work/t"; batch=()
for i in $(seq 1 "$fans"); do
  (login "g$i@bench.ticketing" bench-pass-1 > "$work/t/$i") & batch+=($!)
  if (( i % 8 == 0 )); then wait "${batch[@]}"; batch=(); fi
done
if [ "${#batch[@]}" -gt 0 ]; then wait "${batch[@]}"; fi
cat "$work"/t/* > "$work/tokens"
echo "fans: $(wc -l < "$work/tokens"); performances: ${perfs[*]}"

holds_run() { # base-url, "perfA,perfB", seconds -> prints "holds_per_sec other p50 p99"
  local firsts="" q line
  for q in ${2//,/ }; do firsts="$firsts${firsts:+,}$(first_seat_of "$q")"; done
  line=$(TOKENS="$work/tokens" PERF=$2 FIRST_SEAT=$firsts HOLDS_PER_FAN=50 THREADS=$THREADS \
    "${on_gw[@]}" wrk -t$THREADS -c$CONNECTIONS -d"$3s" --latency -s bench/holds.lua "$1" | grep HOLDS)
  local created other secs p50 p99
  created=$(sed -n 's/.*created=\([0-9]*\).*/\1/p' <<<"$line"); other=$(sed -n 's/.*other=\([0-9]*\).*/\1/p' <<<"$line")
  secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$line")
  p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$line"); p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$line")
  echo "$(echo "scale=1; $created / $secs" | bc) $other $p50 $p99"
}
echo "== warm-up (JIT, caches, connections): 3 s each way, not counted"
holds_run "$api" "${perfs[0]}" 3 >/dev/null; holds_run "$gw" "${perfs[1]}" 3 >/dev/null
echo "== $ROUNDS rounds of ${DURATION} s each way"
printf '| round | direct holds 201/s | direct p50 / p99 | gateway holds 201/s | gateway p50 / p99 | non-201 | gateway ÷ direct |\n|---|---|---|---|---|---|---|\n' > "$work/table.md"
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  base=$((2 + (r - 1) * 4))
  read -r d_rate d_other d_p50 d_p99 <<<"$(holds_run "$api" "${perfs[$base]},${perfs[$((base + 1))]}" "$DURATION")"
  read -r g_rate g_other g_p50 g_p99 <<<"$(holds_run "$gw" "${perfs[$((base + 2))]},${perfs[$((base + 3))]}" "$DURATION")"
  ratio=$(echo "scale=3; $g_rate / $d_rate" | bc); ratios+=("$ratio")
  echo "| $r | $d_rate | $d_p50 / $d_p99 ms | $g_rate | $g_p50 / $g_p99 ms | $((d_other + g_other)) | $ratio |" | tee -a "$work/table.md"
done
echo; cat "$work/table.md"
echo "median gateway ÷ direct: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")"
