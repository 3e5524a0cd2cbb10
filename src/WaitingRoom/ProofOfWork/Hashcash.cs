using System.Security.Cryptography;
using System.Text;

namespace Ticketing.WaitingRoom.ProofOfWork;

/// <summary>The puzzle: SHA-256 of <c>challenge ":" nonce</c> (UTF-8) must start with <c>difficulty</c> zero bits.</summary>
internal static class Hashcash
{
    /// <summary>Highest difficulty a room may ask for: 2^30 hashes is minutes on a phone already.</summary>
    public const int MaxDifficulty = 30;

    /// <summary>Longest nonce accepted (the queue page sends a decimal counter).</summary>
    public const int MaxNonceLength = 32;

    public static bool IsSolved(string challenge, string nonce, int difficulty)
    {
        if (difficulty <= 0)
        {
            return true;
        }

        var input = Encoding.UTF8.GetBytes(challenge + ":" + nonce);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return LeadingZeroBits(hash) >= difficulty;
    }

    public static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var bits = 0;
        foreach (var b in hash)
        {
            if (b == 0)
            {
                bits += 8;
                continue;
            }

            return bits + System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24;
        }

        return bits;
    }

    /// <summary>Finds a nonce by counting up from zero (tests, benchmarks and command-line clients).</summary>
    public static string Solve(string challenge, int difficulty)
    {
        for (long n = 0; ; n++)
        {
            var nonce = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (IsSolved(challenge, nonce, difficulty))
            {
                return nonce;
            }
        }
    }
}
