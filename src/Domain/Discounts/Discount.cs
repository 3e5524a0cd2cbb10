using Ticketing.Domain.Common;

namespace Ticketing.Domain.Discounts;

/// <summary>
/// A price reduction the organizer offers on one performance: a percentage or a fixed amount off the grade's price,
/// for one grade or all, optionally limited in quantity (seats), in time, and to fans who know a code (a coupon).
/// A fan chooses it per seat on a pending order; the seat's charged price never falls below <see cref="MinimumSeatPrice"/>.
/// </summary>
public sealed class Discount
{
    public const int MaxNameLength = 60;
    public const int MaxRuleLength = 200;
    public const int MinCodeLength = 6;
    public const int MaxCodeLength = 32;
    public const int MaxQuantity = 1_000_000;
    public const long MaxAmount = 100_000_000;

    /// <summary>
    /// The least a discounted seat costs, in won. The payment provider cannot charge 0 won (and refuses card payments
    /// below 100 won), so no discount makes a seat free: a discount larger than the price leaves this much to pay.
    /// </summary>
    public const long MinimumSeatPrice = 100;

    private Discount()
    {
        Name = string.Empty;
    }

    public long Id { get; private set; }

    public long PerformanceId { get; private set; }

    public string Name { get; private set; }

    public DiscountKind Kind { get; private set; }

    /// <summary>The percentage off (1–99) for <see cref="DiscountKind.Percent"/>, or the won off for <see cref="DiscountKind.Amount"/>.</summary>
    public long Value { get; private set; }

    /// <summary>The grade it applies to; null for every grade.</summary>
    public string? GradeCode { get; private set; }

    /// <summary>How many seats may carry it at once (held or sold); null for no limit.</summary>
    public int? QuantityLimit { get; private set; }

    /// <summary>It can be chosen from this instant; null for no start.</summary>
    public DateTimeOffset? StartsAt { get; private set; }

    /// <summary>It can be chosen until this instant (exclusive); null for no end.</summary>
    public DateTimeOffset? EndsAt { get; private set; }

    /// <summary>The condition shown to the fan (e.g. "Youth: bring proof of age to the door").</summary>
    public string? Rule { get; private set; }

    /// <summary>The coupon code that unlocks it (upper case); null for a discount every fan sees.</summary>
    public string? Code { get; private set; }

    public bool IsActive { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>
    /// Optimistic concurrency token, bumped by every claim of a limited discount (<see cref="Claim"/>) and every change:
    /// two orders that read the same number of seats using it cannot both save, so a limit holds across processes.
    /// </summary>
    public int Version { get; private set; }

    public bool IsCoupon => Code is not null;

    public static Discount Create(long performanceId, DiscountTerms terms, DateTimeOffset now)
    {
        var discount = new Discount { PerformanceId = performanceId, CreatedAt = now, IsActive = true };
        discount.Change(terms, now);
        return discount;
    }

    /// <summary>Changes the terms. Seats that already carry it keep the price they were given.</summary>
    public void Change(DiscountTerms terms, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(terms.Name) || terms.Name.Trim().Length > MaxNameLength)
        {
            errors["name"] = [$"The name is 1 to {MaxNameLength} characters."];
        }

        if (terms.Kind == DiscountKind.Percent && terms.Value is < 1 or > 99)
        {
            errors["value"] = ["A percentage is 1 to 99."];
        }

        if (terms.Kind == DiscountKind.Amount && terms.Value is < 1 or > MaxAmount)
        {
            errors["value"] = [$"An amount is 1 to {MaxAmount} won."];
        }

        if (terms.QuantityLimit is < 1 or > MaxQuantity)
        {
            errors["quantityLimit"] = [$"The quantity limit is 1 to {MaxQuantity}."];
        }

        if (terms.StartsAt is { } from && terms.EndsAt is { } to && to <= from)
        {
            errors["endsAt"] = ["The window ends after it starts."];
        }

        if (terms.Rule is { Length: > MaxRuleLength })
        {
            errors["rule"] = [$"The rule is at most {MaxRuleLength} characters."];
        }

        if (terms.Code is { } code && !IsWellFormedCode(code))
        {
            errors["couponCode"] = [$"A coupon code is {MinCodeLength} to {MaxCodeLength} letters, digits or '-'."];
        }

        if (errors.Count > 0)
        {
            throw new DomainException("discount.invalid", "The discount's terms are invalid.", errors);
        }

        Name = terms.Name.Trim();
        Kind = terms.Kind;
        Value = terms.Value;
        GradeCode = string.IsNullOrWhiteSpace(terms.GradeCode) ? null : terms.GradeCode.Trim();
        QuantityLimit = terms.QuantityLimit;
        StartsAt = terms.StartsAt;
        EndsAt = terms.EndsAt;
        Rule = string.IsNullOrWhiteSpace(terms.Rule) ? null : terms.Rule.Trim();
        Code = terms.Code is null ? null : NormalizeCode(terms.Code);
        IsActive = terms.IsActive;
        UpdatedAt = now;
        Version++;
    }

    /// <summary>True when a fan may choose it now for a seat of <paramref name="gradeCode"/> (its quantity aside).</summary>
    public bool IsOfferedAt(DateTimeOffset now, string gradeCode) =>
        IsActive
        && (StartsAt is null || now >= StartsAt)
        && (EndsAt is null || now < EndsAt)
        && (GradeCode is null || string.Equals(GradeCode, gradeCode, StringComparison.Ordinal));

    /// <summary>The price charged for a seat of <paramref name="facePrice"/>: the reduction rounded to whole won in the fan's favour, never below <see cref="MinimumSeatPrice"/>.</summary>
    public long PriceFor(long facePrice)
    {
        if (facePrice <= 0)
        {
            throw new DomainException("discount.face_price", "A seat's face price is positive.");
        }

        var reduction = Kind == DiscountKind.Percent
            ? ((facePrice * Value) + 99) / 100
            : Value;
        var price = facePrice - reduction;
        return Math.Max(price, Math.Min(facePrice, MinimumSeatPrice));
    }

    /// <summary>An order takes seats of this limited discount: bumps the version so that a racing claim's save fails and reads again.</summary>
    public void Claim() => Version++;

    public static string NormalizeCode(string code) => code.Trim().ToUpperInvariant();

    public static bool IsWellFormedCode(string? code)
    {
        var trimmed = code?.Trim();
        return trimmed is { Length: >= MinCodeLength and <= MaxCodeLength } && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
    }
}

public enum DiscountKind
{
    Percent = 0,
    Amount = 1,
}

/// <summary>What the organizer sets on a discount.</summary>
public sealed record DiscountTerms(
    string Name,
    DiscountKind Kind,
    long Value,
    string? GradeCode = null,
    int? QuantityLimit = null,
    DateTimeOffset? StartsAt = null,
    DateTimeOffset? EndsAt = null,
    string? Rule = null,
    string? Code = null,
    bool IsActive = true);
