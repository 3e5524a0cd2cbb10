using Ticketing.Application.Accounts;

namespace Ticketing.Application.UnitTests;

public sealed class AccountValidatorTests
{
    private readonly RegisterValidator _register = new();
    private readonly LoginValidator _login = new();
    private readonly ChangeRoleValidator _changeRole = new();

    [Fact]
    public void Register_accepts_an_email_a_long_enough_password_and_no_display_name()
    {
        Assert.True(_register.Validate(new Register("fan@example.com", "12345678", null)).IsValid);
    }

    [Theory]
    [InlineData("", "12345678", "Email")]
    [InlineData("not-an-email", "12345678", "Email")]
    [InlineData("fan@example.com", "", "Password")]
    [InlineData("fan@example.com", "1234567", "Password")]
    public void Register_refuses_a_bad_email_or_password(string email, string password, string field)
    {
        var result = _register.Validate(new Register(email, password, null));

        Assert.Contains(result.Errors, e => e.PropertyName == field);
    }

    [Fact]
    public void Register_refuses_overlong_values()
    {
        var result = _register.Validate(new Register(new string('a', 250) + "@x.io", new string('p', 129), new string('d', 101)));

        Assert.Equal(["DisplayName", "Email", "Password"], result.Errors.Select(e => e.PropertyName).Distinct().Order());
    }

    [Fact]
    public void Login_needs_an_email_and_a_password()
    {
        var result = _login.Validate(new Login("", ""));

        Assert.Equal(["Email", "Password"], result.Errors.Select(e => e.PropertyName).Distinct().Order());
        Assert.True(_login.Validate(new Login("fan@example.com", "x")).IsValid);
    }

    [Theory]
    [InlineData("fan")]
    [InlineData("Organizer")]
    [InlineData("ADMIN")]
    public void ChangeRole_accepts_each_role_name_in_any_case(string role)
    {
        Assert.True(_changeRole.Validate(new ChangeRole(Guid.NewGuid(), role)).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("superuser")]
    [InlineData("5")]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("fan,admin")]
    public void ChangeRole_refuses_unknown_and_numeric_roles(string role)
    {
        var result = _changeRole.Validate(new ChangeRole(Guid.NewGuid(), role));

        Assert.Contains(result.Errors, e => e.PropertyName == "Role");
    }

    [Fact]
    public void ChangeRole_needs_a_user_id()
    {
        Assert.Contains(_changeRole.Validate(new ChangeRole(Guid.Empty, "fan")).Errors, e => e.PropertyName == "UserId");
    }
}
