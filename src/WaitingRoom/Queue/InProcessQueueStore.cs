using System.Collections.Concurrent;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Queue;

/// <summary>
/// The embedded default: the same algorithm as the Redis scripts, under one lock per room.
/// Only correct for a single WaitingRoom instance.
/// </summary>
internal sealed partial class InProcessQueueStore : IQueueStore
{
    private const long Micro = 1_000_000;

    private readonly ConcurrentDictionary<string, RoomState> _rooms = new(StringComparer.Ordinal);
    private Action<string>? _inventoryChanged;

    public RoomDefinition? GetRoom(string roomId) => _rooms.TryGetValue(roomId, out var room) ? room.Definition : null;

    public ValueTask<RoomDefinition?> GetRoomAsync(string roomId) => ValueTask.FromResult(GetRoom(roomId));

    public ValueTask<FanView> JoinAsync(string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs) =>
        ValueTask.FromResult(Join(roomId, fanId, nowMs, seed, abandonAfterMs));

    public ValueTask<FanView> StatusAsync(string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs) =>
        ValueTask.FromResult(Status(roomId, fanId, nowMs, seed, abandonAfterMs));

    public ValueTask<ClaimResult> ClaimAsync(string roomId, string fanId, long place, long nowMs, ulong seed, long passExpiresAtMs, string jti) =>
        ValueTask.FromResult(Claim(roomId, fanId, place, nowMs, seed, passExpiresAtMs, jti));

    public IReadOnlyList<RoomDefinition> ListRooms()
    {
        var list = new List<RoomDefinition>(_rooms.Count);
        foreach (var pair in _rooms)
        {
            list.Add(pair.Value.Definition);
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    public bool PutRoom(RoomDefinition room, long nowMs, ulong seed)
    {
        while (true)
        {
            if (_rooms.TryGetValue(room.Id, out var existing))
            {
                lock (existing.Sync)
                {
                    existing.Advance(nowMs, seed);
                    existing.Definition = room;
                }

                return false;
            }

            if (_rooms.TryAdd(room.Id, new RoomState(room)))
            {
                return true;
            }
        }
    }

    public RoomDefinition? UpdateRoom(string roomId, RoomUpdate update, long nowMs, ulong seed)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return null;
        }

        lock (room.Sync)
        {
            room.Advance(nowMs, seed);
            var d = room.Definition;
            room.Definition = d with
            {
                RatePerSecond = update.RatePerSecond ?? d.RatePerSecond,
                MaxActive = update.MaxActive ?? d.MaxActive,
                Mode = update.Mode ?? d.Mode,
                OpensAt = update.OpensAt ?? d.OpensAt,
                PassLifetimeSeconds = update.PassLifetimeSeconds ?? d.PassLifetimeSeconds,
                PerformanceIds = update.PerformanceIds ?? d.PerformanceIds,
                PowDifficulty = update.PowDifficulty ?? d.PowDifficulty,
            };
            room.Definition = update.ApplyAdmission(room.Definition); // admission (issue 12)
            room.Advance(nowMs, seed);
            return room.Definition;
        }
    }

    public bool DeleteRoom(string roomId) => _rooms.TryRemove(roomId, out _);

    private FanView Join(string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return default;
        }

