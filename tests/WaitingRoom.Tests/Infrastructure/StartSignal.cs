using System.Diagnostics;

namespace Ticketing.WaitingRoom.Tests.Infrastructure;

/// <summary>
/// Tells when a service started as a real process is up: the host's own "Application started." line (a signal, not
/// a poll), then one <c>/health</c> to confirm. Feed it every output line; the process must log
/// <c>Microsoft.Hosting.Lifetime</c> at Information (<see cref="Setting"/>).
/// </summary>
internal sealed class StartSignal
{
    /// <summary>The environment variable that keeps the host's lifetime lines on whatever the default log level.</summary>
    public const string Setting = "Logging__LogLevel__Microsoft.Hosting.Lifetime";

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Observe(string? line)
    {
        if (line is not null && line.Contains("Application started.", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    /// <summary>Waits for the started line or the process's exit, then checks <c>/health</c>; throws with the log otherwise.</summary>
    public async Task WaitAsync(Process process, string name, string baseUrl, TimeSpan timeout, Func<string> log)
    {
        var exited = process.WaitForExitAsync();
        Task first;
        try
        {
            first = await Task.WhenAny(_started.Task, exited).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{name} did not start within {timeout.TotalSeconds:0} s:\n{log()}");
        }

        if (first == exited)
        {
            throw new InvalidOperationException($"{name} exited at start-up ({process.ExitCode}):\n{log()}");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var health = await http.GetAsync(baseUrl + "/health");
        if (!health.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{name} started but /health answered {(int)health.StatusCode}:\n{log()}");
        }
    }
}
