using Ticketing.Domain.Discounts;

namespace Ticketing.Application.Discounts;

/// <summary>A discount as its organizer sees it; <paramref name="InUse"/> counts the seats carrying it now (held or sold).</summary>
public sealed record DiscountDto(
    long Id,
    long PerformanceId,
    string Name,
    string Kind,
    long Value,
    string? Grade,
    int? QuantityLimit,
    int InUse,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? Rule,
    string? CouponCode,
    bool Active);

/// <summary>What the organizer sends to create or change a discount. <see cref="GenerateCode"/> makes it a coupon with a random code.</summary>
public sealed record DiscountInput(
    string? Name,
    string? Kind,
    long? Value,
    string? Grade = null,
    int? QuantityLimit = null,
    DateTimeOffset? StartsAt = null,
    DateTimeOffset? EndsAt = null,
    string? Rule = null,
    string? CouponCode = null,
    bool? GenerateCode = null,
    bool? Active = null);

/// <summary>A discount a fan may choose on an order. <paramref name="Remaining"/> is null when it has no quantity limit.</summary>
public sealed record DiscountOptionDto(long Id, string Name, string Kind, long Value, string? Grade, string? Rule, bool Coupon, int? Remaining, DateTimeOffset? EndsAt);

/// <summary>What one discount would charge for one seat.</summary>
public sealed record SeatPriceOptionDto(long DiscountId, long Price);

/// <summary>A seat of the order: its grade's price, what it is charged now, and the discounts it may take.</summary>
public sealed record SeatDiscountsDto(long SeatId, string Label, string Grade, long FacePrice, long Price, long? DiscountId, IReadOnlyList<SeatPriceOptionDto> Options);

/// <summary>
/// The price step of an order: every seat with its choices, the discounts offered, and the totals computed on the
/// server. <see cref="TotalAmount"/> is the amount the payment must carry.
/// </summary>
public sealed record OrderDiscountsDto(
    string OrderId,
    string Status,
    DateTimeOffset ExpiresAt,
    long FaceAmount,
    long DiscountAmount,
    long TotalAmount,
    string? Coupon,
    IReadOnlyList<SeatDiscountsDto> Seats,
    IReadOnlyList<DiscountOptionDto> Discounts);

/// <summary>One seat's choice: a discount id, or null for the grade's price.</summary>
public sealed record DiscountChoice(long SeatId, long? DiscountId);

internal static class DiscountNames
{
    public const string Percent = "percent";
    public const string Amount = "amount";

    public static string Of(DiscountKind kind) => kind == DiscountKind.Percent ? Percent : Amount;

    public static DiscountKind? Parse(string? kind) => kind switch
    {
        Percent => DiscountKind.Percent,
        Amount => DiscountKind.Amount,
        _ => null,
    };
}
