using System.Collections.Concurrent;
using System.Globalization;
using StackExchange.Redis;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Queue;

/// <summary>
/// Production adapter: the queue lives in Redis; every operation is one Lua script (see <see cref="RedisScripts"/>),
/// so any number of WaitingRoom instances can share it. Room definitions are cached for a second per instance;
/// the values that pace admission (mode, rate, cap, opening) are read by the scripts themselves.
/// Join and status requests of one room that arrive while its previous join (or status) call is still running are
/// sent together as the next call (see <see cref="FanBatcher"/>).
/// </summary>
internal sealed partial class RedisQueueStore(IConnectionMultiplexer redis, string keyPrefix = "wr") : IQueueStore
{
    private const long DefinitionCacheMs = 1000;
    private const long Micro = 1_000_000;

    private static readonly RedisValue[] DefinitionFields =
    [
        "mode", "rate", "cap", "opens", "life", "perfs", "idn", "pow",
        "fpas", "hp99", "herr", // admission (issue 12): fans per available seat, WebApi p99 and error-rate limits
    ];

    private static readonly RedisValue[] InventoryFields = ["at", "until", "avail", "held", "icap", "sold", "factor", "p99", "err"]; // admission (issue 12)
    private static readonly Script JoinScript = new(RedisScripts.JoinMany);
    private static readonly Script StatusScript = new(RedisScripts.StatusMany);
    private static readonly Script ClaimScript = new(RedisScripts.Claim);

    private readonly ConcurrentDictionary<string, CachedDefinition> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RedisKey[]> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoomBatchers> _batchers = new(StringComparer.Ordinal);
    private readonly string _roomsKey = keyPrefix + ":rooms";
    private readonly RedisChannel _inventoryChannel = RedisChannel.Literal(keyPrefix + ":inventory"); // admission (issue 12)
    private readonly TimeSpan _callTimeout = TimeSpan.FromMilliseconds(Math.Max(1, redis.TimeoutMilliseconds));

    private IDatabase Db => redis.GetDatabase();

    public RoomDefinition? GetRoom(string roomId) => Load(roomId);

    public ValueTask<RoomDefinition?> GetRoomAsync(string roomId)
    {
        var now = Environment.TickCount64;
        if (_cache.TryGetValue(roomId, out var cached) && now - cached.FetchedAt < DefinitionCacheMs)
        {
            return ValueTask.FromResult(cached.Definition);
        }

        return LoadAndCacheAsync(roomId, now);
    }

    private async ValueTask<RoomDefinition?> LoadAndCacheAsync(string roomId, long now)
    {
        var definition = ToDefinition(roomId, await Db.HashGetAsync(Keys(roomId)[0], DefinitionFields).ConfigureAwait(false));
        if (definition is null)
        {
            // Unknown ids are not cached, so junk ids cannot grow the cache.
            _cache.TryRemove(roomId, out _);
            return null;
        }

        _cache[roomId] = new CachedDefinition(definition, now);
        return definition;
    }

