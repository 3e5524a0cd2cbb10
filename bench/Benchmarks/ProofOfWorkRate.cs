using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ticketing.WaitingRoom.ProofOfWork;

namespace Ticketing.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- pow-rate [seconds] [difficulty...]</c>: hashes one thread makes per second of its own CPU
/// time (so a busy machine does not lower the figure, as it would per second of wall time), and the places per second
/// that leaves one core at each difficulty: hashes/s ÷ 2^difficulty (the expected hashes per solve).
/// </summary>
internal static class ProofOfWorkRate
{
    public static void Run(string[] args)
    {
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var difficulties = args.Length > 2 ? args[2..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [16, 17, 18, 19, 20];
        const string challenge = "pw1.demo.18.1764560000000.AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB";
        var buffer = new byte[challenge.Length + 1 + 10];
        Encoding.ASCII.GetBytes(challenge + ":", buffer);
        Span<byte> hash = stackalloc byte[32];
        var best = 0;
        long hashes = 0;
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        while (wall.Elapsed.TotalSeconds < seconds)
        {
            for (var k = 0; k < 10_000; k++)
            {
                var n = ++hashes;
                for (var i = buffer.Length - 1; i > challenge.Length; i--)
                {
                    buffer[i] = (byte)('0' + (n % 10));
                    n /= 10;
                }

                SHA256.HashData(buffer, hash);
                best = Math.Max(best, Hashcash.LeadingZeroBits(hash));
            }
        }

        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        var perCpuSecond = hashes / cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hashes {hashes:N0} in {cpu:F2} s CPU ({wall.Elapsed.TotalSeconds:F2} s wall); most zero bits seen {best}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one core: {perCpuSecond:N0} hashes per CPU second ({hashes / wall.Elapsed.TotalSeconds:N0} per wall second)"));
        foreach (var d in difficulties)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"difficulty {d}: {perCpuSecond / Math.Pow(2, d):N1} places per second per core (2^{d} = {Math.Pow(2, d):N0} hashes expected per place)"));
        }
    }
}
