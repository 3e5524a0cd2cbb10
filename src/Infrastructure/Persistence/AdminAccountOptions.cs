namespace Ticketing.Infrastructure.Persistence;

/// <summary><c>Admin</c> section: an admin account ensured at start-up when both values are set.</summary>
public sealed class AdminAccountOptions
{
    public const string SectionName = "Admin";

    public string? Email { get; set; }

    public string? Password { get; set; }
}
