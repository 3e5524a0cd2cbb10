using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Events;

namespace Ticketing.Application.Discounts;

/// <summary>
/// The organizer changes a discount's terms, or closes it (<c>active: false</c>). Seats that already carry it keep the
/// price they were given; a lower quantity limit only stops new choices.
/// </summary>
public sealed record UpdateDiscount(Actor Actor, long DiscountId, DiscountInput Input) : IRequest<Result<DiscountDto>>;

public sealed class UpdateDiscountHandler(IAppDbContext db, IUniqueViolationDetector uniqueViolations, TimeProvider clock)
    : IRequestHandler<UpdateDiscount, Result<DiscountDto>>
{
    public async Task<Result<DiscountDto>> Handle(UpdateDiscount request, CancellationToken cancellationToken)
    {
        var discount = await db.Discounts.SingleOrDefaultAsync(d => d.Id == request.DiscountId, cancellationToken);
        if (discount is null)
        {
            return DiscountAccess.NotFound;
        }

        var grades = await DiscountAccess.OwnedPerformanceGradesAsync(db, request.Actor, discount.PerformanceId, cancellationToken);
        if (!grades.IsSuccess)
        {
            return DiscountAccess.NotFound;
        }

        var terms = DiscountAccess.Terms(request.Input, grades.Value, discount.Code);
        if (!terms.IsSuccess)
        {
            return terms.Error!;
        }

        discount.Change(terms.Value, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("discount.changed", "Fans took this discount while it was being changed; send the change again.");
        }
        catch (DbUpdateException ex) when (uniqueViolations.IsUniqueViolation(ex))
        {
            return DiscountAccess.CodeTaken;
        }

        var inUse = await DiscountAccess.InUseAsync(db, [discount.Id], null, cancellationToken);
        return DiscountAccess.ToDto(discount, inUse.GetValueOrDefault(discount.Id));
    }
}
