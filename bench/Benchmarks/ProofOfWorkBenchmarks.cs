using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Ticketing.WaitingRoom.ProofOfWork;

namespace Ticketing.Benchmarks;

/// <summary>
/// What the proof of work costs on one CPU core. <see cref="BotHash"/> is one attempt as a bot would make it (one
/// SHA-256 of a challenge-sized buffer, no allocation; .NET uses the CPU's SHA instructions through OpenSSL), so
/// 1 s ÷ its time is the hashes per second a core gives a bot, and that ÷ 2^difficulty the places per second.
/// <see cref="ServerCheck"/> is what the WaitingRoom spends checking one answer.
/// </summary>
[MemoryDiagnoser]
public class ProofOfWorkBenchmarks
{
    private const string Challenge = "pw1.demo.18.1764560000000.AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB";
    private readonly byte[] _buffer = new byte[Challenge.Length + 1 + 10];
    private readonly byte[] _hash = new byte[32];
    private long _nonce;

    [GlobalSetup]
    public void Setup() => Encoding.ASCII.GetBytes(Challenge + ":", _buffer);

    [Benchmark]
    public int BotHash()
    {
        // Ten decimal digits of the nonce after "challenge:" (the fixed part stays in place).
        var n = ++_nonce;
        for (var i = _buffer.Length - 1; i > Challenge.Length; i--)
        {
            _buffer[i] = (byte)('0' + (n % 10));
            n /= 10;
        }

        SHA256.HashData(_buffer, _hash);
        return Hashcash.LeadingZeroBits(_hash);
    }

    [Benchmark]
    public bool ServerCheck() => Hashcash.IsSolved(Challenge, "1234567890", 18);
}
