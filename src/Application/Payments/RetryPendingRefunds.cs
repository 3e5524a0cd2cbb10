using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Payments;

namespace Ticketing.Application.Payments;

/// <summary>
/// Resends the refunds whose outcome is unknown and whose <see cref="Refund.NextAttemptAt"/> is due (a cancel that
/// timed out, or whose answer was never recorded), each under its own first key (<c>cancel:{refundId}</c>), so Toss
/// refunds at most once. Done → tickets voided and seats back on sale as with the fan's cancel; refused → the refund
/// is failed with Toss's code; still unknown → resent later with backoff; after the last allowed attempt →
/// abandoned for an administrator. Run by a recurring job; each refund's settlement is guarded by its order's
/// version, so concurrent runs (or a fan resending the same cancellation) settle it once.
/// </summary>
public sealed record RetryPendingRefunds(int BatchSize = RetryPendingRefunds.DefaultBatchSize) : IRequest<RefundRetryReport>
{
    public const int DefaultBatchSize = 100;
}

/// <summary>What one run did: refunded, refused by Toss, still unknown (resent later), abandoned, or skipped (moved by someone else, or failed).</summary>
public sealed record RefundRetryReport(int Refunded, int Refused, int StillUnknown, int Abandoned, int Skipped)
{
    public int Total => Refunded + Refused + StillUnknown + Abandoned + Skipped;
}

public sealed partial class RetryPendingRefundsHandler(
    IAppDbContext db,
    RefundSettlement settlement,
    TimeProvider clock,
    ILogger<RetryPendingRefundsHandler> logger) : IRequestHandler<RetryPendingRefunds, RefundRetryReport>
{
    public async Task<RefundRetryReport> Handle(RetryPendingRefunds request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var dueIds = await db.Refunds.AsNoTracking()
            .Where(Refund.Open)
            .Where(r => r.NextAttemptAt != null && r.NextAttemptAt <= now)
            .OrderBy(r => r.NextAttemptAt)
            .Select(r => r.Id)
            .Take(request.BatchSize)
            .ToListAsync(cancellationToken);
        int refunded = 0, refused = 0, unknown = 0, abandoned = 0, skipped = 0;
        foreach (var id in dueIds)
        {
            db.ChangeTracker.Clear();
            var refund = await db.Refunds.SingleAsync(r => r.Id == id, cancellationToken);
            if (!refund.IsOpen || refund.NextAttemptAt is not { } due || due > clock.GetUtcNow())
            {
                skipped++;
                continue;
            }

            try
            {
                var order = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == refund.OrderId, cancellationToken);
                switch ((await settlement.SendAsync(order, refund, cancellationToken)).Result)
                {
                    case RefundSendResult.Refunded: refunded++; break;
                    case RefundSendResult.Refused: refused++; break;
                    case RefundSendResult.Abandoned: abandoned++; break;
                    default: unknown++; break;
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                // The fan's repeat of the cancellation (or another run) settled this refund first; its outcome stands.
                skipped++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One refund's failure must not stop the others; it stays due and is tried on the next run.
                LogFailed(logger, ex, refund.Id);
                db.ChangeTracker.Clear();
                skipped++;
            }
        }

        db.ChangeTracker.Clear();
        return new RefundRetryReport(refunded, refused, unknown, abandoned, skipped);
    }

    [LoggerMessage(EventId = 4510, Level = LogLevel.Error, Message = "Refund {RefundId}: the retry failed; it is tried again on the next run")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid refundId);
}
