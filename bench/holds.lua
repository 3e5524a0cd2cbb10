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
  -- PERF and FIRST_SEAT may list several performances (comma-separated, each SEATS_PER_PERF seats, default
  -- 100,000): requests fill the first, then go on to the next.
  perfs, first_seats = {}, {}
  for v in string.gmatch(os.getenv("PERF"), "[^,]+") do perfs[#perfs + 1] = v end
  for v in string.gmatch(os.getenv("FIRST_SEAT"), "[^,]+") do first_seats[#first_seats + 1] = tonumber(v) end
  seats_per_perf = tonumber(os.getenv("SEATS_PER_PERF") or "100000")
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
  local p = math.min(math.floor(k * 2 / seats_per_perf), #perfs - 1) + 1
  local seat = first_seats[p] + k * 2 - (p - 1) * seats_per_perf
  local body = string.format('{"seatIds":[%d,%d]}', seat, seat + 1)
  return wrk.format("POST", "/api/performances/" .. perfs[p] .. "/holds",
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
