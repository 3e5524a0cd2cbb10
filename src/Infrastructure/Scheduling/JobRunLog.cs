using System.Collections.Concurrent;
using Quartz;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>Keeps this instance's last runs of each job (a short ring per job) for the admin dashboard.</summary>
internal sealed class JobRunLog : IJobListener
{
    private const int RunsKept = 20;
    private readonly ConcurrentDictionary<JobKey, LinkedList<JobRunView>> _runs = new();

    public string Name => "ticketing-job-run-log";

    public IReadOnlyList<JobRunView> RecentRuns(JobKey job)
    {
        if (!_runs.TryGetValue(job, out var runs))
        {
            return [];
        }

        lock (runs)
        {
            return runs.ToList();
        }
    }

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        var run = new JobRunView(
            context.FireTimeUtc,
            context.JobRunTime.TotalMilliseconds,
            jobException is null,
            jobException?.InnerException?.Message ?? jobException?.Message ?? context.Result?.ToString() ?? "done");
        var runs = _runs.GetOrAdd(context.JobDetail.Key, _ => new LinkedList<JobRunView>());
        lock (runs)
        {
            runs.AddFirst(run);
            while (runs.Count > RunsKept)
            {
                runs.RemoveLast();
            }
        }

        return ValueTask.CompletedTask;
    }
}
