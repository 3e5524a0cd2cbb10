#!/usr/bin/env bash
# The run command: builds and starts the WaitingRoom and the WebApi on their embedded defaults
# (SQLite files under each project's data/ folder, in-process stores, simulated payments, demo data),
# then prints where everything is. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

API_URL=${API_URL:-http://localhost:5000}
ROOM_URL=${ROOM_URL:-http://localhost:5080}
# Registration asks the WaitingRoom how much proof of work it costs (docs/PROOF-OF-WORK.md).
export RegistrationProofOfWork__PolicyUrl=${RegistrationProofOfWork__PolicyUrl:-$ROOM_URL/api/rooms/proof-of-work}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}

echo "Building..."
dotnet build Ticketing.sln -c Debug -nologo -v quiet

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

mkdir -p data
start() { # name project url
  local name=$1 project=$2 url=$3
  (cd "src/$project" && exec dotnet run --no-build --no-launch-profile --urls "$url") >"data/$name.log" 2>&1 &
  pids+=($!)
}

wait_healthy() { # name url pid
  local name=$1 url=$2
  for _ in $(seq 1 120); do
    if curl -fs "$url/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "$name did not start; its log (data/$name.log):" >&2
  tail -n 40 "data/$name.log" >&2
  exit 1
}

# The WaitingRoom is the fans' gateway: it proxies everything it does not serve itself to the WebApi.
export Gateway__Destinations__0=${Gateway__Destinations__0:-$API_URL}
export AccessPasses__JwksUrl=${AccessPasses__JwksUrl:-$ROOM_URL/.well-known/jwks.json}
export WaitingRoom__FanIdentity__JwksUrl=${WaitingRoom__FanIdentity__JwksUrl:-$API_URL/.well-known/fan-identity/jwks.json}
if [ -d src/WaitingRoom ]; then start waitingroom WaitingRoom "$ROOM_URL"; fi
start webapi WebApi "$API_URL"
if [ -d src/WaitingRoom ]; then wait_healthy WaitingRoom "$ROOM_URL"; fi
wait_healthy WebApi "$API_URL"

cat <<INFO

Ticketing is running (logs in data/*.log). Ctrl-C stops it.

Fans start here (the gateway, one origin for pages and API):
  Queue page        $ROOM_URL/queue/demo   (an account room: sign in first, e.g. as the demo fan below)
  Booking pages     $ROOM_URL/book/
  Booking API       $ROOM_URL/api/...      (proxied to the WebApi; holds of paced performances need the pass cookie)

Behind it:
  API docs          $API_URL/docs          (OpenAPI: $API_URL/openapi/v1.json)
  Waiting-room docs $ROOM_URL/docs         (OpenAPI: $ROOM_URL/openapi/v1.json)
  Metrics, health   $API_URL/metrics  $API_URL/health/ready  (the same on $ROOM_URL)
  Admin dashboard   $ROOM_URL/admin        (through the gateway, where its links to the other admin pages work; also $API_URL/admin)
  Organizer sales   $ROOM_URL/organizer/   (through the gateway; straight on the WebApi: $API_URL/organizer/)
  Waiting rooms     $ROOM_URL/waitingroom/admin   (log in with the waiting-room admin key below)
  Jobs (Hangfire)   $ROOM_URL/hangfire     (admins: log in on /admin first; also $API_URL/hangfire)
  Events            $API_URL/api/events

Demo accounts (embedded default only):
  admin       admin@demo.ticketing       admin-demo-1
  organizer   organizer@demo.ticketing   organizer-demo-1
  fan         fan@demo.ticketing         fan-demo-1
INFO
# The admin key itself is never printed (nor logged): terminals and CI logs travel further than a file.
if [ -n "${WaitingRoom__AdminKey:-}" ]; then
  echo "  waiting-room admin key (X-Admin-Key): the WaitingRoom__AdminKey you set"
elif [ "$ASPNETCORE_ENVIRONMENT" = Development ]; then
  echo "  waiting-room admin key (X-Admin-Key): in src/WaitingRoom/data/keys/admin-key.txt"
  echo "    (the development key, generated once there; git-ignored, readable by you only)"
fi
wait
