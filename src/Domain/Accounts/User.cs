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

    /// <summary>The email as <see cref="EmailAddress.Normalize"/> makes it (NFKC, lower case, ASCII), unique: the login key.</summary>
    public string NormalizedEmail { get; private set; }

    public string DisplayName { get; private set; }

    public string PasswordHash { get; private set; }

    public Role Role { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// Changes whenever the account's tokens must stop working (a role change, a refresh token used twice). Every
    /// access and refresh token carries the stamp it was issued under.
    /// </summary>
    public Guid SecurityStamp { get; private set; }

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
            SecurityStamp = Guid.NewGuid(),
        };
    }

    public static string Normalize(string email) => EmailAddress.Normalize(email);

    /// <summary>A new role; the tokens issued under the old one stop working (a demotion takes effect at once).</summary>
    public void ChangeRole(Role role)
    {
        if (role != Role)
        {
            Role = role;
            RevokeTokens();
        }
    }

    /// <summary>Every access and refresh token issued so far stops working.</summary>
    public void RevokeTokens() => SecurityStamp = Guid.NewGuid();

    public void ChangePasswordHash(string passwordHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        PasswordHash = passwordHash;
    }

    // --- Guest booking (issue 13.3): an account made from a verified phone, without a password. ---

    /// <summary>Prefix of a guest account's login key: no registered email has it (every email has an <c>@</c>).</summary>
    public const string GuestKeyPrefix = "tel:";

    /// <summary>What a guest account stores as its password hash: not a hash, so no password ever verifies.</summary>
    public const string NoPassword = "guest:no-password";

    /// <summary>
    /// The guest account of a verified phone (E.164, from <see cref="PhoneNumber.Normalize"/>): one per phone, found by
    /// its normalised key <c>tel:+82...</c>. It has no password, so it never logs in; its sessions come from a verified code.
    /// </summary>
    public static User RegisterGuest(string phoneE164, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneE164);
        return new User
        {
            Id = Guid.NewGuid(),
            Email = GuestKeyPrefix + phoneE164,
            NormalizedEmail = GuestKeyOf(phoneE164),
            DisplayName = PhoneNumber.Mask(phoneE164),
            PasswordHash = NoPassword,
            Role = Role.Guest,
            CreatedAt = now,
            SecurityStamp = Guid.NewGuid(),
        };
    }

    /// <summary>The login key of the guest account of a phone (E.164).</summary>
    public static string GuestKeyOf(string phoneE164) => GuestKeyPrefix + phoneE164;
}

public enum Role
{
    Fan = 0,
    Organizer = 1,
    Admin = 2,

    /// <summary>Guest booking (issue 13.3): an account of a verified phone, without a password.</summary>
    Guest = 3,
}
