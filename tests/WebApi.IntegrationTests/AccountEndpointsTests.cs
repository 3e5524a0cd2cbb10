using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Application.Accounts;
using Ticketing.Infrastructure.Persistence;
using static Ticketing.WebApi.IntegrationTests.Api;

namespace Ticketing.WebApi.IntegrationTests;

[Collection(ApiCollection.Name)]
public sealed class AccountEndpointsTests(TicketingApiFactory factory)
{
    private readonly Api _api = new(factory);

    [Fact]
    public async Task Health_answers_ok()
    {
        using var response = await _api.Anonymous().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Register_creates_a_fan_account()
    {
        var email = UniqueEmail();

        using var response = await _api.Anonymous().PostAsJsonAsync("/api/accounts/register", new { email, password = "password-1", displayName = "Fan One" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var account = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(email, account.GetProperty("email").GetString());
        Assert.Equal("fan", account.GetProperty("role").GetString());
        Assert.Equal("Fan One", account.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Register_names_every_invalid_field()
    {
        using var response = await _api.Anonymous().PostAsJsonAsync("/api/accounts/register", new { email = "nope", password = "short", displayName = new string('d', 101) });

        await AssertValidationAsync(response, "email", "password", "displayName");
    }

    [Fact]
    public async Task Register_with_an_empty_body_object_names_email_and_password()
    {
        using var response = await _api.Anonymous().PostAsJsonAsync("/api/accounts/register", new { });

        await AssertValidationAsync(response, "email", "password");
    }

    [Fact]
    public async Task Register_twice_with_the_same_email_in_another_case_is_a_conflict()
    {
        var email = UniqueEmail();
        await _api.RegisterAsync(email);

        using var response = await _api.Anonymous().PostAsJsonAsync("/api/accounts/register", new { email = email.ToUpperInvariant(), password = "password-1" });

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "account.email_taken");
    }

    [Fact]
    public async Task Login_returns_a_bearer_and_a_refresh_token()
    {
        var tokens = await _api.LoginAsync(DemoData.FanEmail, DemoData.FanPassword);

        Assert.Equal("Bearer", tokens.GetProperty("tokenType").GetString());
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("accessToken").GetString()));
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refreshToken").GetString()));
        Assert.True(tokens.GetProperty("expiresIn").GetInt64() > 0);
    }

    [Fact]
    public async Task Login_failure_says_the_same_for_an_unknown_email_and_a_wrong_password()
    {
        var email = UniqueEmail();
        await _api.RegisterAsync(email);
        using var client = _api.Anonymous();

        using var unknown = await client.PostAsJsonAsync("/api/accounts/login", new { email = UniqueEmail(), password = "password-1" });
        using var wrong = await client.PostAsJsonAsync("/api/accounts/login", new { email, password = "wrong-password" });

        var unknownProblem = await AssertProblemAsync(unknown, HttpStatusCode.Unauthorized, "account.invalid_credentials");
        var wrongProblem = await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "account.invalid_credentials");
        var detail = unknownProblem.GetProperty("detail").GetString();
        Assert.Equal(LoginHandler.FailureMessage, detail);
        Assert.Equal(detail, wrongProblem.GetProperty("detail").GetString());
        Assert.Contains("email or password is wrong", detail, StringComparison.Ordinal);
        Assert.Contains("register first", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_without_credentials_names_both_fields()
    {
        using var response = await _api.Anonymous().PostAsJsonAsync("/api/accounts/login", new { email = "", password = "" });

        await AssertValidationAsync(response, "email", "password");
    }

    [Fact]
    public async Task Login_accepts_the_email_in_another_case()
    {
        var tokens = await _api.LoginAsync(DemoData.FanEmail.ToUpperInvariant(), DemoData.FanPassword);

        Assert.True(tokens.TryGetProperty("accessToken", out _));
    }

    [Fact]
    public async Task Me_returns_the_callers_account()
    {
        using var fan = factory.CreateApiClient(await _api.TokenAsync(DemoData.FanEmail, DemoData.FanPassword));

        var me = await fan.GetFromJsonAsync<JsonElement>("/api/me");

        Assert.Equal(DemoData.FanEmail, me.GetProperty("email").GetString());
        Assert.Equal("fan", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Me_is_refused_to_anonymous_callers()
    {
        using var response = await _api.Anonymous().GetAsync("/api/me");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_is_refused_with_a_forged_bearer_token()
    {
        using var response = await factory.CreateApiClient("not-a-real-token").GetAsync("/api/me");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_exchanges_a_refresh_token_for_a_working_access_token()
    {
        var tokens = await _api.LoginAsync(DemoData.FanEmail, DemoData.FanPassword);

        using var response = await _api.Anonymous().PostAsJsonAsync("/api/accounts/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var renewed = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var client = factory.CreateApiClient(renewed.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_role_change_revokes_the_refresh_token_and_the_next_login_carries_the_new_role()
    {
        var email = UniqueEmail();
        var account = await _api.RegisterAsync(email);
        var tokens = await _api.LoginAsync(email, "password-1");
        using var admin = await _api.AdminAsync();
        (await admin.PutAsJsonAsync($"/api/admin/users/{account.GetProperty("id").GetGuid()}/role", new { role = "organizer" })).Dispose();

        using var response = await _api.Anonymous().PostAsJsonAsync("/api/accounts/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() });
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "account.invalid_refresh_token");

        var renewed = await _api.LoginAsync(email, "password-1");
        using var organizer = factory.CreateApiClient(renewed.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await organizer.GetAsync("/api/organizer/events")).StatusCode);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Refresh_with_a_bad_token_is_unauthorized(string refreshToken)
    {
        using var response = await _api.Anonymous().PostAsJsonAsync("/api/accounts/refresh", new { refreshToken });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "account.invalid_refresh_token");
    }

    [Fact]
    public async Task An_access_token_is_not_accepted_as_a_refresh_token()
    {
        var tokens = await _api.LoginAsync(DemoData.FanEmail, DemoData.FanPassword);

        using var response = await _api.Anonymous().PostAsJsonAsync("/api/accounts/refresh", new { refreshToken = tokens.GetProperty("accessToken").GetString() });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "account.invalid_refresh_token");
    }

    [Fact]
    public async Task Admin_changes_a_role_and_the_new_login_carries_it()
    {
        var email = UniqueEmail();
        var account = await _api.RegisterAsync(email);
        using var admin = await _api.AdminAsync();

        using var response = await admin.PutAsJsonAsync($"/api/admin/users/{account.GetProperty("id").GetGuid()}/role", new { role = "Organizer" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("organizer", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());
        using var organizer = factory.CreateApiClient(await _api.TokenAsync(email, "password-1"));
        Assert.Equal("organizer", (await organizer.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("5")]
    [InlineData("1")]
    [InlineData("fan,admin")]
    [InlineData("root")]
    [InlineData("")]
    public async Task Admin_role_change_refuses_unknown_and_numeric_roles(string role)
    {
        var account = await _api.RegisterAsync(UniqueEmail());
        using var admin = await _api.AdminAsync();

        using var response = await admin.PutAsJsonAsync($"/api/admin/users/{account.GetProperty("id").GetGuid()}/role", new { role });

        await AssertValidationAsync(response, "role");
    }

    [Fact]
    public async Task Admin_role_change_of_an_unknown_account_is_not_found()
    {
        using var admin = await _api.AdminAsync();

        using var response = await admin.PutAsJsonAsync($"/api/admin/users/{Guid.NewGuid()}/role", new { role = "fan" });

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "account.not_found");
    }

    [Fact]
    public async Task Role_change_is_refused_to_anonymous_callers()
    {
        using var response = await _api.Anonymous().PutAsJsonAsync($"/api/admin/users/{Guid.NewGuid()}/role", new { role = "admin" });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_fan_cannot_change_roles()
    {
        using var fan = await _api.FanAsync();
        var me = await fan.GetFromJsonAsync<JsonElement>("/api/me");

        using var response = await fan.PutAsJsonAsync($"/api/admin/users/{me.GetProperty("id").GetGuid()}/role", new { role = "admin" });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_organizer_cannot_change_roles()
    {
        using var organizer = await _api.DemoOrganizerAsync();

        using var response = await organizer.PutAsJsonAsync($"/api/admin/users/{Guid.NewGuid()}/role", new { role = "admin" });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }
}
