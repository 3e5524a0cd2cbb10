using Hangfire;
using MediatR;
using Microsoft.Extensions.Options;
using Ticketing.Application.Maintenance;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary><c>cleanup.idempotency-records</c>: forgets <c>Idempotency-Key</c> records older than the retention.</summary>
[AutomaticRetry(Attempts = 3)]
public sealed class PurgeIdempotencyRecordsJob(IMediator mediator, JobRunLog runs, IOptions<SchedulingOptions> options)
{
    [JobDisplayName(RecurringJobIds.PurgeIdempotencyRecords)]
    public Task RunAsync(CancellationToken cancellationToken) =>
        runs.RunAsync(
            RecurringJobIds.PurgeIdempotencyRecords,
            async ct => $"{await mediator.Send(new PurgeIdempotencyRecords(options.Value.IdempotencyRetention), ct)} records deleted",
            cancellationToken);
}