    public IReadOnlyList<RoomDefinition> ListRooms()
    {
        var list = new List<RoomDefinition>();
        foreach (var member in Db.SetMembers(_roomsKey))
        {
            var definition = Load(member.ToString());
            if (definition is not null)
            {
                list.Add(definition);
            }
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    public bool PutRoom(RoomDefinition room, long nowMs, ulong seed)
    {
        var created = Write(room, nowMs, seed);
        Db.SetAdd(_roomsKey, room.Id);
        return created;
    }

    public RoomDefinition? UpdateRoom(string roomId, RoomUpdate update, long nowMs, ulong seed)
    {
        var d = Load(roomId);
        if (d is null)
        {
            return null;
        }

        var updated = d with
        {
            RatePerSecond = update.RatePerSecond ?? d.RatePerSecond,
            MaxActive = update.MaxActive ?? d.MaxActive,
            Mode = update.Mode ?? d.Mode,
            OpensAt = update.OpensAt ?? d.OpensAt,
            PassLifetimeSeconds = update.PassLifetimeSeconds ?? d.PassLifetimeSeconds,
            PerformanceIds = update.PerformanceIds ?? d.PerformanceIds,
            PowDifficulty = update.PowDifficulty ?? d.PowDifficulty,
        };
        updated = update.ApplyAdmission(updated); // admission (issue 12)
        Write(updated, nowMs, seed);
        return Load(roomId);
    }

    public bool DeleteRoom(string roomId)
    {
        _cache.TryRemove(roomId, out _);
        var keys = Keys(roomId);
        var deleted = Db.KeyDelete(keys);
        Db.SetRemove(_roomsKey, roomId);
        return deleted > 0;
    }

    public ValueTask<FanView> JoinAsync(string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs) =>
        new(BatchersFor(roomId).Join.Enqueue(fanId, nowMs, seed, abandonAfterMs));

    public ValueTask<FanView> StatusAsync(string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs) =>
        new(BatchersFor(roomId).Status.Enqueue(fanId, nowMs, seed, abandonAfterMs));

    public async ValueTask<ClaimResult> ClaimAsync(string roomId, string fanId, long place, long nowMs, ulong seed, long passExpiresAtMs, string jti)
    {
        RedisValue[] args = [nowMs, Seed(seed), fanId, place, passExpiresAtMs, jti];
        var result = (RedisResult[])(await EvaluateAsync(ClaimScript, Keys(roomId), args).ConfigureAwait(false))!;
        var outcome = (ClaimOutcome)(int)result[0];
        return outcome == ClaimOutcome.Admitted
            ? new ClaimResult(outcome, (long)result[1], (long)result[2], (string?)result[3])
            : new ClaimResult(outcome, 0, 0, null);
    }

    public RoomStats? Stats(string roomId, long nowMs, ulong seed)
    {
        RedisValue[] args = [nowMs, Seed(seed)];
        var r = (RedisResult[])Db.ScriptEvaluate(RedisScripts.Stats, Keys(roomId), args)!;
        if (r.Length == 0)
        {
            return null;
        }

        var opened = (long)r[1] == 1;
        var pre = (long)r[2];
        var tail = (long)r[3];
        var serving = (long)r[4];
        var stats = new RoomStats(roomId, (string)r[0]!, opened, pre, opened ? Math.Max(0, tail - serving) : pre, tail, serving, (long)r[5], (long)r[7], (long)r[6]);
        return AdmissionPacing.Describe(stats, GetInventory(roomId), nowMs); // admission (issue 12)
    }

    // --- admission (issue 12) ---
    public bool SetInventory(string roomId, RoomInventory inventory, long nowMs, ulong seed)
    {
        RedisValue[] args =
        [
            nowMs,
            Seed(seed),
            "at", inventory.AtMs,
            "until", inventory.ValidUntilMs,
            "avail", inventory.Available,
            "held", inventory.Held,
            "icap", inventory.ActiveCap,
            "sold", inventory.SoldOut ? 1 : 0,
            "factor", inventory.RateFactorMicro,
            "p99", inventory.WebApiP99Ms is { } p99 ? p99.ToString("R", CultureInfo.InvariantCulture) : string.Empty,
            "err", inventory.WebApiErrorRate is { } err ? err.ToString("R", CultureInfo.InvariantCulture) : string.Empty,
        ];
        var outcome = (long)Db.ScriptEvaluate(RedisScripts.SetInventory, Keys(roomId), args);
        if (outcome == 2)
        {
            // Every instance wakes its event streams of this room (sold out is told at once, not at the next poll).
            Db.Publish(_inventoryChannel, roomId, CommandFlags.FireAndForget);
        }

        return outcome != 0;
    }

    public RoomInventory? GetInventory(string roomId)
    {
        var v = Db.HashGet(Keys(roomId)[4], InventoryFields);
        if (v[0].IsNull)
        {
            return null;
        }

        static double? Optional(RedisValue value) =>
            value.IsNullOrEmpty ? null : double.Parse(value.ToString(), CultureInfo.InvariantCulture);

        return new RoomInventory(
            (long)v[0],
            (long)v[1],
            (long)v[2],
            (long)v[3],
            (long)v[4],
            (long)v[5] == 1,
            (double)(long)v[6] / Micro,
            Optional(v[7]),
            Optional(v[8]));
    }

    public void SubscribeInventoryChanges(Action<string> onChange) =>
        redis.GetSubscriber().Subscribe(_inventoryChannel, (_, roomId) => onChange(roomId.ToString()));

    // --- end admission ---

    private bool Write(RoomDefinition room, long nowMs, ulong seed)
    {
        _cache.TryRemove(room.Id, out _);
        RedisValue[] args =
        [
            nowMs,
            Seed(seed),
            "mode", RoomModes.ToWire(room.Mode),
            "rate", (long)Math.Round(room.RatePerSecond * Micro),
            "cap", room.MaxActive,
            "opens", room.OpensAt.ToUnixTimeMilliseconds(),
            "life", room.PassLifetimeSeconds,
            "perfs", string.Join(',', room.PerformanceIds),
            "idn", RoomIdentities.ToWire(room.Identity),
            "pow", room.PowDifficulty,
            "fpas", room.FansPerAvailableSeat.ToString("R", CultureInfo.InvariantCulture), // admission (issue 12)
            "hp99", room.MaxWebApiP99Ms, // admission (issue 12)
            "herr", room.MaxWebApiErrorRate.ToString("R", CultureInfo.InvariantCulture), // admission (issue 12)
        ];
        return (long)Db.ScriptEvaluate(RedisScripts.Put, Keys(room.Id), args) == 1;
    }

    private RoomDefinition? Load(string roomId) => ToDefinition(roomId, Db.HashGet(Keys(roomId)[0], DefinitionFields));

    /// <summary>EVALSHA with the script's SHA-1; on NOSCRIPT (first use, or Redis restarted) EVAL loads it once.</summary>
    private async Task<RedisResult> EvaluateAsync(Script script, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await Db.ScriptEvaluateAsync(script.Sha1, keys, args).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await Db.ScriptEvaluateAsync(script.Text, keys, args).ConfigureAwait(false);
        }
    }

    private static RoomDefinition? ToDefinition(string roomId, RedisValue[] values)
    {
        if (values[0].IsNull)
        {
            return null;
        }

        RoomModes.TryParse(values[0].ToString(), out var mode);
        var perfText = values[5].ToString();
        var parts = perfText.Length == 0 ? [] : perfText.Split(',');
        var perfs = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            perfs[i] = long.Parse(parts[i], CultureInfo.InvariantCulture);
        }

        return new RoomDefinition(
            roomId,
            perfs,
            (double)(long)values[1] / Micro,
            (int)values[2],
            (int)values[4],
            DateTimeOffset.FromUnixTimeMilliseconds((long)values[3]),
            mode)
        {
            // A room written before rooms had an identity setting has no field: it is an account room, the default.
            Identity = RoomIdentities.TryParse(values[6].IsNull ? null : values[6].ToString(), out var identity) ? identity : RoomIdentity.Account,
            // admission (issue 12); rooms written before these settings existed have none (off).
            FansPerAvailableSeat = values[8].IsNullOrEmpty ? 0 : double.Parse(values[8].ToString(), CultureInfo.InvariantCulture),
            MaxWebApiP99Ms = values[9].IsNullOrEmpty ? 0 : (int)values[9],
            MaxWebApiErrorRate = values[10].IsNullOrEmpty ? 0 : double.Parse(values[10].ToString(), CultureInfo.InvariantCulture),
            PowDifficulty = values[7].IsNull ? 0 : (int)values[7],
        };
    }

