using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ticketing.WaitingRoom.Tests.Infrastructure;

/// <summary>Runs the built WaitingRoom as a real process on a free loopback port (for the browser), killed on dispose.</summary>
internal sealed class WaitingRoomProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _keyDirectory;

    private WaitingRoomProcess(Process process, string baseUrl, string keyDirectory)
    {
        _process = process;
        BaseUrl = baseUrl;
        _keyDirectory = keyDirectory;
    }

    public string BaseUrl { get; }

    public static async Task<WaitingRoomProcess> StartAsync(IDictionary<string, string> settings)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var baseUrl = $"http://127.0.0.1:{port}";
        var keyDirectory = Path.Combine(Path.GetTempPath(), "wr-proc-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ticketing.WaitingRoom.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "src", "WaitingRoom"));
        // Production, so its keys come from configuration as an operator's would (nothing generated).
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["WaitingRoom__KeyDirectory"] = keyDirectory;
        using (var signing = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            start.Environment["WaitingRoom__Signing__PrivateKeyPem"] = signing.ExportPkcs8PrivateKeyPem();
        }

        start.Environment["WaitingRoom__TicketKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment[StartSignal.Setting] = "Information";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the WaitingRoom");
        var started = new StartSignal();
        var log = new System.Text.StringBuilder();
        void Append(string? line)
        {
            started.Observe(line);
            lock (log)
            {
                log.AppendLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var running = new WaitingRoomProcess(process, baseUrl, keyDirectory);
        try
        {
            await started.WaitAsync(process, "the WaitingRoom", baseUrl, TimeSpan.FromSeconds(30), () =>
            {
                lock (log)
                {
                    return log.ToString();
                }
            });
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }

        return running;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (Directory.Exists(_keyDirectory))
        {
            Directory.Delete(_keyDirectory, recursive: true);
        }
    }
}
