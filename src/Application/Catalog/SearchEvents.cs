using FluentValidation;
using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Application.Events;
using Ticketing.Domain.Catalog;

namespace Ticketing.Application.Catalog;

/// <summary>
/// Published events matching a keyword (title, venue, description), a category, and a date range over their
/// performances; soonest first, with the total for paging.
/// </summary>
public sealed record SearchEvents(string? Query, string? Category, DateTimeOffset? From, DateTimeOffset? To, int Page = 1, int PageSize = 20)
    : IRequest<Result<PagedResult<EventSummaryDto>>>;

public sealed class SearchEventsValidator : AbstractValidator<SearchEvents>
{
    public SearchEventsValidator()
    {
        RuleFor(x => x.Query).MaximumLength(100);
        RuleFor(x => x.Category).MaximumLength(Event.MaxCategoryLength);
        RuleFor(x => x.Page).InclusiveBetween(1, 10_000);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 100);
        RuleFor(x => x.To).GreaterThan(x => x.From).When(x => x.From is not null && x.To is not null)
            .WithMessage("'to' must be after 'from'.");
    }
}

public sealed class SearchEventsHandler(IAppDbContext db) : IRequestHandler<SearchEvents, Result<PagedResult<EventSummaryDto>>>
{
    public async Task<Result<PagedResult<EventSummaryDto>>> Handle(SearchEvents request, CancellationToken cancellationToken)
    {
        var query = db.Events.AsNoTracking().Where(e => e.Status == EventStatus.Published);
        if (!string.IsNullOrWhiteSpace(request.Query))
        {
            var pattern = "%" + EscapeLike(request.Query.Trim()) + "%";
            query = query.Where(e => EF.Functions.Like(e.Title, pattern, "\\")
                || EF.Functions.Like(e.Venue, pattern, "\\")
                || EF.Functions.Like(e.Description, pattern, "\\"));
        }

        if (!string.IsNullOrWhiteSpace(request.Category))
        {
            var category = request.Category.Trim();
            query = query.Where(e => e.Category == category);
        }

        if (request.From is not null || request.To is not null)
        {
            var from = request.From?.ToUniversalTime() ?? DateTimeOffset.MinValue.ToUniversalTime();
            var to = request.To?.ToUniversalTime() ?? DateTimeOffset.MaxValue.ToUniversalTime();
            query = query.Where(e => db.Performances.Any(p => p.EventId == e.Id && p.StartsAt >= from && p.StartsAt < to));
        }

        // Soonest upcoming first; events without performances cannot be published, so the Min always exists.
        var ordered = query
            .OrderBy(e => db.Performances.Where(p => p.EventId == e.Id).Min(p => p.StartsAt))
            .ThenBy(e => e.Id);
        return await EventSummaries.PageAsync(db, ordered, request.Page, request.PageSize, cancellationToken);
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal);
}

/// <summary>A published event with its performances and price grades.</summary>
public sealed record GetEvent(long EventId) : IRequest<Result<EventDetailsDto>>;

public sealed class GetEventHandler(IAppDbContext db, IMapper mapper) : IRequestHandler<GetEvent, Result<EventDetailsDto>>
{
    public async Task<Result<EventDetailsDto>> Handle(GetEvent request, CancellationToken cancellationToken)
    {
        var e = await db.Events.AsNoTracking()
            .Include(x => x.Performances).ThenInclude(p => p.Grades)
            .SingleOrDefaultAsync(x => x.Id == request.EventId && x.Status == EventStatus.Published, cancellationToken);
        return e is null ? Error.NotFound("event.not_found", "No published event has this id.") : mapper.Map<EventDetailsDto>(e);
    }
}

/// <summary>A performance of a published event.</summary>
public sealed record GetPerformance(long PerformanceId) : IRequest<Result<PerformanceDto>>;

public sealed class GetPerformanceHandler(IAppDbContext db, IMapper mapper) : IRequestHandler<GetPerformance, Result<PerformanceDto>>
{
    public async Task<Result<PerformanceDto>> Handle(GetPerformance request, CancellationToken cancellationToken)
    {
        var p = await db.Performances.AsNoTracking().Include(x => x.Grades)
            .Where(x => x.Id == request.PerformanceId && db.Events.Any(e => e.Id == x.EventId && e.Status == EventStatus.Published))
            .SingleOrDefaultAsync(cancellationToken);
        return p is null ? Error.NotFound("performance.not_found", "No published performance has this id.") : mapper.Map<PerformanceDto>(p);
    }
}