    /// <summary>Batchers per existing room (bounded like the key cache); other ids get throwaway ones.</summary>
    private RoomBatchers BatchersFor(string roomId)
    {
        if (_batchers.TryGetValue(roomId, out var batchers))
        {
            return batchers;
        }

        batchers = new RoomBatchers(new FanBatcher(this, roomId, JoinScript), new FanBatcher(this, roomId, StatusScript));
        return _batchers.Count < 10_000 && _cache.ContainsKey(roomId) ? _batchers.GetOrAdd(roomId, batchers) : batchers;
    }

    private static string Seed(ulong seed) => seed.ToString(CultureInfo.InvariantCulture);

    /// <summary>Key names per room, built once for rooms that exist (ids are validated slugs).</summary>
    private RedisKey[] Keys(string roomId)
    {
        if (_keys.TryGetValue(roomId, out var keys))
        {
            return keys;
        }

        var tag = keyPrefix + ":{" + roomId + "}:";
        keys = [tag + "cfg", tag + "st", tag + "fans", tag + "act", tag + "inv"]; // inv: admission (issue 12)
        if (_keys.Count < 10_000 && _cache.ContainsKey(roomId))
        {
            _keys[roomId] = keys;
        }

        return keys;
    }

    private sealed class Script(string text)
    {
        public string Text { get; } = text;

        public byte[] Sha1 { get; } = System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(text));
    }

    private readonly record struct CachedDefinition(RoomDefinition? Definition, long FetchedAt);

    private sealed record RoomBatchers(FanBatcher Join, FanBatcher Status);
}
