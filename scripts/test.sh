#!/usr/bin/env bash
# The test command: installs what the tests need, builds, checks the SQL Server migration script,
# runs every test project, and ends with the line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
# The on-sale test runs bench/onsale: curl waits for the services, openssl makes their keys.
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# Korean text in the queue page's screenshots (the tests pass without it, the screenshots show boxes).
[ -e /usr/share/fonts/truetype/nanum ] || need_apt+=(fonts-nanum)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing: ${need_apt[*]}. Install them (sudo apt-get install -y ${need_apt[*]}) and run again." >&2
    exit 1
  fi
  echo "Installing ${need_apt[*]}..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The queue page's browser test and the independent JWT check run node packages pinned by package-lock.json.
(cd tests/WaitingRoom.Tests/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
dotnet tool restore >/dev/null
dotnet build Ticketing.sln -c Release -nologo -v quiet

# No known-vulnerable package, direct or transitive: the audit warnings are errors in the build, and this
# catches an advisory published after the last restore.
vulnerable=$(dotnet list Ticketing.sln package --vulnerable --include-transitive 2>&1)
if echo "$vulnerable" | grep -q 'has the following vulnerable packages'; then
  echo "$vulnerable" >&2
  echo "A package with a known vulnerability is referenced (see above)." >&2
  exit 1
fi

# The SQL Server schema is generated on every run so a model change can never silently break it.
mkdir -p artifacts
dotnet ef migrations script --idempotent --no-build --configuration Release \
  --project src/Infrastructure --startup-project src/Infrastructure \
  --context SqlServerAppDbContext --output artifacts/sqlserver-schema.sql >/dev/null
echo "SQL Server migration script: artifacts/sqlserver-schema.sql ($(wc -l < artifacts/sqlserver-schema.sql) lines)"

results=TestResults
rm -rf "$results"
status=0
dotnet test Ticketing.sln -c Release --no-build --logger "trx" --results-directory "$results" -- RunConfiguration.CollectSourceInformation=false || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); n=$(get notExecuted); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${n:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
