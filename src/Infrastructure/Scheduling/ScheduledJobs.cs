using Quartz;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>The keys of our scheduled work, for the dashboard and for tests.</summary>
public static class ScheduledJobs
{
    public static JobKey ExpiryJob => ExpireOrdersJob.Key;

    public static TriggerKey ExpiryTrigger => ExpireOrdersJob.TriggerKey;

    public static JobKey ReconciliationJob => ReconcilePaymentsJob.Key;

    public static TriggerKey ReconciliationTrigger => ReconcilePaymentsJob.TriggerKey;
}
