using FluentValidation;
using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;

namespace Ticketing.Application.Events;

/// <summary>Changes a performance's schedule and selling rules. The seat map itself is fixed once created.</summary>
public sealed record UpdatePerformance(Actor Actor, long PerformanceId, PerformanceSettings Settings) : IRequest<Result<PerformanceDto>>;

public sealed class UpdatePerformanceValidator : AbstractValidator<UpdatePerformance>
{
    public UpdatePerformanceValidator() => PerformanceSettingsRules.Apply(this, x => x.Settings);
}

public sealed class UpdatePerformanceHandler(IAppDbContext db, ISellingRulesCache sellingRules, IMapper mapper) : IRequestHandler<UpdatePerformance, Result<PerformanceDto>>
{
    public async Task<Result<PerformanceDto>> Handle(UpdatePerformance request, CancellationToken cancellationToken)
    {
        var performance = await db.Performances.Include(p => p.Grades).SingleOrDefaultAsync(p => p.Id == request.PerformanceId, cancellationToken);
        if (performance is null)
        {
            return Error.NotFound("performance.not_found", "No performance has this id.");
        }

        var owner = await db.Events.AsNoTracking().Where(e => e.Id == performance.EventId).Select(e => e.OrganizerId).SingleAsync(cancellationToken);
        if (!request.Actor.IsAdmin && owner != request.Actor.UserId)
        {
            return Error.Forbidden("event.not_owner", "This event belongs to another organizer.");
        }

        performance.Reschedule(request.Settings.ToSchedule());
        performance.ChangeRules(request.Settings.ToRules());
        performance.ChangeWaitlistRules(request.Settings.ToReturnedSeats(), request.Settings.ToWaitlistOfferMinutes()); // waitlist (issue 13.1)
        if (request.Settings.GuestBooking is { } guestBooking)
        {
            performance.OpenToGuests(guestBooking); // guest booking (issue 13.3)
        }

        performance.ChangeTransferLimit(request.Settings.TransferLimit); // transfer (issue 13.4)
        await db.SaveChangesAsync(cancellationToken);
        sellingRules.Invalidate(performance.Id);
        return mapper.Map<PerformanceDto>(performance);
    }
}

/// <summary>The caller's events (an admin sees every organizer's), newest first, drafts included.</summary>
public sealed record ListOwnEvents(Actor Actor, int Page = 1, int PageSize = 20) : IRequest<Result<PagedResult<EventSummaryDto>>>;

public sealed class ListOwnEventsValidator : AbstractValidator<ListOwnEvents>
{
    public ListOwnEventsValidator()
    {
        RuleFor(x => x.Page).GreaterThanOrEqualTo(1);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 100);
    }
}

public sealed class ListOwnEventsHandler(IAppDbContext db) : IRequestHandler<ListOwnEvents, Result<PagedResult<EventSummaryDto>>>
{
    public async Task<Result<PagedResult<EventSummaryDto>>> Handle(ListOwnEvents request, CancellationToken cancellationToken)
    {
        var query = db.Events.AsNoTracking();
        if (!request.Actor.IsAdmin)
        {
            query = query.Where(e => e.OrganizerId == request.Actor.UserId);
        }

        return await EventSummaries.PageAsync(db, query.OrderByDescending(e => e.Id), request.Page, request.PageSize, cancellationToken);
    }
}
