using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Ticketing.Infrastructure.SeatChanges;

/// <summary>
/// The listeners of this instance and the recent events of each performance. Every event is rendered once and
/// handed to each listener's small buffer: one fan-out per performance per instance, no work per listener beyond a
/// buffer write. Events arrive from the bus one at a time, in version order.
/// </summary>
public sealed class SeatChangeHub
{
    private static readonly byte[] PingFrame = Encoding.UTF8.GetBytes(": ping\n\n");

    private readonly ConcurrentDictionary<long, PerformanceFeed> _feeds = new();
    private readonly SeatStreamOptions _options;
    private int _listeners;

    public SeatChangeHub(IOptions<SeatStreamOptions> options)
    {
        _options = options.Value;
    }

    /// <summary>Open streams on this instance.</summary>
    public int ListenerCount => Volatile.Read(ref _listeners);

    internal Func<long, CancellationToken, ValueTask<long>>? VersionSource { get; set; }

    /// <summary>
    /// Opens a stream of a performance. Without <paramref name="lastEventId"/> it starts with a <c>version</c> event
    /// at the current version; with one, it replays what came after it as one <c>seats</c> event, or sends
    /// <c>reload</c> when that is no longer known. Null when the instance already has its maximum of listeners.
    /// </summary>
    public async ValueTask<SeatListener?> SubscribeAsync(long performanceId, long? lastEventId, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _listeners) > _options.MaxListeners)
        {
            Interlocked.Decrement(ref _listeners);
            return null;
        }

        try
        {
            var stored = VersionSource is { } source ? await source(performanceId, cancellationToken).ConfigureAwait(false) : 0;
            var feed = _feeds.GetOrAdd(performanceId, _ => new PerformanceFeed(_options.ReplayEvents));
            var listener = new SeatListener(this, feed, _options.ListenerBuffer);
            feed.Add(listener, lastEventId, stored);
            return listener;
        }
        catch
        {
            Interlocked.Decrement(ref _listeners);
            throw;
        }
    }

    /// <summary>An event of the bus: version <paramref name="version"/> of a performance.</summary>
    internal void Deliver(long performanceId, long version, SeatChangeBatch batch) =>
        _feeds.GetOrAdd(performanceId, _ => new PerformanceFeed(_options.ReplayEvents)).Deliver(version, batch);

    /// <summary>Writes <c>: ping</c> to every stream (a full buffer skips it: that stream has data on its way anyway).</summary>
    internal void Ping()
    {
        foreach (var feed in _feeds.Values)
        {
            foreach (var listener in feed.Listeners)
            {
                listener.TryWrite(PingFrame);
            }
        }
    }

    internal void Remove(SeatListener listener, PerformanceFeed feed)
    {
        if (feed.Remove(listener))
        {
            Interlocked.Decrement(ref _listeners);
        }
    }

    internal static byte[] Frame(string eventName, long version, string data) =>
        Encoding.UTF8.GetBytes($"event: {eventName}\nid: {version.ToString(CultureInfo.InvariantCulture)}\ndata: {data}\n\n");

    internal static byte[] SeatsFrame(long version, string changesJson) =>
        Frame("seats", version, $"{{\"version\":{version.ToString(CultureInfo.InvariantCulture)},\"changes\":{changesJson}}}");

    internal static byte[] VersionFrame(string eventName, long version) =>
        Frame(eventName, version, $"{{\"version\":{version.ToString(CultureInfo.InvariantCulture)}}}");

    /// <summary>
    /// One performance on this instance: its listeners and a ring of its latest events. The ring holds contiguous
    /// versions (<see cref="_ringBase"/>, <see cref="_last"/>]; a gap in what the bus delivers (a lost message) or a
    /// reload empties it, and the listeners are told to reload.
    /// </summary>
    internal sealed class PerformanceFeed(int capacity)
    {
        private readonly Lock _gate = new();
        private readonly (long Version, SeatChangeBatch Batch)[] _ring = new (long, SeatChangeBatch)[capacity];
        private int _ringStart;
        private int _ringCount;
        private long _ringBase = -1;
        private long _last = -1;
        private SeatListener[] _listeners = [];

        public SeatListener[] Listeners => Volatile.Read(ref _listeners);

        public void Add(SeatListener listener, long? lastEventId, long stored)
        {
            lock (_gate)
            {
                var known = Math.Max(stored, _last);
                if (lastEventId is not { } after)
                {
                    listener.From = known;
                    listener.TryWrite(VersionFrame("version", known));
                }
                else if (after == known)
                {
                    listener.From = after;
                    listener.TryWrite(VersionFrame("version", after));
                }
                else if (after >= 0 && _ringBase >= 0 && after >= _ringBase && after <= _last)
                {
                    // Everything after the client's id is in the ring: one merged event brings it up to date.
                    var merged = new Dictionary<long, byte>();
                    for (var i = 0; i < _ringCount; i++)
                    {
                        var (version, batch) = _ring[(_ringStart + i) % _ring.Length];
                        if (version > after)
                        {
                            for (var s = 0; s < batch.SeatIds!.Length; s++)
                            {
                                merged[batch.SeatIds[s]] = batch.Statuses![s];
                            }
                        }
                    }

                    listener.From = _last;
                    listener.TryWrite(VersionFrame("version", after));
                    if (after < _last)
                    {
                        listener.TryWrite(SeatsFrame(_last, new SeatChangeBatch([.. merged.Keys], [.. merged.Values]).ToJsonArray()));
                    }
                }
                else
                {
                    listener.From = known;
                    listener.TryWrite(VersionFrame("reload", known));
                }

                _listeners = [.. _listeners, listener];
            }
        }

        public bool Remove(SeatListener listener)
        {
            lock (_gate)
            {
                var index = Array.IndexOf(_listeners, listener);
                if (index < 0)
                {
                    return false;
                }

                var next = new SeatListener[_listeners.Length - 1];
                Array.Copy(_listeners, 0, next, 0, index);
                Array.Copy(_listeners, index + 1, next, index, next.Length - index);
                _listeners = next;
                return true;
            }
        }

        public void Deliver(long version, SeatChangeBatch batch)
        {
            lock (_gate)
            {
                if (_last >= 0 && version <= _last)
                {
                    return;
                }

                byte[] frame;
                if (batch.IsReload || (_last >= 0 && version != _last + 1))
                {
                    // A reload, or versions were skipped (a message lost between Redis and this instance): what the
                    // listeners have can no longer be brought up to date by deltas.
                    _ringCount = 0;
                    _ringStart = 0;
                    _ringBase = version;
                    frame = VersionFrame("reload", version);
                }
                else
                {
                    if (_ringBase < 0)
                    {
                        _ringBase = version - 1;
                    }

                    if (_ringCount == _ring.Length)
                    {
                        _ringStart = (_ringStart + 1) % _ring.Length;
                        _ringCount--;
                        _ringBase++;
                    }

                    _ring[(_ringStart + _ringCount) % _ring.Length] = (version, batch);
                    _ringCount++;
                    frame = SeatsFrame(version, batch.ToJsonArray());
                }

                _last = version;
                foreach (var listener in _listeners)
                {
                    if (version > listener.From && !listener.TryWrite(frame))
                    {
                        // Too slow to keep up: closed, so that it reconnects and replays instead of holding the others back.
                        listener.Overflow();
                    }
                }
            }
        }
    }
}

/// <summary>One open stream: the frames waiting to be written to it.</summary>
public sealed class SeatListener : IDisposable
{
    private readonly SeatChangeHub _hub;
    private readonly SeatChangeHub.PerformanceFeed _feed;
    private readonly Channel<byte[]> _frames;

    internal SeatListener(SeatChangeHub hub, SeatChangeHub.PerformanceFeed feed, int capacity)
    {
        _hub = hub;
        _feed = feed;
        _frames = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The newest version this listener has (or needs no longer).</summary>
    internal long From { get; set; }

    /// <summary>UTF-8 server-sent-event frames, ready to write; completes when the listener fell too far behind.</summary>
    public ChannelReader<byte[]> Frames => _frames.Reader;

    internal bool TryWrite(byte[] frame) => _frames.Writer.TryWrite(frame);

    internal void Overflow() => _frames.Writer.TryComplete();

    public void Dispose()
    {
        _frames.Writer.TryComplete();
        _hub.Remove(this, _feed);
    }
}
