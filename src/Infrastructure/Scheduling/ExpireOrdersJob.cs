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

    public async Task Execute(IJobExecutionContext context)
    {
        ExpiryReport report;
        do
        {
            report = await mediator.Send(new ExpireDueOrders(), context.CancellationToken);
        }
        while (report.Expired + report.Skipped >= ExpireDueOrders.DefaultBatchSize && !context.CancellationToken.IsCancellationRequested);

        context.Result = report;
    }
}
