using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// Keeps a finished run of this job for a shorter time than Hangfire's day: a job that runs every second would
/// otherwise keep 86,400 finished runs in the storage and on the dashboard's list.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class KeepSucceededForAttribute : JobFilterAttribute, IApplyStateFilter
{
    public int Minutes { get; set; } = 60;

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.NewState is SucceededState or DeletedState)
        {
            context.JobExpirationTimeout = TimeSpan.FromMinutes(Minutes);
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
