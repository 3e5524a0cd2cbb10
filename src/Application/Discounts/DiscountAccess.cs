using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Events;
using Ticketing.Domain.Discounts;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Discounts;

/// <summary>What the discount use cases share: the organizer's access to a performance, the count of seats using a discount.</summary>
internal static class DiscountAccess
{
    private const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>The grade codes of a performance the actor organizes (an admin: any); another organizer's is not found.</summary>
    public static async Task<Result<IReadOnlyList<string>>> OwnedPerformanceGradesAsync(IAppDbContext db, Actor actor, long performanceId, CancellationToken cancellationToken)
    {
        var owner = await db.Performances.AsNoTracking()
            .Where(p => p.Id == performanceId)
            .Join(db.Events, p => p.EventId, e => e.Id, (p, e) => new { e.OrganizerId })
            .SingleOrDefaultAsync(cancellationToken);
        if (owner is null || !(actor.IsAdmin || owner.OrganizerId == actor.UserId))
        {
            return Error.NotFound("performance.not_found", "You organize no performance with this id.");
        }

        var grades = await db.PriceGrades.AsNoTracking().Where(g => g.PerformanceId == performanceId).Select(g => g.Code).ToListAsync(cancellationToken);
        return grades;
    }

    /// <summary>Seats carrying each discount now (live lines: held, awaiting payment or sold), leaving out <paramref name="exceptOrder"/>'s.</summary>
    public static async Task<Dictionary<long, int>> InUseAsync(IAppDbContext db, IReadOnlyCollection<long> discountIds, Guid? exceptOrder, CancellationToken cancellationToken)
    {
        if (discountIds.Count == 0)
        {
            return [];
        }

        var query = db.OrderLines.AsNoTracking().Where(l => l.IsLive && l.DiscountId != null && discountIds.Contains(l.DiscountId.Value));
        if (exceptOrder is { } id)
        {
            query = query.Where(l => l.OrderId != id);
        }

        return await query.GroupBy(l => l.DiscountId!.Value)
            .Select(g => new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Id, x => x.Count, cancellationToken);
    }

    /// <summary>Turns the organizer's input into terms, or a validation error.</summary>
    public static Result<DiscountTerms> Terms(DiscountInput input, IReadOnlyList<string> grades, string? currentCode)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = DiscountNames.Parse(input.Kind);
        if (kind is null)
        {
            errors["kind"] = ["The kind is percent or amount."];
        }

        if (input.Value is null)
        {
            errors["value"] = ["The value is required."];
        }

        if (input.Grade is { Length: > 0 } grade && !grades.Contains(grade))
        {
            errors["grade"] = [$"The performance has no grade '{grade}'."];
        }

        if (input.CouponCode is not null && input.GenerateCode == true)
        {
            errors["couponCode"] = ["Give a coupon code or ask for one to be generated, not both."];
        }

        if (errors.Count > 0)
        {
            return Error.Validation("discount.invalid", "The discount's terms are invalid.", errors);
        }

        var code = input.GenerateCode == true ? currentCode ?? NewCode() : input.CouponCode;
        return new DiscountTerms(input.Name ?? string.Empty, kind!.Value, input.Value!.Value, input.Grade, input.QuantityLimit, input.StartsAt, input.EndsAt, input.Rule, code, input.Active ?? true);
    }

    /// <summary>A random coupon code of 10 characters without look-alikes (about 50 bits): not found by trying.</summary>
    public static string NewCode() => new(RandomNumberGenerator.GetItems<char>(CodeAlphabet, 10));

    public static DiscountDto ToDto(Discount d, int inUse) => new(
        d.Id, d.PerformanceId, d.Name, DiscountNames.Of(d.Kind), d.Value, d.GradeCode, d.QuantityLimit, inUse, d.StartsAt, d.EndsAt, d.Rule, d.Code, d.IsActive);

    public static Error NotFound { get; } = Error.NotFound("discount.not_found", "You organize no discount with this id.");

    public static Error CodeTaken { get; } = Error.Conflict("discount.code_taken", "Another coupon of this performance has this code.");

    /// <summary>The discount of a performance that a coupon code unlocks, or null.</summary>
    public static async Task<Discount?> CouponAsync(IAppDbContext db, long performanceId, string? code, CancellationToken cancellationToken)
    {
        if (!Discount.IsWellFormedCode(code))
        {
            return null;
        }

        var normalized = Discount.NormalizeCode(code!);
        return await db.Discounts.SingleOrDefaultAsync(d => d.PerformanceId == performanceId && d.Code == normalized, cancellationToken);
    }

    public static Error InvalidCoupon { get; } = Error.Validation("coupon.invalid", "This coupon code is not valid for this performance now.", new Dictionary<string, string[]>
    {
        ["coupon"] = ["This coupon code is not valid for this performance now."],
    });

    public static bool IsOpen(Order order, DateTimeOffset now) => order.Status == OrderStatus.Pending && now < order.ExpiresAt;
}
