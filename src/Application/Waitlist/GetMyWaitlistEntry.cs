using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;

namespace Ticketing.Application.Waitlist;

/// <summary>The fan's entry on a performance's waitlist: status, place in line and the offers made to them.</summary>
public sealed record GetMyWaitlistEntry(Guid FanId, long PerformanceId) : IRequest<Result<WaitlistEntryDto>>;

public sealed class GetMyWaitlistEntryHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<GetMyWaitlistEntry, Result<WaitlistEntryDto>>
{
    public async Task<Result<WaitlistEntryDto>> Handle(GetMyWaitlistEntry request, CancellationToken cancellationToken)
    {
        var entry = await db.WaitlistEntries.AsNoTracking()
            .SingleOrDefaultAsync(e => e.PerformanceId == request.PerformanceId && e.FanId == request.FanId, cancellationToken);
        return entry is null
            ? WaitlistReads.NotJoined
            : await WaitlistReads.ToDtoAsync(db, entry, clock.GetUtcNow(), cancellationToken);
    }
}
