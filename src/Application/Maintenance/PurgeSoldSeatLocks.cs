using MediatR;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Abstractions;

namespace Ticketing.Application.Maintenance;

/// <summary>
/// Forgets the seat locks (the <c>sold:</c> markers above all, which never expire) of every performance that
/// started more than <see cref="After"/> ago and whose sales have closed: nobody can hold, buy or cancel its
/// seats any more, and its tickets in the database are the lasting record.
/// </summary>
/// <remarks>
/// Stateless: each run revisits the performances that started within <see cref="Lookback"/> before that point
/// (deleting a missing key costs next to nothing), so a host that was down for less than the look-back still
/// catches up, and nothing has to remember which performances were done.
/// </remarks>
public sealed record PurgeSoldSeatLocks(TimeSpan After, TimeSpan Lookback) : IRequest<SoldSeatLocksReport>;

public sealed record SoldSeatLocksReport(int Performances, int Forgotten)
{
    public override string ToString() => $"{Forgotten} seat locks of {Performances} performances forgotten";
}

public sealed class PurgeSoldSeatLocksHandler(IAppDbContext db, ISeatLock seatLock, TimeProvider clock) : IRequestHandler<PurgeSoldSeatLocks, SoldSeatLocksReport>
{
    public async Task<SoldSeatLocksReport> Handle(PurgeSoldSeatLocks request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var startedBefore = now - request.After;
        var startedAfter = startedBefore - request.Lookback;
        var performances = await db.Performances.AsNoTracking()
            .Where(p => p.StartsAt <= startedBefore && p.StartsAt > startedAfter && p.SalesCloseAt <= now)
            .OrderBy(p => p.StartsAt)
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
        var forgotten = 0;
        foreach (var performanceId in performances)
        {
            var seatIds = await db.Seats.AsNoTracking().Where(s => s.PerformanceId == performanceId).Select(s => s.Id).ToListAsync(cancellationToken);
            forgotten += await seatLock.ForgetAsync(performanceId, seatIds, cancellationToken);
        }

        return new SoldSeatLocksReport(performances.Count, forgotten);
    }
}
