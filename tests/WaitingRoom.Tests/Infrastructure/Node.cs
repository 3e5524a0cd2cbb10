using System.Diagnostics;

namespace Ticketing.WaitingRoom.Tests.Infrastructure;

/// <summary>Runs node scripts from <c>tests/WaitingRoom.Tests/js</c>; installs the pinned packages with <c>npm ci</c> once if missing.</summary>
internal static class Node
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static async Task EnsurePackagesAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(RepoPaths.JsFolder, "node_modules", "jose"))
                && Directory.Exists(Path.Combine(RepoPaths.JsFolder, "node_modules", "playwright-core")))
            {
                return;
            }

            var (code, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(3));
            Assert.True(code == 0, "npm ci failed: " + output);
        }
        finally
        {
            InstallLock.Release();
        }
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = RepoPaths.JsFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout}: {await stderr}");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
