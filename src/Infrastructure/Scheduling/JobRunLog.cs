using System.Collections.Concurrent;
using System.Diagnostics;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>
/// This instance's runs of each recurring job: one run at a time per job, and the last outcomes (a short ring per job)
/// for the admin page. A firing that comes while a run is going is not dropped (that run may have looked at the data
/// before the firing was asked for: an admin's "Run now", a dashboard retry): it waits for that run and then runs.
/// At most one firing waits per job; a further one is covered by the waiting one, which starts after it was asked
/// for, so a per-second job whose run outlasts the second does not pile up.
/// </summary>
public sealed class JobRunLog(TimeProvider clock)
{
    private const int RunsKept = 20;
    private readonly ConcurrentDictionary<string, JobGate> _gates = new(StringComparer.Ordinal);
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
    /// Runs <paramref name="work"/> once the run of the same job going in this instance (if any) has ended, and
    /// records its outcome; returns without running only when another firing already waits, since that one's run
    /// starts after this firing. A failure is recorded, then rethrown so that Hangfire marks the job failed
    /// (retryable from its dashboard).
    /// </summary>
    public async Task RunAsync(string jobId, Func<CancellationToken, Task<string>> work, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(jobId, static _ => new JobGate());
        if (!await gate.Running.WaitAsync(0, cancellationToken))
        {
            if (Interlocked.CompareExchange(ref gate.Waiting, 1, 0) != 0)
            {
                // The firing already waiting covers this one: its run has not started yet.
                return;
            }

            try
            {
                await gate.Running.WaitAsync(cancellationToken);
            }
            finally
            {
                Volatile.Write(ref gate.Waiting, 0);
            }
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
            gate.Running.Release();
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

    private sealed class JobGate
    {
        public readonly SemaphoreSlim Running = new(1, 1);

        /// <summary>1 while a firing waits for the run going to end.</summary>
        public int Waiting;
    }
}
