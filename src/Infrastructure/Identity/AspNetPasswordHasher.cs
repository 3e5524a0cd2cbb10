using Microsoft.AspNetCore.Identity;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Accounts;

namespace Ticketing.Infrastructure.Identity;

/// <summary>ASP.NET Core's PBKDF2 password hasher (the shared framework's own, no Identity stores).</summary>
internal sealed class AspNetPasswordHasher : IPasswordHasher
{
    private readonly PasswordHasher<User> _inner = new();

    public string Hash(string password) => _inner.HashPassword(null!, password);

    public PasswordCheck Verify(string hash, string password)
    {
        PasswordVerificationResult result;
        try
        {
            result = _inner.VerifyHashedPassword(null!, hash, password);
        }
        catch (FormatException)
        {
            // A stored hash that is not a hash (corrupt row) never verifies.
            return PasswordCheck.Failed;
        }

        return result switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Success,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.SuccessRehashNeeded,
            _ => PasswordCheck.Failed,
        };
    }
}
