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
