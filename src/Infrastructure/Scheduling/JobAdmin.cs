using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// The admin page's view of Hangfire's recurring jobs: <c>orders.expire</c> is group <c>orders</c>, name
/// <c>expire</c>. "Run now" triggers the recurring job (it runs on whichever server picks it up).
/// </summary>
internal sealed class JobAdmin(JobStorage storage, IRecurringJobManager manager, JobRunLog runs, IOptions<SchedulingOptions> options) : IJobAdmin
{
    public Task<IReadOnlyList<JobView>> ListAsync(CancellationToken cancellationToken)
    {
        var descriptions = RecurringJobs.Declare(options.Value).ToDictionary(j => j.Id, j => j.Description, StringComparer.Ordinal);
        using var connection = storage.GetConnection();
        IReadOnlyList<JobView> jobs = connection.GetRecurringJobs()
            .OrderBy(j => j.Id, StringComparer.Ordinal)
            .Select(j =>
            {
                var (group, name) = Split(j.Id);
                var state = j.Error is not null ? "Error" : j.LastJobState ?? "Scheduled";
                var trigger = new TriggerView("cron", j.Cron, state, ToOffset(j.LastExecution), ToOffset(j.NextExecution));
                return new JobView(group, name, descriptions.GetValueOrDefault(j.Id), [trigger], runs.RecentRuns(j.Id));
            })
            .ToList();
        return Task.FromResult(jobs);
    }

    public Task<bool> RunNowAsync(string group, string name, CancellationToken cancellationToken)
    {
        var id = group + "." + name;
        using var connection = storage.GetConnection();
        if (!connection.GetRecurringJobs([id]).Any(j => !j.Removed && j.Job is not null))
        {
            return Task.FromResult(false);
        }

        manager.Trigger(id);
        return Task.FromResult(true);
    }

    private static (string Group, string Name) Split(string id)
    {
        var dot = id.IndexOf('.', StringComparison.Ordinal);
        return dot <= 0 ? (string.Empty, id) : (id[..dot], id[(dot + 1)..]);
    }

    private static DateTimeOffset? ToOffset(DateTime? utc) =>
        utc is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
}
