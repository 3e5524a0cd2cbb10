using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Ticketing.WebApi.IntegrationTests.Jobs;

/// <summary>
/// Test-only job filter provider of one host: Hangfire's own filters plus a filter that completes a task when a
/// job enters a given state, so a test can wait for "failed" without polling.
/// </summary>
internal sealed class JobStateSignal(string stateName) : IJobFilterProvider, IApplyStateFilter
{
    private readonly TaskCompletionSource<string> _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The id of the first job that entered the state.</summary>
    public Task<string> Entered => _entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public IEnumerable<JobFilter> GetFilters(Job job) =>
        JobFilterProviders.Providers.GetFilters(job).Append(new JobFilter(this, JobFilterScope.Global, null));

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState.Name == stateName)
        {
            _entered.TrySetResult(context.BackgroundJob.Id);
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
