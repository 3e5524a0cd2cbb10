using Ticketing.Infrastructure.Scheduling;

namespace Ticketing.Infrastructure.IntegrationTests.Scheduling;

public sealed class JobRunLogTests
{
    [Fact]
    public async Task A_firing_during_a_run_runs_after_it_and_a_further_one_is_covered_by_the_waiting_one()
    {
        var log = new JobRunLog(TimeProvider.System);
        var firstMayEnd = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<string>();

        var first = log.RunAsync("cleanup.sold-keys", async _ =>
        {
            await firstMayEnd.Task;
            lock (order) { order.Add("first ended"); }
            return "first";
        }, CancellationToken.None);
        var runNow = log.RunAsync("cleanup.sold-keys", _ =>
        {
            lock (order) { order.Add("run now"); }
            return Task.FromResult("run now");
        }, CancellationToken.None);
        var third = log.RunAsync("cleanup.sold-keys", _ =>
        {
            lock (order) { order.Add("third"); }
            return Task.FromResult("third");
        }, CancellationToken.None);

        // The third firing returns at once: the "run now" firing waits and starts after it was asked for.
        await third;
        Assert.False(runNow.IsCompleted);

        firstMayEnd.SetResult();
        await Task.WhenAll(first, runNow);

        Assert.Equal(["first ended", "run now"], order);
        Assert.Equal(["run now", "first"], log.RecentRuns("cleanup.sold-keys").Select(r => r.Outcome));
    }

    [Fact]
    public async Task Another_job_is_not_held_up_and_a_failed_run_is_recorded_and_rethrown()
    {
        var log = new JobRunLog(TimeProvider.System);
        var slow = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var expiry = log.RunAsync("orders.expire", _ => slow.Task, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            log.RunAsync("payments.reconcile", _ => throw new InvalidOperationException("gateway down"), CancellationToken.None));

        Assert.Equal("gateway down", error.Message);
        var run = Assert.Single(log.RecentRuns("payments.reconcile"));
        Assert.False(run.Succeeded);
        Assert.Equal("gateway down", run.Outcome);
        slow.SetResult("expired 0");
        await expiry;
    }
}
