using System.Diagnostics.Metrics;

namespace Ticketing.Infrastructure.Scheduling;

/// <summary>The jobs' instruments, on the <c>Ticketing.Jobs</c> meter.</summary>
public sealed class JobMetrics
{
    public const string MeterName = "Ticketing.Jobs";

    private readonly Histogram<double> _lateness;

    public JobMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _lateness = meter.CreateHistogram<double>(
            "ticketing.jobs.lateness",
            unit: "s",
            description: "How long after the oldest due deadline it handled a job run found it.");
    }

    public void RecordLateness(string jobId, TimeSpan lateness) =>
        _lateness.Record(Math.Max(0, lateness.TotalSeconds), new KeyValuePair<string, object?>("job", jobId));
}
