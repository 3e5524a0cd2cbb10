using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Waitlist;

namespace Ticketing.Application.Waitlist;

/// <summary>The fan leaves a performance's waitlist. Offers already made stay theirs until paid, declined or lapsed.</summary>
public sealed record LeaveWaitlist(Guid FanId, long PerformanceId) : IRequest<Result<WaitlistEntryDto>>;

public sealed class LeaveWaitlistHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<LeaveWaitlist, Result<WaitlistEntryDto>>
{
    public async Task<Result<WaitlistEntryDto>> Handle(LeaveWaitlist request, CancellationToken cancellationToken)
    {
        var entry = await db.WaitlistEntries.SingleOrDefaultAsync(e => e.PerformanceId == request.PerformanceId && e.FanId == request.FanId, cancellationToken);
        if (entry is null)
        {
            return WaitlistReads.NotJoined;
        }

        var now = clock.GetUtcNow();
        if (entry.Status != WaitlistEntryStatus.Waiting)
        {
            return Error.Conflict("waitlist.not_waiting", $"Your waitlist entry is {entry.Status.StatusName()}; there is nothing to leave.");
        }

        entry.Leave(now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("waitlist.changed", "Seats were just offered to you; read your waitlist entry again.");
        }

        return await WaitlistReads.ToDtoAsync(db, entry, now, cancellationToken);
    }
}
