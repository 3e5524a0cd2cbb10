#!/usr/bin/env bash
# Set-up shared by bench scripts (sourced, not run): a work folder removed at exit, free loopback ports, a private
# redis-server, the processes started (stopped at exit, by their own pid), a wait for /health, and the CPU each used.

BENCH_PIDS=(); BENCH_NAMES=()

# A temporary folder in BENCH_WORK; everything started through bench_track is stopped and the folder removed at exit.
bench_workdir() {
  BENCH_WORK=$(mktemp -d)
  trap bench_cleanup EXIT
}

bench_cleanup() {
  local p
  for p in "${BENCH_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "logs and database kept in $BENCH_WORK"; else rm -rf "$BENCH_WORK"; fi
}

# bench_free_ports N: N distinct loopback ports nothing listens on (from a random start in 20000-59999, each one
# refusing a connection), on one line.
bench_free_ports() {
  local p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000)) found=()
  while [ "${#found[@]}" -lt "$1" ]; do
    p=$(( p >= 59999 ? 20000 : p + 1 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || found+=("$p")
  done
  echo "${found[*]}"
}

# bench_track PID NAME: stop it at exit, and name it in the CPU report.
bench_track() { BENCH_PIDS+=("$1"); BENCH_NAMES+=("$2"); }

# bench_redis PORT: a redis-server of our own on 127.0.0.1, no persistence.
bench_redis() {
  redis-server --port "$1" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$BENCH_WORK/redis.log" 2>&1 &
  bench_track $! "redis-server"
  local _
  for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis-server did not start on port $1" >&2; return 1
}

# bench_wait_http URL [LOG]: until URL/health answers (60 s at most; the log's tail on failure).
bench_wait_http() {
  local _
  for _ in $(seq 1 240); do curl -fs "$1/health" >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "$1 did not start" >&2; [ -n "${2:-}" ] && tail -n 30 "$2" >&2; return 1
}

# CPU seconds (user + system) each tracked process still running has used, from /proc/PID/stat.
bench_cpu_report() {
  local tick i p fields
  tick=$(getconf CLK_TCK)
  echo "CPU used per process (user+system seconds; 2 cores = 2 s per wall second):"
  for i in "${!BENCH_PIDS[@]}"; do
    p=${BENCH_PIDS[$i]}
    [ -r "/proc/$p/stat" ] || continue
    # Fields after the ")" that ends the command name: utime is the 12th, stime the 13th.
    fields=$(sed 's/^.*) //' "/proc/$p/stat")
    awk -v name="${BENCH_NAMES[$i]}" -v tick="$tick" '{ printf "  %-22s %8.1f s\n", name, ($12 + $13) / tick }' <<<"$fields"
  done
}
