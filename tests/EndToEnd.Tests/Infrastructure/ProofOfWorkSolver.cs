using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ticketing.EndToEnd.Tests.Infrastructure;

/// <summary>Solves a challenge as a client must: a decimal nonce so that SHA-256(challenge ":" nonce) starts with difficulty zero bits.</summary>
internal static class ProofOfWorkSolver
{
    /// <summary>GETs the challenge at <paramref name="url"/> and answers the X-Proof-Of-Work header value (null when no work is asked).</summary>
    public static async Task<string?> SolveAsync(HttpClient http, string url)
    {
        var challenge = await http.GetFromJsonAsync<JsonElement>(url);
        var text = challenge.GetProperty("challenge").GetString()!;
        var difficulty = challenge.GetProperty("difficulty").GetInt32();
        if (difficulty == 0)
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[32];
        for (long n = 0; ; n++)
        {
            var nonce = n.ToString(CultureInfo.InvariantCulture);
            SHA256.HashData(Encoding.UTF8.GetBytes(text + ":" + nonce), hash);
            if (LeadingZeroBits(hash) >= difficulty)
            {
                return text + ":" + nonce;
            }
        }
    }

    private static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var bits = 0;
        foreach (var b in hash)
        {
            if (b != 0)
            {
                return bits + System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24;
            }

            bits += 8;
        }

        return bits;
    }
}
