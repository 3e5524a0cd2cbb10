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

    /// <summary>The paymentKey of the latest confirmation attempt; null while no payment was ever tried.</summary>
    public string? PaymentKey { get; private set; }

    /// <summary>
    /// While set, the outcome of a payment at the provider is not known for sure, and the reconciliation job asks
    /// the provider about this order at this instant. Null once the outcome is known.
    /// </summary>
    public DateTimeOffset? PaymentCheckAt { get; private set; }

    /// <summary>When the last confirmation was sent to the payment provider.</summary>
    public DateTimeOffset? PaymentStartedAt { get; private set; }

    /// <summary>How many times reconciliation asked the provider without learning the outcome (drives its backoff).</summary>
    public int PaymentChecks { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public const int MaxPaymentKeyLength = 200;

    /// <summary>Snapshot at payment: when the performance starts.</summary>
    public DateTimeOffset? PerformanceStartsAt { get; private set; }

    /// <summary>Snapshot at payment: the fan may cancel until then.</summary>
    public DateTimeOffset? CancellableUntil { get; private set; }

    /// <summary>Snapshot at payment: the cancellation fee schedule (<see cref="RefundSchedule"/>).</summary>
    public string? RefundFeeSchedule { get; private set; }

    /// <summary>What was refunded so far, in won.</summary>
    public long RefundedAmount { get; private set; }

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
            // Time-ordered (UUID version 7): a crowd's new orders land at the end of the key and line indexes
            // instead of on random pages, so each commit writes a few pages, not one per order. The id carries
            // no secret: every order endpoint checks the owner.
            Id = Guid.CreateVersion7(now),
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

    /// <summary>
    /// A confirmation is about to be sent to the payment provider. The order leaves <see cref="OrderStatus.Pending"/>
    /// so that nothing else (another confirmation, the expiry job, a cancel) moves it while the outcome is open; and
    /// it is marked for reconciliation at <paramref name="checkAt"/> in case this process never learns the answer.
    /// </summary>
    public void BeginPayment(string paymentKey, DateTimeOffset now, DateTimeOffset checkAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentKey);
        if (Status != OrderStatus.Pending)
        {
            throw new DomainException("order.not_payable", $"An order that is {Status} cannot be paid.");
        }

        if (now >= ExpiresAt)
        {
            throw new DomainException("order.expired", "The order's hold has expired.");
        }

        Status = OrderStatus.PaymentPending;
        PaymentKey = paymentKey;
        PaymentStartedAt = now;
        PaymentCheckAt = checkAt;
        PaymentChecks = 0;
        Touch(now);
    }

    /// <summary>The provider refused the payment for good: the order is payable again (another card) until its deadline.</summary>
    public void PaymentDeclined(DateTimeOffset now)
    {
        if (Status != OrderStatus.PaymentPending)
        {
            throw new DomainException("order.not_paying", $"An order that is {Status} has no payment in progress.");
        }

        Status = OrderStatus.Pending;
        PaymentCheckAt = null;
        Touch(now);
    }

    /// <summary>The provider approved the payment: the order is paid and gets one ticket per seat.</summary>
    public IReadOnlyList<Tickets.Ticket> MarkPaid(DateTimeOffset now, DateTimeOffset performanceStartsAt, RefundSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (Status is not (OrderStatus.PaymentPending or OrderStatus.Pending))
        {
            throw new DomainException("order.not_payable", $"An order that is {Status} cannot be paid.");
        }

        // A pending order past its deadline that the expiry job has not closed still has its live lines: the seats
        // are still this order's, so a payment found approved for it completes it.
        Status = OrderStatus.Paid;
        PaidAt = now;
        PerformanceStartsAt = performanceStartsAt;
        CancellableUntil = performanceStartsAt - RefundSchedule.CancellationCutoff;
        RefundFeeSchedule = schedule.ToString();
        PaymentCheckAt = null;
        Touch(now);
        return _lines.Select(l => Tickets.Ticket.Issue(this, l, now)).ToList();
    }

    /// <summary>
    /// A pending order at its deadline had a confirmation attempted and the provider cannot say now whether it was
    /// paid: the seats stay held and reconciliation asks again at <paramref name="checkAt"/>.
    /// </summary>
    public void AwaitPaymentCheck(DateTimeOffset now, DateTimeOffset checkAt)
    {
        if (Status != OrderStatus.Pending || PaymentKey is null)
        {
            throw new DomainException("order.no_payment_attempt", "Only a pending order with a payment attempt can wait on its outcome.");
        }

        Status = OrderStatus.PaymentPending;
        PaymentCheckAt = checkAt;
        Touch(now);
    }

    /// <summary>The provider could not tell yet: ask again at <paramref name="nextCheckAt"/>.</summary>
    public void DeferPaymentCheck(DateTimeOffset now, DateTimeOffset nextCheckAt)
    {
        if (PaymentCheckAt is null)
        {
            throw new DomainException("order.no_open_payment", "The order has no payment whose outcome is open.");
        }

        PaymentChecks++;
        PaymentCheckAt = nextCheckAt;
        Touch(now);
    }

    /// <summary>
    /// The order will not be paid (the provider has no approved payment, or it could not be reached for longer than
    /// the seats may be held): its seats return to sale. With <paramref name="keepChecking"/> reconciliation keeps
    /// asking the provider, so that a payment approved after all is refunded.
    /// </summary>
    public void ReleaseUnpaid(DateTimeOffset now, bool keepChecking)
    {
        if (Status is not (OrderStatus.PaymentPending or OrderStatus.Pending))
        {
            throw new DomainException("order.not_releasable", $"An order that is {Status} cannot be released unpaid.");
        }

        if (!keepChecking)
        {
            PaymentCheckAt = null;
        }

        Close(OrderStatus.Expired, now);
    }

    /// <summary>
    /// What cancelling <paramref name="seatIds"/> now would refund: their prices less the fee the snapshotted
    /// schedule sets for this moment. Refused after the cancellation deadline or for seats not live in this order.
    /// </summary>
    public (long Gross, long Fee) QuoteRefund(IReadOnlyCollection<long> seatIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(seatIds);
        if (Status != OrderStatus.Paid)
        {
            throw new DomainException("order.not_refundable", $"An order that is {Status} cannot be cancelled for a refund.");
        }

        if (now >= CancellableUntil)
        {
            throw new DomainException("order.cancellation_closed", $"Cancellations for this performance closed at {CancellableUntil:O}.");
        }

        var lines = _lines.Where(l => seatIds.Contains(l.SeatId)).ToList();
        if (seatIds.Count == 0 || lines.Count != seatIds.Count || lines.Any(l => !l.IsLive))
        {
            throw new DomainException("order.seats_not_in_order", "Some seats are not live seats of this order.");
        }

        var gross = lines.Sum(l => l.Price);
        return (gross, RefundSchedule.Fee(gross, RefundSchedule.Parse(RefundFeeSchedule!).FeePercentAt(PerformanceStartsAt!.Value, now)));
    }

    /// <summary>A refund of some seats starts: bumps the version so two cancellations racing on one order cannot both start.</summary>
    public void RefundRequested(DateTimeOffset now)
    {
        if (Status != OrderStatus.Paid)
        {
            throw new DomainException("order.not_refundable", $"An order that is {Status} cannot be refunded.");
        }

        Touch(now);
    }

    /// <summary>The provider refunded <paramref name="amount"/> for these seats: they return to sale; with none left the order is refunded.</summary>
    public void SeatsRefunded(IReadOnlyCollection<long> seatIds, long amount, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(seatIds);
        if (Status != OrderStatus.Paid)
        {
            throw new DomainException("order.not_refundable", $"An order that is {Status} cannot be refunded.");
        }

        foreach (var line in _lines.Where(l => seatIds.Contains(l.SeatId)))
        {
            line.Release();
        }

        RefundedAmount += amount;
        if (_lines.All(l => !l.IsLive))
        {
            Status = OrderStatus.Refunded;
        }

        Touch(now);
    }

    /// <summary>The open payment question of a closed order was settled (e.g. a late payment was refunded).</summary>
    public void PaymentSettled(DateTimeOffset now)
    {
        PaymentCheckAt = null;
        Touch(now);
    }

    // ---- Discounts (issue 13.2): the fan prices each seat of a pending hold. ----

    /// <summary>
    /// Prices the seats of this pending hold: each seat in <paramref name="choices"/> gets its discount (or the face
    /// price when null); seats not named go back to the face price. The total is recomputed here, so the amount
    /// checked at confirmation is always the discounted one. Whether a limited discount still has seats left is the
    /// caller's check (it needs the database); the rest is checked here.
    /// </summary>
    public void ApplyDiscounts(IReadOnlyDictionary<long, Discounts.Discount?> choices, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (Status != OrderStatus.Pending || now >= ExpiresAt)
        {
            throw new DomainException("order.not_discountable", "Only a pending hold before its deadline can be priced.");
        }

        foreach (var seatId in choices.Keys)
        {
            if (_lines.All(l => l.SeatId != seatId))
            {
                throw new DomainException("order.seats_not_in_order", $"Seat {seatId} is not in this order.");
            }
        }

        foreach (var line in _lines)
        {
            var discount = choices.GetValueOrDefault(line.SeatId);
            if (discount is null)
            {
                line.Charge(null, line.FacePrice);
                continue;
            }

            // A seat keeping the discount it already has keeps it, even if its window closed since.
            var kept = line.DiscountId == discount.Id;
            if (discount.PerformanceId != PerformanceId || (!kept && !discount.IsOfferedAt(now, line.GradeCode)))
            {
                throw new DomainException("discount.not_applicable", $"Discount {discount.Id} does not apply to seat {line.Label} now.");
            }

            line.Charge(discount.Id, kept ? line.Price : discount.PriceFor(line.FacePrice));
        }

        TotalAmount = _lines.Sum(l => l.Price);
        Touch(now);
    }

    // ---- end of discounts ----

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
