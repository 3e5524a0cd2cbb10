using System.Buffers.Text;
using System.Globalization;
using System.Text;
using StackExchange.Redis;
using Ticketing.WaitingRoom.Rooms;

namespace Ticketing.WaitingRoom.Queue;

internal sealed partial class RedisQueueStore
{
    /// <summary>Most fans per script call, so that one call stays short (Redis runs scripts one at a time).</summary>
    internal const int MaxBatch = 128;

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
            (double)(long)r[8] / Micro,
            (long)r[9] == 1);
    }

    /// <summary>
    /// Group commit for the join or the status requests of one room on this instance: at most one such script call is in
    /// flight, and the requests that arrive meanwhile go together as the next call, in arrival order. Under light load
    /// every call carries one fan and nothing waits; under load one round trip, one advance and one HMGET serve many
    /// fans instead of one each. Every fan is still handled inside one atomic script as if alone, so the line's
    /// guarantees do not change.
    /// </summary>
    private sealed class FanBatcher(RedisQueueStore store, string roomId, Script script)
    {
        private readonly Lock _gate = new();
        private List<PendingFan> _waiting = [];
        private bool _running;

        public Task<FanView> Enqueue(string fanId, long nowMs, ulong seed, long abandonAfterMs)
        {
            var pending = new PendingFan(fanId, nowMs, seed, abandonAfterMs);
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
        private async Task RunAsync(List<PendingFan> batch)
        {
            var call = EvaluateAsync(batch);
            while (true)
            {
                RedisResult[]? result = null;
                long nowMs = 0;
                Exception? error = null;
                try
                {
                    (result, nowMs) = await call.ConfigureAwait(false);
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

                Complete(batch, result, nowMs, error);
                if (next is null)
                {
                    return;
                }

                batch = next;
            }
        }

        /// <summary>Takes the fans that queued up meanwhile (at most <see cref="MaxBatch"/>, all with the first one's abandonment limit).</summary>
        private List<PendingFan>? TakeWaiting()
        {
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _running = false;
                    return null;
                }

                var abandonAfterMs = _waiting[0].AbandonAfterMs;
                if (_waiting.Count <= MaxBatch && _waiting.TrueForAll(p => p.AbandonAfterMs == abandonAfterMs))
                {
                    var all = _waiting;
                    _waiting = [];
                    return all;
                }

                var batch = new List<PendingFan>(MaxBatch);
                var rest = new List<PendingFan>(_waiting.Count);
                foreach (var pending in _waiting)
                {
                    (batch.Count < MaxBatch && pending.AbandonAfterMs == abandonAfterMs ? batch : rest).Add(pending);
                }

                _waiting = rest;
                return batch;
            }
        }

        /// <summary>
        /// The script runs at the latest "now" of the batch (all of them are within one round trip of each other, and a
        /// request is never answered as of a time before it was made).
        /// </summary>
        private async Task<(RedisResult[] Result, long NowMs)> EvaluateAsync(List<PendingFan> batch)
        {
            var args = new RedisValue[3 + batch.Count];
            var now = long.MinValue;
            var i = 3;
            foreach (var pending in batch)
            {
                now = Math.Max(now, pending.NowMs);
                args[i++] = pending.FanId;
            }

            args[0] = now;
            args[1] = Seed(batch[0].Seed);
            args[2] = batch[0].AbandonAfterMs;

            // StackExchange.Redis 1.x does not reliably time out asynchronous calls. Without a limit here, a call that
            // never got an answer would hold up every later request of the room on this instance; with it, the batch
            // fails like a store outage (503) after the connection's timeout and the next batch goes out.
            var call = store.EvaluateAsync(script, store.Keys(roomId), args);
            try
            {
                return ((RedisResult[])(await call.WaitAsync(store._callTimeout).ConfigureAwait(false))!, now);
            }
            catch (TimeoutException) when (!call.IsCompleted)
            {
                throw new QueueStoreTimeoutException($"Redis did not answer within {store._callTimeout.TotalMilliseconds} ms.");
            }
        }

        private static void Complete(List<PendingFan> batch, RedisResult[]? r, long nowMs, Exception? error)
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
                var at = 10;
                foreach (var pending in batch)
                {
                    pending.TrySetResult(ReadRecord((byte[]?)r[at++], nowMs, snapshot));
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

    /// <summary>
    /// Reads a fan record as the join or status script left it: <c>P{index}:{seen}</c>, <c>Q{place}:{seen}</c>,
    /// <c>X{n}:{seen}</c> or <c>A{place}:{seen}:{iat}:{exp}:{jti}</c>; an admitted record whose pass has expired is
    /// <see cref="FanKind.Expired"/>, as in the claim script. Join answers <c>C</c> for a join the closed room refused.
    /// </summary>
    private static FanView ReadRecord(byte[]? record, long nowMs, RoomSnapshot snapshot)
    {
        if (record is null)
        {
            return new FanView(FanKind.Unknown, 0, 0, 0, null, snapshot);
        }

        if (record is [(byte)'C'])
        {
            return new FanView(FanKind.Closed, 0, 0, 0, null, snapshot);
        }

        var kind = record[0] switch
        {
            (byte)'P' => FanKind.PreQueue,
            (byte)'Q' => FanKind.Queued,
            (byte)'A' => FanKind.Admitted,
            (byte)'X' => FanKind.Expired,
            _ => throw new FormatException("Unknown fan record kind."),
        };
        ReadOnlySpan<byte> rest = record.AsSpan(1);
        var number = NextNumber(ref rest);
        if (kind != FanKind.Admitted)
        {
            return new FanView(kind, number, 0, 0, null, snapshot);
        }

        NextNumber(ref rest); // seen
        var issuedAt = NextNumber(ref rest);
        var expiresAt = NextNumber(ref rest);
        return expiresAt > nowMs
            ? new FanView(FanKind.Admitted, number, issuedAt, expiresAt, Encoding.ASCII.GetString(rest), snapshot)
            : new FanView(FanKind.Expired, number, 0, 0, null, snapshot);
    }

    /// <summary>Parses the digits up to the next ':' (or the end) and moves past the ':'.</summary>
    private static long NextNumber(ref ReadOnlySpan<byte> text)
    {
        if (!Utf8Parser.TryParse(text, out long value, out var consumed) || consumed == 0)
        {
            throw new FormatException("Malformed fan record.");
        }

        text = consumed < text.Length && text[consumed] == (byte)':' ? text[(consumed + 1)..] : text[consumed..];
        return value;
    }

    private sealed class PendingFan(string fanId, long nowMs, ulong seed, long abandonAfterMs)
        : TaskCompletionSource<FanView>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public string FanId { get; } = fanId;

        public long NowMs { get; } = nowMs;

        public ulong Seed { get; } = seed;

        public long AbandonAfterMs { get; } = abandonAfterMs;
    }
}
