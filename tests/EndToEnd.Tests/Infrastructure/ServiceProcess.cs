using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One of our services run as a real process from its own build output (the configuration these tests were built
/// in), on a free loopback port, with settings as environment variables; killed on dispose. Its output is kept for
/// the failure message.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly StartSignal _started = new();

    private ServiceProcess(Process process, string name, string baseUrl)
    {
        _process = process;
        Name = name;
        BaseUrl = baseUrl;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public string BaseUrl { get; }

    /// <summary>The last lines the service wrote, for assertion messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                var text = _log.ToString();
                return text.Length > 6000 ? text[^6000..] : text;
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>src/{project}</c>'s built assembly and waits until it has started and <c>/health</c> answers.</summary>
    public static async Task<ServiceProcess> StartAsync(string project, string assembly, int port, IDictionary<string, string> settings)
    {
        var baseUrl = $"http://127.0.0.1:{port}";
        var projectDirectory = Path.Combine(RepoPaths.Root, "src", project);
        var output = Path.Combine(projectDirectory, "bin", BuildConfiguration, "net10.0");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = output,
        };
        start.ArgumentList.Add(Path.Combine(output, assembly + ".dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(projectDirectory);
        // As scripts/run.sh starts them: Development, where the demo defaults (simulated payments, generated keys, the
        // demo room) are allowed; outside it both services refuse to start on them.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment[StartSignal.Setting] = "Information";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {project}");
        var service = new ServiceProcess(process, project, baseUrl);
        try
        {
            await service._started.WaitAsync(process, project, baseUrl, TimeSpan.FromSeconds(60), () => service.Log);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>Release or Debug: the segment after <c>bin</c> in these tests' own output folder.</summary>
    private static string BuildConfiguration
    {
        get
        {
            var parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var bin = Array.LastIndexOf(parts, "bin");
            return bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : "Release";
        }
    }

    private void Append(string? line)
    {
        _started.Observe(line);
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
