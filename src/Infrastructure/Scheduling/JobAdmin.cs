using Quartz;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Scheduling;

internal sealed class JobAdmin(ISchedulerFactory schedulers, JobRunLog runs) : IJobAdmin
{
    public async Task<IReadOnlyList<JobView>> ListAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var jobs = new List<JobView>();
        foreach (var key in (await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup(), cancellationToken)).OrderBy(k => k.Group).ThenBy(k => k.Name))
        {
            var detail = await scheduler.GetJobDetail(key, cancellationToken);
            var triggers = new List<TriggerView>();
            foreach (var trigger in await scheduler.GetTriggersOfJob(key, cancellationToken))
            {
                var state = await scheduler.GetTriggerState(trigger.Key, cancellationToken);
                triggers.Add(new TriggerView(trigger.Key.Group, trigger.Key.Name, state.ToString(), trigger.PreviousFireTimeUtc, trigger.NextFireTimeUtc));
            }

            jobs.Add(new JobView(key.Group, key.Name, detail?.Description, triggers, runs.RecentRuns(key)));
        }

        return jobs;
    }

    public async Task<bool> RunNowAsync(string group, string name, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = new JobKey(name, group);
        if (!await scheduler.Exists(key, cancellationToken))
        {
            return false;
        }

        await scheduler.TriggerJob(key, cancellationToken);
        return true;
    }
}

/// <summary>Stands in when this instance runs no scheduler (<c>Jobs:Enabled=false</c>).</summary>
internal sealed class NoJobAdmin : IJobAdmin
{
    public Task<IReadOnlyList<JobView>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<JobView>>([]);

    public Task<bool> RunNowAsync(string group, string name, CancellationToken cancellationToken) => Task.FromResult(false);
}
