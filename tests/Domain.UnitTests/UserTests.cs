using Ticketing.Domain.Accounts;
using static Ticketing.Domain.UnitTests.Builders;

namespace Ticketing.Domain.UnitTests;

public sealed class UserTests
{
    [Theory]
    [InlineData("fan@example.com", "FAN@EXAMPLE.COM")]
    [InlineData("  Fan@Example.COM ", "FAN@EXAMPLE.COM")]
    [InlineData("ünï@example.com", "ÜNÏ@EXAMPLE.COM")]
    public void Normalize_trims_and_upper_cases_invariantly(string email, string expected)
    {
        Assert.Equal(expected, User.Normalize(email));
    }

    [Fact]
    public void Register_trims_the_email_and_defaults_the_display_name_to_it()
    {
        var user = User.Register(" fan@example.com ", " ", "hash", Role.Fan, Now);

        Assert.Equal("fan@example.com", user.Email);
        Assert.Equal("FAN@EXAMPLE.COM", user.NormalizedEmail);
        Assert.Equal("fan@example.com", user.DisplayName);
        Assert.Equal(Role.Fan, user.Role);
        Assert.NotEqual(Guid.Empty, user.Id);
    }

    [Theory]
    [InlineData("", "hash")]
    [InlineData("fan@example.com", " ")]
    public void Register_refuses_an_empty_email_or_hash(string email, string hash)
    {
        Assert.ThrowsAny<ArgumentException>(() => User.Register(email, "Fan", hash, Role.Fan, Now));
    }

    [Fact]
    public void Role_and_password_hash_can_change()
    {
        var user = User.Register("fan@example.com", "Fan", "hash", Role.Fan, Now);

        user.ChangeRole(Role.Organizer);
        user.ChangePasswordHash("new-hash");

        Assert.Equal(Role.Organizer, user.Role);
        Assert.Equal("new-hash", user.PasswordHash);
        Assert.ThrowsAny<ArgumentException>(() => user.ChangePasswordHash(""));
    }
}
