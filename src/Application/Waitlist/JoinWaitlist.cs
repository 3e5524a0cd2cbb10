using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Waitlist;

namespace Ticketing.Application.Waitlist;

/// <summary>
/// A signed-in fan joins the cancellation waitlist of a published performance that has not started: for 1 to 4
/// seats, of one grade or any, side by side or not. Their place is the join time. Joining again while waiting is
/// refused (leave first); after leaving or being served it is a new place at the back.
/// </summary>
public sealed record JoinWaitlist(Guid FanId, long PerformanceId, string? GradeCode, int Seats, bool Together) : IRequest<Result<WaitlistEntryDto>>;

public sealed class JoinWaitlistValidator : AbstractValidator<JoinWaitlist>
{
    public JoinWaitlistValidator()
    {
        RuleFor(x => x.Seats).InclusiveBetween(1, WaitlistEntry.MaxSeats).OverridePropertyName("seats");
        RuleFor(x => x.GradeCode).MaximumLength(PriceGrade.MaxCodeLength).OverridePropertyName("gradeCode");
    }
}

public sealed class JoinWaitlistHandler(IAppDbContext db, IUniqueViolationDetector uniqueViolations, TimeProvider clock)
    : IRequestHandler<JoinWaitlist, Result<WaitlistEntryDto>>
{
    public async Task<Result<WaitlistEntryDto>> Handle(JoinWaitlist request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var performance = await db.Performances.AsNoTracking()
            .Where(p => p.Id == request.PerformanceId && db.Events.Any(e => e.Id == p.EventId && e.Status == EventStatus.Published))
            .Select(p => new { p.StartsAt, Grades = p.Grades.Select(g => g.Code).ToList() })
            .SingleOrDefaultAsync(cancellationToken);
        if (performance is null)
        {
            return Error.NotFound("performance.not_found", "No published performance has this id.");
        }

        if (now >= performance.StartsAt)
        {
            return Error.Conflict("waitlist.closed", "The performance has started; its waitlist is closed.");
        }

        var grade = string.IsNullOrWhiteSpace(request.GradeCode) ? null : request.GradeCode.Trim();
        if (grade is not null && !performance.Grades.Contains(grade))
        {
            return Error.Validation("waitlist.unknown_grade", "The performance has no such grade.", new Dictionary<string, string[]>
            {
                ["gradeCode"] = [$"Grades of this performance: {string.Join(", ", performance.Grades)}."],
            });
        }

        var entry = await db.WaitlistEntries.SingleOrDefaultAsync(e => e.PerformanceId == request.PerformanceId && e.FanId == request.FanId, cancellationToken);
        if (entry is { Status: WaitlistEntryStatus.Waiting })
        {
            return AlreadyJoined;
        }

        if (entry is null)
        {
            entry = WaitlistEntry.Join(request.FanId, request.PerformanceId, grade, request.Seats, request.Together, now);
            db.WaitlistEntries.Add(entry);
        }
        else
        {
            entry.Rejoin(grade, request.Seats, request.Together, now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return AlreadyJoined;
        }
        catch (DbUpdateException ex) when (uniqueViolations.IsUniqueViolation(ex))
        {
            // The fan's other request joined first.
            return AlreadyJoined;
        }

        return await WaitlistReads.ToDtoAsync(db, entry, now, cancellationToken);
    }

    private static Error AlreadyJoined => Error.Conflict("waitlist.already_joined", "You are already on this performance's waitlist; leave it first to change your request.");
}
