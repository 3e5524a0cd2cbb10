-- wrk script: each connection-thread holds 2 fresh seats per request with its own slice of fans,
-- so every request is a real, successful 2-seat hold (no conflicts, no per-fan limit reached).
-- Environment: TOKENS (file, one bearer token a line), PERF (performance id), FIRST_SEAT, HOLDS_PER_FAN,
-- OFFSET (optional: requests already made by earlier runs against the same performance, so a repeat run
-- starts on fresh seats and fans).
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  tokens = {}
  for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
  perf = os.getenv("PERF")
  first_seat = tonumber(os.getenv("FIRST_SEAT"))
  holds_per_fan = tonumber(os.getenv("HOLDS_PER_FAN"))
  offset = tonumber(os.getenv("OFFSET") or "0")
  nthreads = tonumber(os.getenv("THREADS"))
  n = 0
  created = 0
  others = 0
end

function request()
  -- request k of thread id: fan and seats unique across threads
  local k = offset + n * nthreads + (id - 1)
  n = n + 1
  local fan = tokens[(math.floor(k / holds_per_fan) % #tokens) + 1]
  local seat = first_seat + k * 2
  local body = string.format('{"seatIds":[%d,%d]}', seat, seat + 1)
  return wrk.format("POST", "/api/performances/" .. perf .. "/holds",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. fan }, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else others = others + 1 end
end

function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, t in ipairs(threads) do
    ok = ok + t:get("created")
    bad = bad + t:get("others")
  end
  io.write(string.format("HOLDS created=%d other=%d seconds=%.2f p50_ms=%.2f p99_ms=%.2f\n",
    ok, bad, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
