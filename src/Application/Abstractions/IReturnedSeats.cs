using Ticketing.Domain.Orders;

namespace Ticketing.Application.Abstractions;

/// <summary>Why seats came back.</summary>
public enum SeatReturn
{
    /// <summary>A paid seat was refunded: its lock was a sold marker.</summary>
    Refund,

    /// <summary>A hold (or a waitlist offer) reached its deadline unpaid.</summary>
    Expiry,

    /// <summary>The fan gave a pending hold (or a waitlist offer) back.</summary>
    Cancel,
}

/// <summary>
/// The one hook of the cancellation waitlist in the places where seats come back (refund settlement, expiry,
/// cancellation): it replaces that place's <c>SaveChangesAsync</c>. Seats that go to the waitlist are offered in the
/// SAME save that frees them, so no public hold can take them in between; the seat locks are handed to the offers
/// after the commit. See docs/WAITLIST.md.
/// </summary>
public interface IReturnedSeats
{
    /// <summary>
    /// Saves the caller's tracked changes, in which the <paramref name="returned"/> orders gave back the listed seats,
    /// together with the waitlist offers those seats make (when the performance's rule and time send them to the
    /// waitlist and a fan waits for them). Throws what <c>SaveChangesAsync</c> throws for the caller's own changes.
    /// </summary>
    Task SaveAsync(SeatReturn reason, IReadOnlyList<ReturnedOrderSeats> returned, CancellationToken cancellationToken);
}

/// <summary>Seats <paramref name="SeatIds"/> that <paramref name="Order"/> (tracked, with its lines) gives back in this save.</summary>
public sealed record ReturnedOrderSeats(Order Order, IReadOnlyCollection<long> SeatIds)
{
    public static ReturnedOrderSeats All(Order order) => new(order, order.Lines.Select(l => l.SeatId).ToList());
}

/// <summary>Tells a signed-in fan, live, that seats were offered to them (the waitlist's SSE stream).</summary>
public interface IWaitlistNotifier
{
    void Offered(Guid fanId, Waitlist.WaitlistOfferDto offer);
}
