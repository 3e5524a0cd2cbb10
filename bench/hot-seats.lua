-- wrk script: a hot on-sale. Every request is a 1-seat hold on one of a few hot seats of one performance,
-- so all but the first few lose (409). Each thread owns its own slice of fans (one per connection of the
-- thread) and sends them in turn, so the C connections act as C fans.
-- Environment: TOKENS (file, one bearer token a line), PERF (performance id), SEATS (comma-separated hot seat
-- ids), THREADS, CONNECTIONS.
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  local all = {}
  for line in io.lines(os.getenv("TOKENS")) do all[#all + 1] = line end
  local nthreads = tonumber(os.getenv("THREADS"))
  local per = math.floor(tonumber(os.getenv("CONNECTIONS")) / nthreads)
  tokens = {}
  for i = 1, per do tokens[i] = all[((id - 1) * per + i - 1) % #all + 1] end
  seats = {}
  for v in string.gmatch(os.getenv("SEATS"), "[^,]+") do seats[#seats + 1] = v end
  path = "/api/performances/" .. os.getenv("PERF") .. "/holds"
  n = 0
  created, conflicts, others = 0, 0, 0
end

function request()
  n = n + 1
  local fan = tokens[(n - 1) % #tokens + 1]
  local seat = seats[(n * 7 + id) % #seats + 1]
  return wrk.format("POST", path,
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. fan }, '{"seatIds":[' .. seat .. ']}')
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 409 then conflicts = conflicts + 1
  else others = others + 1 end
end

function done(summary, latency, requests)
  local ok, conflict, bad = 0, 0, 0
  for _, t in ipairs(threads) do
    ok = ok + t:get("created")
    conflict = conflict + t:get("conflicts")
    bad = bad + t:get("others")
  end
  io.write(string.format("HOT created=%d conflicts=%d other=%d seconds=%.2f p50_ms=%.2f p99_ms=%.2f\n",
    ok, conflict, bad, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
