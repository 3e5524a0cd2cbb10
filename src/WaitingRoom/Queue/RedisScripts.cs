namespace Ticketing.WaitingRoom.Queue;

/// <summary>
/// Lua for the Redis adapter. Keys of one room share the hash tag <c>{room}</c>:
/// KEYS[1] config hash, KEYS[2] state hash, KEYS[3] fans hash (ticket id to record), KEYS[4] active passes (sorted set by expiry),
/// KEYS[5] the admission controller's inventory facts (hash: until, icap, sold, factor, and figures for the stats).
/// Every script first runs <c>advance</c>: opening and the serving counter are computed from whole seconds elapsed
/// since the last processed second (<c>tick</c>), inside the script, so each second is counted once
/// however many instances call at once.
/// Fan records: <c>P{index}:{seen}</c> pre-queue, <c>Q{place}:{seen}</c> queued, <c>X{n}:{seen}</c> lost,
/// <c>A{place}:{seen}:{iat}:{exp}:{jti}</c> admitted. <c>seen</c> is refreshed at most every 5 s (saves a write per poll).
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// The part of the batched join and status scripts that reads and touches the fans (ARGV: now, seed,
    /// abandonAfterMs, then the fan ids). <c>batchOf</c> reads every listed fan's record at once; <c>eachFan</c> visits
    /// each distinct fan once (a fan listed twice gets the first answer again) and lists the answers; <c>touch</c>
    /// takes a waiting fan's record (<c>Q</c> queued or <c>P</c> pre-queue) and returns it as it stands after
    /// this call: lost (<c>X</c>, counted abandoned) when the fan has been silent since before the cut-off (and the
    /// room opened before it), its seen time refreshed when older than 5 s, else unchanged.
    /// </summary>
    private const string FanBatch = """
        local function batchOf(now, r)
          local ids = {}
          for i = 4, #ARGV do ids[#ids + 1] = ARGV[i] end
          local cut = now - tonumber(ARGV[3])
          return ids, redis.call('HMGET', KEYS[3], unpack(ids)), cut, r.opens < cut
        end
        local function eachFan(ids, recs, visit)
          local out, done = {}, {}
          for j = 1, #ids do
            local id = ids[j]
            local rec = done[id]
            if rec == nil then
              rec = visit(id, recs[j] or false)
              done[id] = rec
            end
            out[j] = rec
          end
          return out
        end
        local function touch(id, rec, now, cut, mayDrop)
          local colon = string.find(rec, ':', 3, true)
          local seen = tonumber(string.sub(rec, colon + 1))
          if mayDrop and seen < cut then
            rec = 'X' .. string.sub(rec, 2)
            redis.call('HSET', KEYS[3], id, rec)
            redis.call('HINCRBY', KEYS[2], 'abandoned', 1)
          elseif seen <= now - 5000 then
            rec = string.sub(rec, 1, colon) .. ARGV[1]
            redis.call('HSET', KEYS[3], id, rec)
          end
          return rec
        end

        """;

    private const string Prelude = """
        local function advance(now, seed)
          local cfg = redis.call('HMGET', KEYS[1], 'mode', 'rate', 'cap', 'opens')
          if not cfg[1] then return nil end
          local st = redis.call('HMGET', KEYS[2], 'opened', 'pre', 'tail', 'serving', 'credit', 'tick', 'seed')
          local r = { mode = cfg[1], rate = tonumber(cfg[2]), cap = tonumber(cfg[3]), opens = tonumber(cfg[4]),
            opened = st[1] == '1', pre = tonumber(st[2]) or 0, tail = tonumber(st[3]) or 0, serving = tonumber(st[4]) or 0,
            credit = tonumber(st[5]) or 0, tick = tonumber(st[6]) or 0, seed = st[7] or '0' }
          -- admission (issue 12): the controller's facts pace the room while valid
          local inv = redis.call('HMGET', KEYS[5], 'until', 'icap', 'sold', 'factor')
          r.valid = inv[1] and tonumber(inv[1]) > now or false
          r.sold = r.valid and inv[3] == '1'
          r.limit = nil
          if r.cap > 0 then r.limit = r.cap end
          if r.valid and tonumber(inv[2]) >= 0 and (r.limit == nil or tonumber(inv[2]) < r.limit) then r.limit = tonumber(inv[2]) end
          r.erate = r.rate
          if r.valid then r.erate = math.floor(r.rate * (tonumber(inv[4]) / 1000000)) end
          -- end admission
          local nowSec = math.floor(now / 1000)
          local dirty = false
          if not r.opened then
            if r.mode == 'closed' or now < r.opens then return r end
            r.opened = true
            r.tail = r.pre
            r.tick = nowSec
            r.seed = seed
            dirty = true
            if r.mode == 'scheduled' then
              r.mode = 'open'
              redis.call('HSET', KEYS[1], 'mode', 'open')
            end
          end
          if nowSec > r.tick then
            if r.mode == 'open' then
              local limit = (r.tail - r.serving + 1) * 1000000
              local add = (nowSec - r.tick) * r.erate
              if add > limit then add = limit end
              local credit = r.credit + add
              local n = math.floor(credit / 1000000)
              credit = credit - n * 1000000
              if r.limit then
                redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
                local room = r.limit - redis.call('ZCARD', KEYS[4])
                if room < 0 then room = 0 end
                if n > room then n = room end
              end
              if r.serving + n > r.tail then
                n = r.tail - r.serving
                credit = 0
              end
              r.serving = r.serving + n
              r.credit = credit
            end
            r.tick = nowSec
            dirty = true
          end
          if r.mode == 'passthrough' and r.serving < r.tail then
            r.serving = r.tail
            dirty = true
          end
          if dirty then
            redis.call('HSET', KEYS[2], 'opened', r.opened and '1' or '0', 'tail', r.tail, 'serving', r.serving,
              'credit', r.credit, 'tick', r.tick, 'seed', r.seed)
          end
          return r
        end

        """;

    /// <summary>
    /// Join for a batch of fans of one room, in arrival order (the adapter groups concurrent requests; a batch of one is
    /// the plain case). ARGV: now, seed, abandonAfterMs, then the fan ids. Returns {0} for no room, else
    /// {1, mode, opened, pre, tail, serving, seed, opens, rate, sold} (after the whole batch) followed by each fan's record
    /// after the call, or <c>C</c> when the closed room refused the join. A fan still waiting keeps the place (a silent
    /// one loses it as in status, then joins at the back), a fan with an unexpired pass keeps it, anyone else gets the
    /// next place (after opening) or the next pre-queue index (before). A fan listed twice is handled once.
    /// </summary>
    public const string JoinMany = Prelude + FanBatch + """
        local now = tonumber(ARGV[1])
        local r = advance(now, ARGV[2])
        if not r then return { 0 } end
        local ids, recs, cut, mayDrop = batchOf(now, r)
        local pre, tail = r.pre, r.tail
        local out = eachFan(ids, recs, function(id, rec)
          if rec then
            local c = string.byte(rec, 1)
            if c == 81 or c == 80 then -- 'Q' queued or 'P' pre-queue: keeps the place unless silent for too long
              rec = touch(id, rec, now, cut, mayDrop)
              if string.byte(rec, 1) == 88 then rec = false end -- lost it: joins again at the back
            elseif c == 65 then -- 'A' admitted: keeps an unexpired pass
              if tonumber(string.match(rec, '^A%d+:%d+:%d+:(%d+):')) <= now then rec = false end
            else -- 'X' lost the place
              rec = false
            end
          end
          if not rec then
            if r.mode == 'closed' then
              rec = 'C'
            elseif not r.opened then
              rec = 'P' .. pre .. ':' .. ARGV[1]
              pre = pre + 1
              redis.call('HSET', KEYS[3], id, rec)
            else
              tail = tail + 1
              rec = 'Q' .. tail .. ':' .. ARGV[1]
              redis.call('HSET', KEYS[3], id, rec)
            end
          end
          return rec
        end)
        if pre ~= r.pre then
          r.pre = pre
          redis.call('HSET', KEYS[2], 'pre', pre)
        end
        if tail ~= r.tail then
          r.tail = tail
          if r.mode == 'passthrough' then r.serving = tail end
          redis.call('HSET', KEYS[2], 'tail', tail, 'serving', r.serving)
        end
        local res = { 1, r.mode, r.opened and 1 or 0, r.pre, r.tail, r.serving, r.seed, r.opens, r.erate, r.sold and 1 or 0 }
        for j = 1, #out do res[#res + 1] = out[j] end
        return res
        """;

    /// <summary>
    /// Status for a batch of fans of one room (the adapter groups concurrent requests; a batch of one is the plain case).
    /// ARGV: now, seed, abandonAfterMs, then the fan ids. Returns {0} for no room, else
    /// {1, mode, opened, pre, tail, serving, seed, opens, rate, sold} followed by each fan's record as it stands after this
    /// call (nil for no record); the adapter reads kind, place and pass claims from it. Per fan the work is a byte test
    /// and one number parse: a waiting fan silent for too long becomes <c>X</c> and is counted abandoned, otherwise
    /// <c>seen</c> is refreshed every 5 s; admitted and lost records are only read. A fan listed twice is handled once,
    /// so it is never counted abandoned twice.
    /// </summary>
    public const string StatusMany = Prelude + FanBatch + """
        local now = tonumber(ARGV[1])
        local r = advance(now, ARGV[2])
        if not r then return { 0 } end
        local res = { 1, r.mode, r.opened and 1 or 0, r.pre, r.tail, r.serving, r.seed, r.opens, r.erate, r.sold and 1 or 0 }
        local ids, recs, cut, mayDrop = batchOf(now, r)
        local out = eachFan(ids, recs, function(id, rec)
          if rec then
            local c = string.byte(rec, 1)
            if c == 81 or c == 80 then rec = touch(id, rec, now, cut, mayDrop) end -- 'Q' queued or 'P' pre-queue: a waiting fan
          end
          return rec
        end)
        for j = 1, #ids do res[#res + 1] = out[j] end
        return res
        """;

    /// <summary>ARGV: now, seed, fanId, place, passExpiresAtMs, jti. Returns {0 admitted | 1 not yet | 2 cap full | 3 gone, iat, exp, jti}.</summary>
    public const string Claim = Prelude + """
        local now = tonumber(ARGV[1])
        local r = advance(now, ARGV[2])
        if not r then return { 3 } end
        local rec = redis.call('HGET', KEYS[3], ARGV[3])
        if not rec then return { 3 } end
        local kind, num, seen, rest = string.match(rec, '^(%a)(%d+):(%d+)(.*)$')
        if kind == 'X' then return { 3 } end
        if kind == 'A' then
          local iat, exp, jti = string.match(rest, '^:(%d+):(%d+):(.+)$')
          if tonumber(exp) > now then return { 0, tonumber(iat), tonumber(exp), jti } end
          return { 3 }
        end
        local place = tonumber(ARGV[4])
        if not r.opened or (r.mode ~= 'passthrough' and (r.mode ~= 'open' or place > r.serving)) then return { 1 } end
        redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
        if r.mode ~= 'passthrough' and r.limit and redis.call('ZCARD', KEYS[4]) >= r.limit then return { 2 } end
        redis.call('HSET', KEYS[3], ARGV[3], 'A' .. num .. ':' .. seen .. ':' .. ARGV[1] .. ':' .. ARGV[5] .. ':' .. ARGV[6])
        redis.call('ZADD', KEYS[4], ARGV[5], ARGV[3])
        redis.call('HINCRBY', KEYS[2], 'admitted', 1)
        return { 0, now, tonumber(ARGV[5]), ARGV[6] }
        """;

    /// <summary>ARGV: now, seed. Returns {mode, opened, pre, tail, serving, admitted, abandoned, active}.</summary>
    public const string Stats = Prelude + """
        local now = tonumber(ARGV[1])
        local r = advance(now, ARGV[2])
        if not r then return { } end
        redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
        local extra = redis.call('HMGET', KEYS[2], 'admitted', 'abandoned')
        return { r.mode, r.opened and 1 or 0, r.pre, r.tail, r.serving, tonumber(extra[1]) or 0, tonumber(extra[2]) or 0,
          redis.call('ZCARD', KEYS[4]) }
        """;

    /// <summary>ARGV: now, seed, then config field/value pairs. Advances an existing room with its old settings first. Returns 1 when created.</summary>
    public const string Put = Prelude + """
        local existed = redis.call('EXISTS', KEYS[1])
        if existed == 1 then advance(tonumber(ARGV[1]), ARGV[2]) end
        local pairs = {}
        for i = 3, #ARGV do pairs[#pairs + 1] = ARGV[i] end
        redis.call('HSET', KEYS[1], unpack(pairs))
        if existed == 1 then advance(tonumber(ARGV[1]), ARGV[2]) end
        return 1 - existed
        """;

    // --- admission (issue 12) ---

    /// <summary>
    /// ARGV: now, seed, then the inventory's field/value pairs (sold among them). Advances the room under the facts it had,
    /// then stores the new ones. Returns 0 when there is no room, 1 when stored, 2 when stored and the sold-out flag changed.
    /// </summary>
    public const string SetInventory = Prelude + """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        advance(tonumber(ARGV[1]), ARGV[2])
        local before = redis.call('HGET', KEYS[5], 'sold') or '0'
        local pairs = {}
        for i = 3, #ARGV do pairs[#pairs + 1] = ARGV[i] end
        redis.call('HSET', KEYS[5], unpack(pairs))
        if (redis.call('HGET', KEYS[5], 'sold') or '0') ~= before then return 2 end
        return 1
        """;

    // --- end admission ---
}
