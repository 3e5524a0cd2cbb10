using Ticketing.Domain.Orders;

namespace Ticketing.Application.Orders;

public sealed record OrderSeatDto(long SeatId, string Label, string Grade, long Price);

/// <summary>An order as its owner sees it. <see cref="Id"/> is also the Toss <c>orderId</c>.</summary>
public sealed record OrderDto(
    string Id,
    long PerformanceId,
    string Status,
    long TotalAmount,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<OrderSeatDto> Seats);

public static class OrderMapping
{
    public static string StatusName(this OrderStatus status) => status switch
    {
        OrderStatus.Pending => "pending",
        OrderStatus.PaymentPending => "paymentPending",
        OrderStatus.Paid => "paid",
        OrderStatus.Expired => "expired",
        OrderStatus.Cancelled => "cancelled",
        OrderStatus.Refunded => "refunded",
        _ => status.ToString(),
    };

    /// <summary>
    /// A pending order past its deadline reads as expired even before the expiry job has closed it, so a fan never
    /// sees a hold that no longer holds anything.
    /// </summary>
    public static OrderDto ToDto(this Order order, DateTimeOffset now) => new(
        order.Number,
        order.PerformanceId,
        (order.Status == OrderStatus.Pending && now >= order.ExpiresAt ? OrderStatus.Expired : order.Status).StatusName(),
        order.TotalAmount,
        order.CreatedAt,
        order.ExpiresAt,
        order.Lines.OrderBy(l => l.SeatId).Select(l => new OrderSeatDto(l.SeatId, l.Label, l.GradeCode, l.Price)).ToList());

    /// <summary>Parses the 32-hex-digit order number (or any Guid form) from a route.</summary>
    public static bool TryParseNumber(string? value, out Guid id) => Guid.TryParse(value, out id);
}
