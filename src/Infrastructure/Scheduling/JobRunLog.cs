using System.Collections.Concurrent;
using System.Diagnostics;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// This instance's runs of each recurring job: one run at a time per job (a per-second job whose run outlasts the
/// second lets the next firing pass instead of piling up), and the last outcomes (a short ring per job) for the admin page.
/// </summary>
public sealed class JobRunLog(TimeProvider clock)
{
    private const int RunsKept = 20;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LinkedList<JobRunView>> _runs = new(StringComparer.Ordinal);

    /// <summary>Raised after each run of a job ends (with its id and outcome), on the job's thread.</summary>
    public event Action<string, JobRunView>? Recorded;

    public IReadOnlyList<JobRunView> RecentRuns(string jobId)
    {
        if (!_runs.TryGetValue(jobId, out var runs))
        {
            return [];
        }

        lock (runs)
        {
            return runs.ToList();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> unless a run of the same job is still going in this instance, and records its
    /// outcome. A failure is recorded, then rethrown so that Hangfire marks the job failed (retryable from its dashboard).
    /// </summary>
    public async Task RunAsync(string jobId, Func<CancellationToken, Task<string>> work, CancellationToken cancellationToken)
    {
        var gate = _running.GetOrAdd(jobId, static _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            // The run still going covers this firing: it sweeps until nothing it found is left.
            return;
        }

        var startedAt = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        try
        {
            var outcome = await work(cancellationToken);
            Record(jobId, new JobRunView(startedAt, watch.Elapsed.TotalMilliseconds, true, outcome));
        }
        catch (Exception ex)
        {
            Record(jobId, new JobRunView(startedAt, watch.Elapsed.TotalMilliseconds, false, ex.Message));
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    private void Record(string jobId, JobRunView run)
    {
        var runs = _runs.GetOrAdd(jobId, static _ => new LinkedList<JobRunView>());
        lock (runs)
        {
            runs.AddFirst(run);
            while (runs.Count > RunsKept)
            {
                runs.RemoveLast();
            }
        }

        Recorded?.Invoke(jobId, run);
    }
}
