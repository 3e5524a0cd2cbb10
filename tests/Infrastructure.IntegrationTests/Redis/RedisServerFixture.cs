using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ticketing.Infrastructure.IntegrationTests.Redis;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, without persistence, for integration tests.
/// Starts in the constructor and answers PING before the constructor returns; <see cref="Stop"/> and
/// <see cref="Start"/> take it down and bring it back on the same port (outage tests); disposing kills it.
/// Depends only on the BCL so that other test projects can link this file
/// (<c>&lt;Compile Include="..\Infrastructure.IntegrationTests\Redis\RedisServerFixture.cs" Link="..." /&gt;</c>).
/// </summary>
/// <remarks>
/// The executable is <c>redis-server</c> from PATH, or the file named by the <c>TICKETING_REDIS_SERVER</c>
/// environment variable. Missing, it fails with a clear message: these tests are not skipped.
/// </remarks>
public sealed class RedisServerFixture : IDisposable
{
    /// <summary>Environment variable naming the redis-server executable, when it is not on PATH.</summary>
    public const string ExecutableVariable = "TICKETING_REDIS_SERVER";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly string _executable;
    private readonly Lock _gate = new();
    private Process? _process;
    private StringBuilder? _output;
    private bool _disposed;

    public RedisServerFixture()
    {
        _executable = FindExecutable();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

        // A free port can be taken between probing and binding: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            try
            {
                Start();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                Stop();
            }
        }
    }

    public int Port { get; private set; }

    /// <summary>StackExchange.Redis configuration string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false };
            }
        }
    }

    /// <summary>Starts the server on <see cref="Port"/> (no-op when running) and waits until it answers PING.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_process is { HasExited: false })
            {
                return;
            }

            _process?.Dispose();
            _process = Launch();
        }

        WaitUntilAnswering();
    }

    /// <summary>Kills the server (like a crash: no shutdown, no save) and waits for it to exit.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            Kill(_process);
            _process?.Dispose();
            _process = null;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        Stop();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private Process Launch()
    {
        var startInfo = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start '{_executable}': {ex.Message}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _output = output;
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private void WaitUntilAnswering()
    {
        Process process;
        lock (_gate)
        {
            process = _process ?? throw new InvalidOperationException("redis-server was stopped while starting.");
        }

        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < StartTimeout)
        {
            if (AnswersPing(Port))
            {
                return;
            }

            // Waits on the process: returns at once if it died (port taken, bad flag), else after 20 ms.
            if (process.WaitForExit(TimeSpan.FromMilliseconds(20)))
            {
                throw new InvalidOperationException($"redis-server exited at start on port {Port}: {CapturedOutput()}");
            }
        }

        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within {StartTimeout}: {CapturedOutput()}");
    }

    private string CapturedOutput()
    {
        var output = _output;
        if (output is null)
        {
            return "(no output)";
        }

        lock (output)
        {
            return output.ToString();
        }
    }

    private static bool AnswersPing(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            client.ReceiveTimeout = 1000;
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            Span<byte> reply = stackalloc byte[7];
            var read = stream.Read(reply);
            return reply[..read].SequenceEqual("+PONG\r\n"u8);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void Kill(Process? process)
    {
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill: nothing left to stop.
            return;
        }

        process.WaitForExit();
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable(ExecutableVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{ExecutableVariable} names '{configured}', which does not exist.");
        }

        var name = OperatingSystem.IsWindows() ? "redis-server.exe" : "redis-server";
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "redis-server was not found on PATH. These integration tests need a real Redis 7: install it " +
            $"(Debian/Ubuntu: apt-get install redis-server) or set {ExecutableVariable} to its path.");
    }
}
