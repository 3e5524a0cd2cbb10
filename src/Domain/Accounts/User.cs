namespace Ticketing.Domain.Accounts;

/// <summary>A person with an account: a fan by default, an organizer or an admin when granted.</summary>
public sealed class User
{
    public const int MaxEmailLength = 254;
    public const int MaxDisplayNameLength = 100;

    private User()
    {
        Email = string.Empty;
        NormalizedEmail = string.Empty;
        DisplayName = string.Empty;
        PasswordHash = string.Empty;
    }

    public Guid Id { get; private set; }

    public string Email { get; private set; }

    /// <summary>Upper-invariant email, unique: the login key.</summary>
    public string NormalizedEmail { get; private set; }

    public string DisplayName { get; private set; }

    public string PasswordHash { get; private set; }

    public Role Role { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static User Register(string email, string displayName, string passwordHash, Role role, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        var trimmed = email.Trim();
        return new User
        {
            Id = Guid.NewGuid(),
            Email = trimmed,
            NormalizedEmail = Normalize(trimmed),
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? trimmed : displayName.Trim(),
            PasswordHash = passwordHash,
            Role = role,
            CreatedAt = now,
        };
    }

    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    public void ChangeRole(Role role) => Role = role;

    public void ChangePasswordHash(string passwordHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        PasswordHash = passwordHash;
    }
}

public enum Role
{
    Fan = 0,
    Organizer = 1,
    Admin = 2,
}
