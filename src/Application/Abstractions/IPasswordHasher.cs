namespace Ticketing.Application.Abstractions;

/// <summary>Hashes and checks passwords (PBKDF2 through ASP.NET Core's <c>PasswordHasher</c> in production).</summary>
public interface IPasswordHasher
{
    string Hash(string password);

    PasswordCheck Verify(string hash, string password);
}

public enum PasswordCheck
{
    Failed,
    Success,
    SuccessRehashNeeded,
}
