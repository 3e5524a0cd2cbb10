using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Abstractions;
using Ticketing.Infrastructure.Scheduling;

namespace Ticketing.WebApi.IntegrationTests.Jobs;

/// <summary>Waits for a host's recurring job to finish a run (signalled by its run log, no polling).</summary>
internal static class JobRuns
{
    /// <summary>Completes with the first run of <paramref name="jobId"/> that ends after this call (and matches <paramref name="until"/>).</summary>
    public static Task<JobRunView> NextAsync(IServiceProvider services, string jobId, Func<JobRunView, bool>? until = null)
    {
        var log = services.GetRequiredService<JobRunLog>();
        var done = new TaskCompletionSource<JobRunView>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRecorded(string id, JobRunView run)
        {
            if (id == jobId && (until is null || until(run)))
            {
                log.Recorded -= OnRecorded;
                done.TrySetResult(run);
            }
        }

        log.Recorded += OnRecorded;
        return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Completes when <paramref name="jobId"/> has finished a run in this host, at once if it already has.</summary>
    public static async Task FirstAsync(IServiceProvider services, string jobId)
    {
        // Listen first, then look: a run that ends in between is caught by one or the other.
        var next = NextAsync(services, jobId);
        if (services.GetRequiredService<JobRunLog>().RecentRuns(jobId).Count == 0)
        {
            await next;
        }
    }
}
