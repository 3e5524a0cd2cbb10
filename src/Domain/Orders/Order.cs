using Ticketing.Domain.Common;

namespace Ticketing.Domain.Orders;

/// <summary>
/// A fan's order for seats of one performance. It starts <see cref="OrderStatus.Pending"/> with the seats held
/// until <see cref="ExpiresAt"/>; each transition is a method that refuses an illegal move.
/// </summary>
public sealed class Order
{
    private readonly List<OrderLine> _lines = [];

    private Order()
    {
    }

    public Guid Id { get; private set; }

    public Guid FanId { get; private set; }

    public long PerformanceId { get; private set; }

    public OrderStatus Status { get; private set; }

    /// <summary>Sum of the line prices in whole won, computed on the server.</summary>
    public long TotalAmount { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency token: every transition bumps it, so two racing transitions cannot both save.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<OrderLine> Lines => _lines;

    /// <summary>The order id as Toss and clients see it: 32 hex characters.</summary>
    public string Number => Id.ToString("N");

    public static Order Place(Guid fanId, long performanceId, IReadOnlyList<OrderLineDraft> seats, DateTimeOffset now, TimeSpan holdDuration)
    {
        ArgumentNullException.ThrowIfNull(seats);
        if (seats.Count == 0)
        {
            throw new DomainException("order.no_seats", "An order needs at least one seat.");
        }

        if (seats.Select(s => s.SeatId).Distinct().Count() != seats.Count)
        {
            throw new DomainException("order.duplicate_seats", "A seat appears twice in the order.");
        }

        if (holdDuration <= TimeSpan.Zero)
        {
            throw new DomainException("order.hold_duration", "The hold duration must be positive.");
        }

        var order = new Order
        {
            Id = Guid.NewGuid(),
            FanId = fanId,
            PerformanceId = performanceId,
            Status = OrderStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now + holdDuration,
        };
        foreach (var seat in seats)
        {
            if (seat.Price <= 0)
            {
                throw new DomainException("order.price", "Every seat has a positive price.");
            }

            order._lines.Add(new OrderLine(order.Id, performanceId, seat.SeatId, seat.Label, seat.GradeCode, seat.Price));
        }

        order.TotalAmount = order._lines.Sum(l => l.Price);
        return order;
    }

    /// <summary>True while the order keeps its seats: pending and not past its deadline, or waiting on a payment outcome, or paid.</summary>
    public bool HoldsSeatsAt(DateTimeOffset now) => Status switch
    {
        OrderStatus.Pending => now < ExpiresAt,
        OrderStatus.PaymentPending or OrderStatus.Paid => true,
        _ => false,
    };

    public bool IsOwnedBy(Guid fanId) => FanId == fanId;

    /// <summary>The fan gives the seats back before paying.</summary>
    public void Cancel(DateTimeOffset now)
    {
        if (Status != OrderStatus.Pending)
        {
            throw new DomainException("order.not_cancellable", $"An order that is {Status} cannot be cancelled.");
        }

        Close(OrderStatus.Cancelled, now);
    }

    /// <summary>The hold ran out unpaid. Refused before the deadline.</summary>
    public void Expire(DateTimeOffset now)
    {
        if (Status != OrderStatus.Pending)
        {
            throw new DomainException("order.not_expirable", $"An order that is {Status} cannot expire.");
        }

        if (now < ExpiresAt)
        {
            throw new DomainException("order.not_due", "The order has not reached its deadline.");
        }

        Close(OrderStatus.Expired, now);
    }

    private void Close(OrderStatus status, DateTimeOffset now)
    {
        Status = status;
        foreach (var line in _lines)
        {
            line.Release();
        }

        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
}

/// <summary>A seat to put in a new order, with the price read from the server's catalog.</summary>
public readonly record struct OrderLineDraft(long SeatId, string Label, string GradeCode, long Price);

public enum OrderStatus
{
    Pending = 0,
    PaymentPending = 1,
    Paid = 2,
    Expired = 3,
    Cancelled = 4,
    Refunded = 5,
}
