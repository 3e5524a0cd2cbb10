using Hangfire;
using MediatR;
using Microsoft.Extensions.Options;
using Ticketing.Application.Maintenance;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary><c>cleanup.sold-keys</c>: forgets the seat locks (sold markers) of performances that are over.</summary>
[AutomaticRetry(Attempts = 3)]
public sealed class PurgeSoldSeatLocksJob(IMediator mediator, JobRunLog runs, IOptions<SchedulingOptions> options)
{
    [JobDisplayName(RecurringJobIds.PurgeSoldKeys)]
    public Task RunAsync(CancellationToken cancellationToken) =>
        runs.RunAsync(
            RecurringJobIds.PurgeSoldKeys,
            async ct => (await mediator.Send(new PurgeSoldSeatLocks(options.Value.SoldKeysAfterStart, options.Value.SoldKeysLookback), ct)).ToString(),
            cancellationToken);
}
