using Ticketing.Domain.Accounts;
using static Ticketing.Domain.UnitTests.Builders;

namespace Ticketing.Domain.UnitTests;

public sealed class UserTests
{
    [Theory]
    [InlineData("fan@example.com", "fan@example.com")]
    [InlineData("  Fan@Example.COM ", "fan@example.com")]
    [InlineData("\uFF21\uFF44\uFF4D\uFF49\uFF4E@demo.ticketing", "admin@demo.ticketing")]
    [InlineData("ünï@example.com", "ünï@example.com")]
    public void Normalize_folds_compatibility_forms_and_lower_cases_invariantly(string email, string expected)
    {
        Assert.Equal(expected, User.Normalize(email));
    }

    [Theory]
    [InlineData("admin@demo.ticketing", true)]
    [InlineData("\uFF21\uFF44\uFF4D\uFF49\uFF4E@demo.ticketing", true)]
    [InlineData("adm\u0131n@demo.ticketing", false)]
    [InlineData("\u0430dmin@demo.ticketing", false)]
    [InlineData("admin@demo.tick\u0435ting", false)]
    [InlineData("a@b@c", false)]
    [InlineData("@demo.ticketing", false)]
    public void Only_addresses_that_are_ascii_after_normalisation_are_acceptable(string email, bool acceptable)
    {
        Assert.Equal(acceptable, EmailAddress.IsAcceptable(email));
    }

    [Fact]
    public void The_dotless_i_never_normalises_to_an_ascii_address()
    {
        Assert.NotEqual(User.Normalize("admin@demo.ticketing"), User.Normalize("adm\u0131n@demo.ticketing"));
    }

    [Fact]
    public void A_role_change_revokes_the_accounts_tokens_and_the_same_role_does_not()
    {
        var user = User.Register("fan@example.com", "Fan", "hash", Role.Fan, Now);
        var stamp = user.SecurityStamp;

        user.ChangeRole(Role.Fan);
        Assert.Equal(stamp, user.SecurityStamp);
        user.ChangeRole(Role.Organizer);
        Assert.NotEqual(stamp, user.SecurityStamp);
    }

    [Fact]
    public void Register_trims_the_email_and_defaults_the_display_name_to_it()
    {
        var user = User.Register(" fan@example.com ", " ", "hash", Role.Fan, Now);

        Assert.Equal("fan@example.com", user.Email);
        Assert.Equal("fan@example.com", user.NormalizedEmail);
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
