using Ticketing.Domain.Orders;

namespace Ticketing.Application.Abstractions;

/// <summary>
/// The one database write of a hold: a new pending order with its lines. The unique index over live order lines
/// and the fan's limit are checked by the database inside the write, so what this port accepts is final.
/// </summary>
public interface IPendingOrderWriter
{
    /// <summary>
    /// Writes <paramref name="order"/> unless a seat of it is live in another order, or the fan would then hold
    /// more than <paramref name="maxSeatsPerFan"/> live seats of the performance (counting pending orders not
    /// past their deadline at <paramref name="now"/>, orders awaiting a payment outcome and paid ones).
    /// </summary>
    /// <remarks>
    /// <para>A seat live only in orders that are pending, past their deadline at <paramref name="now"/> and never had
    /// a payment attempt does not refuse the order: those orders are expired (as the expiry job would, version
    /// guarded) and the seat taken, so a seat the map shows free can be held although the expiry has not run yet.</para>
    /// <para>Nothing of a refused order is written. An exception means the database failed; nothing is known to be written.</para>
    /// </remarks>
    Task<PlaceOrderOutcome> PlaceAsync(Order order, int maxSeatsPerFan, DateTimeOffset now, CancellationToken cancellationToken);
}

public enum PlaceOrderStatus
{
    Placed,

    /// <summary>Another live order has some of the seats (<see cref="PlaceOrderOutcome.TakenSeatIds"/>).</summary>
    SeatsTaken,

    /// <summary>The fan already holds <see cref="PlaceOrderOutcome.SeatsAlreadyHeld"/> seats; this order would pass the limit.</summary>
    FanLimit,
}

public sealed record PlaceOrderOutcome(PlaceOrderStatus Status, IReadOnlyList<long> TakenSeatIds, int SeatsAlreadyHeld)
{
    public static readonly PlaceOrderOutcome Placed = new(PlaceOrderStatus.Placed, [], 0);

    public static PlaceOrderOutcome SeatsTaken(IReadOnlyList<long> seatIds) => new(PlaceOrderStatus.SeatsTaken, seatIds, 0);

    public static PlaceOrderOutcome FanLimit(int alreadyHeld) => new(PlaceOrderStatus.FanLimit, [], alreadyHeld);
}