        lock (room.Sync)
        {
            room.Advance(nowMs, seed);
            if (room.Fans.TryGetValue(fanId, out var fan))
            {
                var view = room.Inspect(fanId, ref fan, nowMs, abandonAfterMs);
                if (view.Kind is FanKind.PreQueue or FanKind.Queued or FanKind.Admitted)
                {
                    return view;
                }
            }

            if (room.Definition.Mode == RoomMode.Closed)
            {
                return new FanView(FanKind.Closed, 0, 0, 0, null, room.Snapshot());
            }

            FanRecord record;
            if (!room.Opened)
            {
                record = new FanRecord('P', room.PreCount, nowMs, 0, 0, null);
                room.PreCount++;
            }
            else
            {
                room.Tail++;
                record = new FanRecord('Q', room.Tail, nowMs, 0, 0, null);
                if (room.Definition.Mode == RoomMode.Passthrough)
                {
                    room.Serving = room.Tail;
                }
            }

            room.Fans[fanId] = record;
            return new FanView(record.Kind == 'P' ? FanKind.PreQueue : FanKind.Queued, record.Number, 0, 0, null, room.Snapshot());
        }
    }

    private FanView Status(string roomId, string fanId, long nowMs, ulong seed, long abandonAfterMs)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return default;
        }

        lock (room.Sync)
        {
            room.Advance(nowMs, seed);
            if (!room.Fans.TryGetValue(fanId, out var fan))
            {
                return new FanView(FanKind.Unknown, 0, 0, 0, null, room.Snapshot());
            }

            return room.Inspect(fanId, ref fan, nowMs, abandonAfterMs);
        }
    }

    private ClaimResult Claim(string roomId, string fanId, long place, long nowMs, ulong seed, long passExpiresAtMs, string jti)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return new ClaimResult(ClaimOutcome.Gone, 0, 0, null);
        }

        lock (room.Sync)
        {
            room.Advance(nowMs, seed);
            if (!room.Fans.TryGetValue(fanId, out var fan) || fan.Kind == 'X')
            {
                return new ClaimResult(ClaimOutcome.Gone, 0, 0, null);
            }

            if (fan.Kind == 'A')
            {
                return fan.ExpiresAtMs > nowMs
                    ? new ClaimResult(ClaimOutcome.Admitted, fan.IssuedAtMs, fan.ExpiresAtMs, fan.Jti)
                    : new ClaimResult(ClaimOutcome.Gone, 0, 0, null);
            }

            var mode = room.Definition.Mode;
            if (!room.Opened || (mode != RoomMode.Passthrough && (mode != RoomMode.Open || place > room.Serving)))
            {
                return new ClaimResult(ClaimOutcome.NotYet, 0, 0, null);
            }

            if (mode != RoomMode.Passthrough && room.ActiveLimit(nowMs) is { } limit && room.ActiveCount(nowMs) >= limit)
            {
                return new ClaimResult(ClaimOutcome.CapFull, 0, 0, null);
            }

            room.Fans[fanId] = new FanRecord('A', place, fan.SeenMs, nowMs, passExpiresAtMs, jti);
            room.Active.Enqueue(passExpiresAtMs, passExpiresAtMs);
            room.Admitted++;
            return new ClaimResult(ClaimOutcome.Admitted, nowMs, passExpiresAtMs, jti);
        }
    }

    public RoomStats? Stats(string roomId, long nowMs, ulong seed)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return null;
        }

        lock (room.Sync)
        {
            room.Advance(nowMs, seed);
            var queue = room.Opened ? Math.Max(0, room.Tail - room.Serving) : room.PreCount;
            return AdmissionPacing.Describe(new RoomStats(
                roomId,
                RoomModes.ToWire(room.Definition.Mode),
                room.Opened,
                room.PreCount,
                queue,
                room.Tail,
                room.Serving,
                room.Admitted,
                room.ActiveCount(nowMs),
                room.Abandoned), room.Inventory, nowMs);
        }
    }

    public bool SetInventory(string roomId, RoomInventory inventory, long nowMs, ulong seed)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return false;
        }

        bool changed;
        lock (room.Sync)
        {
            room.Advance(nowMs, seed);
            changed = (room.Inventory?.SoldOut ?? false) != inventory.SoldOut;
            room.Inventory = inventory;
        }

        if (changed)
        {
            _inventoryChanged?.Invoke(roomId);
        }

        return true;
    }

    public RoomInventory? GetInventory(string roomId)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return null;
        }

        lock (room.Sync)
        {
            return room.Inventory;
        }
    }

    public void SubscribeInventoryChanges(Action<string> onChange) => _inventoryChanged += onChange;

    private readonly record struct FanRecord(char Kind, long Number, long SeenMs, long IssuedAtMs, long ExpiresAtMs, string? Jti);

    private sealed class RoomState(RoomDefinition definition)
    {
        public Lock Sync { get; } = new();

        public RoomDefinition Definition { get; set; } = definition;

        public Dictionary<string, FanRecord> Fans { get; } = new(StringComparer.Ordinal);

        public PriorityQueue<long, long> Active { get; } = new();

        public bool Opened { get; private set; }

        public long PreCount { get; set; }

        public long Tail { get; set; }

        public long Serving { get; set; }

        public long Admitted { get; set; }

        public long Abandoned { get; private set; }

        public RoomInventory? Inventory { get; set; }

        private long _credit;
        private long _tick;
        private ulong _seed;

        public RoomSnapshot Snapshot() => new(
            Definition.Mode,
            Opened,
            PreCount,
            Tail,
            Serving,
            _seed,
            Definition.OpensAt.ToUnixTimeMilliseconds(),
            _lastValid ? RoomInventory.EffectiveRateMicro(RateMicro, Inventory!.RateFactorMicro) / (double)Micro : Definition.RatePerSecond,
            _lastValid && Inventory!.SoldOut);

        private long RateMicro => (long)Math.Round(Definition.RatePerSecond * Micro);

        /// <summary>Whether the inventory facts were valid at the last advance (what the snapshot reports).</summary>
        private bool _lastValid;

        /// <summary>The tighter of the admin's cap and the seats-left cap; null for no cap.</summary>
        public long? ActiveLimit(long nowMs)
        {
            long? limit = Definition.MaxActive > 0 ? Definition.MaxActive : null;
            if (Inventory is { ActiveCap: >= 0 } inventory && inventory.IsValidAt(nowMs) && (limit is null || inventory.ActiveCap < limit))
            {
                limit = inventory.ActiveCap;
            }

            return limit;
        }

        public int ActiveCount(long nowMs)
        {
            while (Active.TryPeek(out _, out var expiresAt) && expiresAt <= nowMs)
            {
                Active.Dequeue();
            }

            return Active.Count;
        }

        public FanView Inspect(string fanId, ref FanRecord fan, long nowMs, long abandonAfterMs)
        {
            switch (fan.Kind)
            {
                case 'X':
                    return new FanView(FanKind.Expired, fan.Number, 0, 0, null, Snapshot());
                case 'A':
                    return fan.ExpiresAtMs > nowMs
                        ? new FanView(FanKind.Admitted, fan.Number, fan.IssuedAtMs, fan.ExpiresAtMs, fan.Jti, Snapshot())
                        : new FanView(FanKind.Expired, fan.Number, 0, 0, null, Snapshot());
            }

            var since = Math.Max(fan.SeenMs, Definition.OpensAt.ToUnixTimeMilliseconds());
            if (nowMs - since > abandonAfterMs)
            {
                Fans[fanId] = fan with { Kind = 'X' };
                Abandoned++;
                return new FanView(FanKind.Expired, fan.Number, 0, 0, null, Snapshot());
            }

            if (nowMs - fan.SeenMs >= 5000)
            {
                // Same granularity as the Redis script, which saves a write per poll this way.
                Fans[fanId] = fan with { SeenMs = nowMs };
            }

            return new FanView(fan.Kind == 'P' ? FanKind.PreQueue : FanKind.Queued, fan.Number, 0, 0, null, Snapshot());
        }

        /// <summary>Opens the room when its time came, then moves the serving counter by the whole seconds elapsed.</summary>
        public void Advance(long nowMs, ulong seed)
        {
            var nowSec = Math.DivRem(nowMs, 1000).Quotient;
            _lastValid = Inventory is not null && Inventory.IsValidAt(nowMs);
            var mode = Definition.Mode;
            if (!Opened)
            {
                if (mode == RoomMode.Closed || nowMs < Definition.OpensAt.ToUnixTimeMilliseconds())
                {
                    return;
                }

                Opened = true;
                Tail = PreCount;
                _tick = nowSec;
                _seed = seed;
                if (mode == RoomMode.Scheduled)
                {
                    mode = RoomMode.Open;
                    Definition = Definition with { Mode = RoomMode.Open };
                }
            }

            if (nowSec > _tick)
            {
                if (mode == RoomMode.Open)
                {
                    var rateMicro = _lastValid ? RoomInventory.EffectiveRateMicro(RateMicro, Inventory!.RateFactorMicro) : RateMicro;
                    var limit = (Tail - Serving + 1) * Micro;
                    var add = (nowSec - _tick) > limit / Math.Max(1, rateMicro) ? limit : (nowSec - _tick) * rateMicro;
                    _credit += add;
                    var n = _credit / Micro;
                    _credit -= n * Micro;
                    if (ActiveLimit(nowMs) is { } activeLimit)
                    {
                        var room = Math.Max(0, activeLimit - ActiveCount(nowMs));
                        n = Math.Min(n, room);
                    }

                    if (Serving + n > Tail)
                    {
                        n = Tail - Serving;
                        _credit = 0;
                    }

                    Serving += n;
                }

                _tick = nowSec;
            }

            if (mode == RoomMode.Passthrough && Serving < Tail)
            {
                Serving = Tail;
            }
        }
    }
}
