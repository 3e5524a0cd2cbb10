using System.Collections.Concurrent;
using System.Threading.Channels;
using Ticketing.Application.Abstractions;

namespace Ticketing.Application.Waitlist;

/// <summary>
/// The live notices of waitlist offers, per signed-in fan, in this process: each open stream of the fan gets every
/// offer made here. A fan whose stream is on another instance still sees the offer on their waitlist page (it reads
/// the database), so a lost notice delays nothing: the offer's deadline runs from its creation either way.
/// </summary>
public sealed class WaitlistNotifications : IWaitlistNotifier
{
    private const int Buffer = 16;

    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Channel<WaitlistOfferDto>, byte>> _streams = new();

    public void Offered(Guid fanId, WaitlistOfferDto offer)
    {
        if (_streams.TryGetValue(fanId, out var streams))
        {
            foreach (var channel in streams.Keys)
            {
                channel.Writer.TryWrite(offer);
            }
        }
    }

    /// <summary>Opens a stream of the fan's offers; dispose the subscription when the client goes.</summary>
    public Subscription Subscribe(Guid fanId)
    {
        var channel = Channel.CreateBounded<WaitlistOfferDto>(new BoundedChannelOptions(Buffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _streams.GetOrAdd(fanId, _ => new()).TryAdd(channel, 0);
        return new Subscription(this, fanId, channel);
    }

    /// <summary>How many streams are open (for tests and health).</summary>
    public int OpenStreams => _streams.Values.Sum(s => s.Count);

    private void Unsubscribe(Guid fanId, Channel<WaitlistOfferDto> channel)
    {
        if (_streams.TryGetValue(fanId, out var streams))
        {
            streams.TryRemove(channel, out _);
            if (streams.IsEmpty)
            {
                _streams.TryRemove(new KeyValuePair<Guid, ConcurrentDictionary<Channel<WaitlistOfferDto>, byte>>(fanId, streams));
            }
        }

        channel.Writer.TryComplete();
    }

    public sealed class Subscription(WaitlistNotifications owner, Guid fanId, Channel<WaitlistOfferDto> channel) : IDisposable
    {
        public ChannelReader<WaitlistOfferDto> Offers => channel.Reader;

        public void Dispose() => owner.Unsubscribe(fanId, channel);
    }
}
