namespace Ticketing.Application.Abstractions;

/// <summary>What the admin dashboard shows of the background jobs, and its "run now" button.</summary>
public interface IJobAdmin
{
    Task<IReadOnlyList<JobView>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Fires the job once, now. False when no such job exists.</summary>
    Task<bool> RunNowAsync(string group, string name, CancellationToken cancellationToken);
}

/// <summary>A job, its triggers and this instance's recent runs of it (newest first).</summary>
public sealed record JobView(string Group, string Name, string? Description, IReadOnlyList<TriggerView> Triggers, IReadOnlyList<JobRunView> RecentRuns);

public sealed record TriggerView(string Group, string Name, string State, DateTimeOffset? PreviousFireAt, DateTimeOffset? NextFireAt);

public sealed record JobRunView(DateTimeOffset StartedAt, double DurationMs, bool Succeeded, string Outcome);
