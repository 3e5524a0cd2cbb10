using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Events;
using Ticketing.Domain.Discounts;

namespace Ticketing.Application.Discounts;

/// <summary>The organizer adds a discount (or a coupon, with a code) to one of their performances.</summary>
public sealed record CreateDiscount(Actor Actor, long PerformanceId, DiscountInput Input) : IRequest<Result<DiscountDto>>;

public sealed class CreateDiscountHandler(IAppDbContext db, IUniqueViolationDetector uniqueViolations, TimeProvider clock)
    : IRequestHandler<CreateDiscount, Result<DiscountDto>>
{
    public async Task<Result<DiscountDto>> Handle(CreateDiscount request, CancellationToken cancellationToken)
    {
        var grades = await DiscountAccess.OwnedPerformanceGradesAsync(db, request.Actor, request.PerformanceId, cancellationToken);
        if (!grades.IsSuccess)
        {
            return grades.Error!;
        }

        var terms = DiscountAccess.Terms(request.Input, grades.Value, currentCode: null);
        if (!terms.IsSuccess)
        {
            return terms.Error!;
        }

        var discount = Discount.Create(request.PerformanceId, terms.Value, clock.GetUtcNow());
        db.Discounts.Add(discount);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (uniqueViolations.IsUniqueViolation(ex))
        {
            return DiscountAccess.CodeTaken;
        }

        return DiscountAccess.ToDto(discount, 0);
    }
}
