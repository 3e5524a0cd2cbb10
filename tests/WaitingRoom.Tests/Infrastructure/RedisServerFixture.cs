using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Ticketing.WaitingRoom.Tests.Infrastructure;

/// <summary>Starts a private <c>redis-server</c> (Debian package) on a free loopback port, without persistence; stops it on dispose.</summary>
public sealed class RedisServerFixture : IDisposable
{
    private readonly Process _process;

    public RedisServerFixture()
    {
        Port = FreePort();
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server).");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? line;
        while ((line = _process.StandardOutput.ReadLine()) is not null)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("redis-server did not become ready.");
            }
        }

        if (line is null)
        {
            throw new InvalidOperationException("redis-server exited during start.");
        }

        // Keep draining redis-server's log so it never blocks on a full pipe.
        var output = _process.StandardOutput;
        _ = Task.Run(async () =>
        {
            while (await output.ReadLineAsync() is not null)
            {
                // Only draining.
            }
        });
        ConnectionString = $"127.0.0.1:{Port},abortConnect=false,syncTimeout=15000";
        Connection = ConnectionMultiplexer.Connect(ConnectionString);
    }

    public int Port { get; }

    public string ConnectionString { get; }

    public ConnectionMultiplexer Connection { get; }

    public ConnectionMultiplexer NewConnection() => ConnectionMultiplexer.Connect(ConnectionString);

    public void Dispose()
    {
        Connection.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis";
}
