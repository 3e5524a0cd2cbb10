namespace Ticketing.Domain.Waitlist;

/// <summary>
/// Returned seats offered to a waitlisted fan: the offer is the pending <see cref="Orders.Order"/> <see cref="OrderId"/>
/// placed in the fan's name with the offer's deadline; paying it is paying that order. This row tells the order
/// is an offer, so that when it lapses (or is declined) its seats pass to the next fan.
/// </summary>
public sealed class WaitlistOffer
{
    private WaitlistOffer()
    {
    }

    public WaitlistOffer(Guid orderId, long entryId, long performanceId, Guid fanId, int seats, DateTimeOffset offeredAt, DateTimeOffset expiresAt)
    {
        OrderId = orderId;
        EntryId = entryId;
        PerformanceId = performanceId;
        FanId = fanId;
        Seats = seats;
        OfferedAt = offeredAt;
        ExpiresAt = expiresAt;
    }

    public Guid OrderId { get; private set; }

    public long EntryId { get; private set; }

    public long PerformanceId { get; private set; }

    public Guid FanId { get; private set; }

    public int Seats { get; private set; }

    public DateTimeOffset OfferedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }
}
