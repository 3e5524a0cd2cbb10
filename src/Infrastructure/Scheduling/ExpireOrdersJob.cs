using MediatR;
using Quartz;
using Ticketing.Application.Orders;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// Every second: expire pending orders past their deadline. One recurring trigger in the persistent, clustered
/// store: it resumes after a restart, fires on one instance at a time, and the expiry itself is idempotent.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ExpireOrdersJob(IMediator mediator) : IJob
{
    public static readonly JobKey Key = new("expire-orders", "orders");
    public static readonly TriggerKey TriggerKey = new("expire-orders-recurring", "orders");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ExpiryReport report;
        do
        {
            report = await mediator.Send(new ExpireDueOrders(), cancellationToken);
        }
        while (report.Expired + report.Skipped >= ExpireDueOrders.DefaultBatchSize && !cancellationToken.IsCancellationRequested);

        context.Result = report;
    }
}
