using System.Security.Cryptography;
using System.Text;
using Ticketing.Application.Abstractions;

namespace Ticketing.WebApi.IntegrationTests.Holds;

/// <summary>
/// A cheap salted hash for tests that log in hundreds of fans: PBKDF2's deliberate slowness is tested
/// elsewhere and would only make the crowd tests slow.
/// </summary>
internal sealed class FastPasswordHasher : IPasswordHasher
{
    public string Hash(string password)
    {
        var salt = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        return salt + ":" + Digest(salt, password);
    }

    public PasswordCheck Verify(string hash, string password)
    {
        var parts = hash.Split(':');
        return parts.Length == 2 && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[1]), Encoding.ASCII.GetBytes(Digest(parts[0], password)))
            ? PasswordCheck.Success
            : PasswordCheck.Failed;
    }

    private static string Digest(string salt, string password) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(salt + password)));
}
