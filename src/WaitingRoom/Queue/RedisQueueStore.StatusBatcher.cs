using System.Globalization;
using StackExchange.Redis;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Queue;

internal sealed partial class RedisQueueStore
{
    /// <summary>Most fans per status script, so that one script stays short (Redis runs scripts one at a time).</summary>
    internal const int MaxStatusBatch = 128;

    private static RoomSnapshot ReadSnapshot(RedisResult[] r)
    {
        RoomModes.TryParse((string?)r[1], out var mode);
        return new RoomSnapshot(
            mode,
            (long)r[2] == 1,
            (long)r[3],
            (long)r[4],
            (long)r[5],
            ulong.Parse((string)r[6]!, CultureInfo.InvariantCulture),
            (long)r[7],
            (double)(long)r[8] / Micro);
    }

    /// <summary>
    /// Group commit for status requests of one room on this instance: at most one status script is in flight, and the
    /// requests that arrive meanwhile go together as the next call. Under light load every call carries one fan and
    /// nothing waits; under load one round trip, one advance and one HMGET serve many fans instead of one each. Every
    /// fan is still handled inside one atomic script exactly as alone, so the line's guarantees do not change.
    /// </summary>
    private sealed class StatusBatcher(RedisQueueStore store, string roomId)
    {
        private readonly Lock _gate = new();
        private List<PendingStatus> _waiting = [];
        private bool _running;

        public Task<FanView> Enqueue(string fanId, long nowMs, ulong seed, long abandonAfterMs)
        {
            var pending = new PendingStatus(fanId, nowMs, seed, abandonAfterMs);
            lock (_gate)
            {
                if (_running)
                {
                    _waiting.Add(pending);
                    return pending.Task;
                }

                _running = true;
            }

            _ = RunAsync([pending]);
            return pending.Task;
        }

        /// <summary>Sends a batch, and as soon as its answer is in, sends the fans that queued up meanwhile before answering the first ones.</summary>
        private async Task RunAsync(List<PendingStatus> batch)
        {
            var call = EvaluateAsync(batch);
            while (true)
            {
                RedisResult[]? result = null;
                Exception? error = null;
                try
                {
                    result = await call.ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // Handed to every fan of the batch below (503 for a store outage, as without batching).
                    error = ex;
                }

                var next = TakeWaiting();
                if (next is not null)
                {
                    call = EvaluateAsync(next);
                }

                Complete(batch, result, error);
                if (next is null)
                {
                    return;
                }

                batch = next;
            }
        }

        private List<PendingStatus>? TakeWaiting()
        {
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _running = false;
                    return null;
                }

                if (_waiting.Count <= MaxStatusBatch)
                {
                    var all = _waiting;
                    _waiting = [];
                    return all;
                }

                var first = _waiting.GetRange(0, MaxStatusBatch);
                _waiting.RemoveRange(0, MaxStatusBatch);
                return first;
            }
        }

        private async Task<RedisResult[]> EvaluateAsync(List<PendingStatus> batch)
        {
            var args = new RedisValue[2 + (3 * batch.Count)];
            var latest = long.MinValue;
            var i = 2;
            foreach (var pending in batch)
            {
                latest = Math.Max(latest, pending.NowMs);
                args[i++] = pending.FanId;
                args[i++] = pending.NowMs;
                args[i++] = pending.AbandonAfterMs;
            }

            args[0] = latest;
            args[1] = Seed(batch[0].Seed);
            return (RedisResult[])(await store.EvaluateAsync(StatusScript, store.Keys(roomId), args).ConfigureAwait(false))!;
        }

        private static void Complete(List<PendingStatus> batch, RedisResult[]? r, Exception? error)
        {
            if (error is not null)
            {
                foreach (var pending in batch)
                {
                    pending.TrySetException(error);
                }

                return;
            }

            try
            {
                if ((int)r![0] == 0)
                {
                    foreach (var pending in batch)
                    {
                        pending.TrySetResult(default);
                    }

                    return;
                }

                var snapshot = ReadSnapshot(r);
                var at = 9;
                foreach (var pending in batch)
                {
                    var kind = (FanKind)(int)r[at];
                    var number = (long)r[at + 1];
                    if (kind == FanKind.Admitted)
                    {
                        pending.TrySetResult(new FanView(kind, number, (long)r[at + 2], (long)r[at + 3], (string?)r[at + 4], snapshot));
                        at += 5;
                    }
                    else
                    {
                        pending.TrySetResult(new FanView(kind, number, 0, 0, null, snapshot));
                        at += 2;
                    }
                }
            }
            catch (Exception ex)
            {
                // An answer that cannot be read: every fan not answered yet gets the error.
                foreach (var pending in batch)
                {
                    pending.TrySetException(ex);
                }
            }
        }
    }

    private sealed class PendingStatus(string fanId, long nowMs, ulong seed, long abandonAfterMs)
        : TaskCompletionSource<FanView>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public string FanId { get; } = fanId;

        public long NowMs { get; } = nowMs;

        public ulong Seed { get; } = seed;

        public long AbandonAfterMs { get; } = abandonAfterMs;
    }
}
