namespace Ticketing.Domain.Orders;

/// <summary>
/// One seat of an order. While <see cref="IsLive"/> the database keeps it unique per (performance, seat):
/// that index is what makes a double sale impossible, whatever the lock store says.
/// </summary>
public sealed class OrderLine
{
    internal OrderLine(Guid orderId, long performanceId, long seatId, string label, string gradeCode, long price)
    {
        OrderId = orderId;
        PerformanceId = performanceId;
        SeatId = seatId;
        Label = label;
        GradeCode = gradeCode;
        Price = price;
        IsLive = true;
        FacePrice = price; // discounts (issue 13.2)
    }

    public long Id { get; private set; }

    public Guid OrderId { get; private set; }

    public long PerformanceId { get; private set; }

    public long SeatId { get; private set; }

    public string Label { get; private set; }

    public string GradeCode { get; private set; }

    public long Price { get; private set; }

    /// <summary>True while the line holds or owns its seat; false once the order expired, was cancelled or refunded.</summary>
    public bool IsLive { get; private set; }

    internal void Release() => IsLive = false;

    // ---- Discounts (issue 13.2): the grade's price and the discount chosen for the seat. ----

    /// <summary>The grade's price when the seat was held; <see cref="Price"/> is what is charged after a discount.</summary>
    public long FacePrice { get; private set; }

    /// <summary>The discount chosen for this seat; null for the grade's price.</summary>
    public long? DiscountId { get; private set; }

    /// <summary>Charges <paramref name="price"/> for the seat under <paramref name="discountId"/> (null: back to the face price).</summary>
    internal void Charge(long? discountId, long price)
    {
        DiscountId = discountId;
        Price = price;
    }

    // ---- end of discounts ----
}
