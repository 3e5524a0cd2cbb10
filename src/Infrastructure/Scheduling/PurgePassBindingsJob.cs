using Hangfire;
using MediatR;
using Microsoft.Extensions.Options;
using Ticketing.Application.Maintenance;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary><c>cleanup.pass-bindings</c>: deletes the bindings of waiting-room passes that have expired.</summary>
[AutomaticRetry(Attempts = 3)]
public sealed class PurgePassBindingsJob(IMediator mediator, JobRunLog runs, IOptions<SchedulingOptions> options)
{
    [JobDisplayName(RecurringJobIds.PurgePassBindings)]
    public Task RunAsync(CancellationToken cancellationToken) =>
        runs.RunAsync(
            RecurringJobIds.PurgePassBindings,
            async ct => $"{await mediator.Send(new PurgeExpiredPassBindings(options.Value.PassBindingGrace), ct)} bindings deleted",
            cancellationToken);
}
