using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Accounts;

/// <summary>
/// Accounts under attack, over HTTP: login attempts limited per account, confirmations per fan, refresh tokens that
/// rotate and detect reuse, a role change that ends the account's sessions at once, and an admin bootstrap that
/// never promotes a self-registered account nor lets a look-alike address in.
/// </summary>
public sealed class AccountSecurityTests : IDisposable
{
    private const string Password = "fan-password-1";
    private readonly List<BookingApiFactory> _apis = [];

    public void Dispose() => _apis.ForEach(a => a.Dispose());

    [Fact]
    public async Task Login_attempts_are_limited_per_account_whatever_the_address_without_telling_whether_it_exists()
    {
        var api = Api(("RateLimits:LoginBurstPerAccount", "3"), ("RateLimits:LoginsPerAccountPerHour", "1"));
        var email = await RegisterAsync(api);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(api, email, "wrong-password", $"203.0.113.{i}")).StatusCode);
        }

        // The right password, from yet another client and written in upper case: the account's attempts are spent.
        var limited = await LogInAsync(api, email.ToUpperInvariant(), Password, "198.51.100.7");
        var unknown = "nobody-" + Guid.NewGuid().ToString("N") + "@test.ticketing";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(api, unknown, "wrong-password", $"203.0.113.{i}")).StatusCode);
        }

        var limitedUnknown = await LogInAsync(api, unknown, Password, "198.51.100.8");

        var problem = await Ticketing.WebApi.IntegrationTests.Api.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        var unknownProblem = await Ticketing.WebApi.IntegrationTests.Api.AssertProblemAsync(limitedUnknown, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(problem.GetProperty("detail").GetString(), unknownProblem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await LogInAsync(api, await RegisterAsync(api), Password)).StatusCode);
    }

    [Fact]
    public async Task Payment_confirmations_are_limited_per_fan()
    {
        var api = Api(("RateLimits:ConfirmBurst", "2"), ("RateLimits:ConfirmsPerMinute", "1"));
        var fan = await api.FanAsync();
        var body = new { paymentKey = "pk", orderId = Guid.NewGuid().ToString("N"), amount = 1000 };
        Assert.Equal(HttpStatusCode.NotFound, (await fan.PostAsJsonAsync("/api/payments/confirm", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fan.PostAsJsonAsync("/api/payments/confirm", body)).StatusCode);

        var limited = await fan.PostAsJsonAsync("/api/payments/confirm", body);

        await Ticketing.WebApi.IntegrationTests.Api.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter);
        var other = await api.FanAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync("/api/payments/confirm", body)).StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_rotates_and_one_used_twice_revokes_its_family_and_the_accounts_access_tokens()
    {
        var api = Api();
        var email = await RegisterAsync(api);
        var (access1, refresh1) = await TokensAsync(await LogInAsync(api, email, Password));

        var rotated = await RefreshAsync(api, refresh1);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var (access2, refresh2) = await TokensAsync(rotated);
        Assert.NotEqual(refresh1, refresh2);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(api, access2)).StatusCode);

        var reused = await RefreshAsync(api, refresh1);

        await Ticketing.WebApi.IntegrationTests.Api.AssertProblemAsync(reused, HttpStatusCode.Unauthorized, "account.refresh_token_reused");
        await Ticketing.WebApi.IntegrationTests.Api.AssertProblemAsync(await RefreshAsync(api, refresh2), HttpStatusCode.Unauthorized, "account.invalid_refresh_token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(api, access2)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(api, access1)).StatusCode);
        var (again, _) = await TokensAsync(await LogInAsync(api, email, Password));
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(api, again)).StatusCode);
    }

    [Fact]
    public async Task A_role_change_revokes_the_accounts_access_and_refresh_tokens_at_once()
    {
        var api = Api();
        var email = await RegisterAsync(api);
        var (access, refresh) = await TokensAsync(await LogInAsync(api, email, Password));
        var me = await (await MeAsync(api, access)).Content.ReadFromJsonAsync<JsonElement>(); // the token is now cached
        var (admin, _) = await TokensAsync(await LogInAsync(api, "admin@test.ticketing", "admin-test-1"));
        using var adminClient = Client(api, admin);

        var change = await adminClient.PutAsJsonAsync($"/api/admin/users/{me.GetProperty("id").GetString()}/role", new { role = "organizer" });

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(api, access)).StatusCode);
        await Ticketing.WebApi.IntegrationTests.Api.AssertProblemAsync(await RefreshAsync(api, refresh), HttpStatusCode.Unauthorized, "account.invalid_refresh_token");
        var (fresh, _) = await TokensAsync(await LogInAsync(api, email, Password));
        var now = await (await MeAsync(api, fresh)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("organizer", now.GetProperty("role").GetString());
    }

    [Fact]
    public async Task The_admin_bootstrap_never_promotes_a_self_registered_account()
    {
        var api = Api();
        var email = "boss-" + Guid.NewGuid().ToString("N")[..8] + "@test.ticketing";
        await RegisterAsync(api, email);
        var restarted = new BookingApiFactory(folder: api.Folder).With("Admin:Email", email.ToUpperInvariant()).With("Admin:Password", "taken-over-1");
        _apis.Add(restarted);

        var refused = Assert.ThrowsAny<Exception>(() => restarted.CreateClient());

        Assert.Contains("Admin:Email", refused.ToString(), StringComparison.Ordinal);
        var (token, _) = await TokensAsync(await LogInAsync(api, email, Password));
        var me = await (await MeAsync(api, token)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("fan", me.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(api, email, "taken-over-1")).StatusCode);
    }

    [Fact]
    public async Task Look_alike_addresses_can_neither_register_beside_the_admin_nor_log_in_as_it()
    {
        var api = Api();
        const string dotless = "adm\u0131n@test.ticketing";
        const string fullwidth = "\uFF41\uFF44\uFF4D\uFF49\uFF4E@test.ticketing";
        const string cyrillic = "\u0430dmin@test.ticketing";
        using var client = Client(api);

        var register = await client.PostAsJsonAsync("/api/accounts/register", new { email = dotless, password = Password });
        var cyrillicRegister = await client.PostAsJsonAsync("/api/accounts/register", new { email = cyrillic, password = Password });
        var fullwidthRegister = await client.PostAsJsonAsync("/api/accounts/register", new { email = fullwidth, password = Password });

        var problem = await Ticketing.WebApi.IntegrationTests.Api.AssertProblemAsync(register, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("Email", out _) || problem.GetProperty("errors").TryGetProperty("email", out _));
        Assert.Equal(HttpStatusCode.BadRequest, cyrillicRegister.StatusCode);
        await Ticketing.WebApi.IntegrationTests.Api.AssertProblemAsync(fullwidthRegister, HttpStatusCode.Conflict, "account.email_taken");
        Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(api, dotless, "admin-test-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LogInAsync(api, fullwidth, "admin-test-1")).StatusCode); // the same address, folded
    }

    private BookingApiFactory Api(params (string Key, string Value)[] settings)
    {
        var api = new BookingApiFactory();
        foreach (var (key, value) in settings)
        {
            api.With(key, value);
        }

        _apis.Add(api);
        return api;
    }

    private static HttpClient Client(BookingApiFactory api, string? token = null)
    {
        var client = api.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static async Task<string> RegisterAsync(BookingApiFactory api, string? email = null)
    {
        email ??= $"fan-{Guid.NewGuid():N}@test.ticketing";
        using var client = Client(api);
        (await client.PostAsJsonAsync("/api/accounts/register", new { email, password = Password })).EnsureSuccessStatusCode();
        return email;
    }

    private static async Task<HttpResponseMessage> LogInAsync(BookingApiFactory api, string email, string password, string? forwardedFor = null)
    {
        using var client = Client(api);
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }

        var response = await client.PostAsJsonAsync("/api/accounts/login", new { email, password });
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<HttpResponseMessage> RefreshAsync(BookingApiFactory api, string refreshToken)
    {
        using var client = Client(api);
        var response = await client.PostAsJsonAsync("/api/accounts/refresh", new { refreshToken });
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<HttpResponseMessage> MeAsync(BookingApiFactory api, string token)
    {
        using var client = Client(api, token);
        var response = await client.GetAsync("/api/me");
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<(string Access, string Refresh)> TokensAsync(HttpResponseMessage login)
    {
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }
}
