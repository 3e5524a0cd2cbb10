using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.IntegrationTests.Support;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.IntegrationTests.Accounts;

/// <summary>
/// Registration asks for proof of work while a waiting room takes fans: the API reads the WaitingRoom's public policy
/// (here a stand-in answering what the test sets), caches it a few seconds, and falls back to its configured difficulty
/// when the WaitingRoom cannot be asked.
/// </summary>
public sealed class RegistrationProofOfWorkTests
{
    private static async Task<(string Challenge, int Difficulty)> ChallengeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/accounts/registration-challenge");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("challenge").GetString()!, body.GetProperty("difficulty").GetInt32());
    }

    private static string Solve(string challenge, int difficulty)
    {
        for (long n = 0; ; n++)
        {
            var nonce = n.ToString(CultureInfo.InvariantCulture);
            if (RegistrationProofOfWork.IsSolved(challenge, nonce, difficulty))
            {
                return challenge + ":" + nonce;
            }
        }
    }

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string? proof, string? email = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/register")
        {
            Content = JsonContent.Create(new { email = email ?? Api.UniqueEmail(), password = "password-1", displayName = "Pow" }),
        };
        if (proof is not null)
        {
            request.Headers.Add(RegistrationProofOfWork.Header, proof);
        }

        return client.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string code, string? detailContains = null)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, body.GetProperty("code").GetString());
        if (detailContains is not null)
        {
            Assert.Contains(detailContains, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_no_room_taking_fans_registration_needs_no_work()
    {
        await using var api = new PowApiFactory();
        api.Policy.Answer(activeRooms: 0, difficulty: 0);
        using var client = api.CreateApiClient();
        Assert.Equal(0, (await ChallengeAsync(client)).Difficulty);
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client, null)).StatusCode);
    }

    [Fact]
    public async Task While_a_room_is_open_each_account_costs_one_solved_fresh_challenge_of_the_rooms_difficulty()
    {
        await using var api = new PowApiFactory();
        api.Policy.Answer(activeRooms: 2, difficulty: 8);
        using var client = api.CreateApiClient();

        await AssertProblemAsync(await RegisterAsync(client, null), "pow.required");

        var (challenge, difficulty) = await ChallengeAsync(client);
        Assert.Equal(8, difficulty);
        var proof = Solve(challenge, difficulty);
        var email = Api.UniqueEmail();
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client, proof, email)).StatusCode);
        await AssertProblemAsync(await RegisterAsync(client, proof), "pow.invalid", "already used");

        // Wrong nonce, altered or foreign challenges, junk.
        (challenge, _) = await ChallengeAsync(client);
        var wrong = Enumerable.Range(0, 100).Select(i => i.ToString(CultureInfo.InvariantCulture)).First(n => !RegistrationProofOfWork.IsSolved(challenge, n, 8));
        await AssertProblemAsync(await RegisterAsync(client, challenge + ":" + wrong), "pow.invalid", "does not solve");
        var altered = challenge[..^2] + (challenge[^2] == 'A' ? "B" : "A") + challenge[^1];
        await AssertProblemAsync(await RegisterAsync(client, Solve(altered, 0)), "pow.invalid", "malformed");
        await AssertProblemAsync(await RegisterAsync(client, "pw1.demo.0.1.a.b:0"), "pow.invalid");
        await AssertProblemAsync(await RegisterAsync(client, ":"), "pow.invalid");
        await AssertProblemAsync(await RegisterAsync(client, new string('x', 5000) + ":1"), "pow.invalid");

        // Expired: solved, but sent after the challenge's lifetime.
        var late = Solve(challenge, 8);
        api.Clock.Advance(TimeSpan.FromMinutes(5));
        await AssertProblemAsync(await RegisterAsync(client, late), "pow.invalid", "expired");
    }

    [Fact]
    public async Task The_policy_is_asked_once_per_few_seconds_and_a_change_applies_after_that()
    {
        await using var api = new PowApiFactory();
        api.Policy.Answer(activeRooms: 1, difficulty: 6);
        using var client = api.CreateApiClient();
        var easy = await ChallengeAsync(client);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ChallengeAsync(client)));
        Assert.Equal(1, api.Policy.Calls);

        api.Policy.Answer(activeRooms: 1, difficulty: 12);
        Assert.Equal(6, (await ChallengeAsync(client)).Difficulty);
        api.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(12, (await ChallengeAsync(client)).Difficulty);
        Assert.Equal(2, api.Policy.Calls);

        // A challenge of the easier time no longer counts once more work is asked.
        await AssertProblemAsync(await RegisterAsync(client, Solve(easy.Challenge, easy.Difficulty)), "pow.invalid", "now asks for 12");

        api.Policy.Answer(activeRooms: 0, difficulty: 0);
        api.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client, null)).StatusCode);
    }

    [Theory]
    [InlineData("down")]
    [InlineData("error")]
    [InlineData("nonsense")]
    public async Task When_the_waiting_room_cannot_be_asked_registration_asks_the_configured_difficulty(string failure)
    {
        await using var api = new PowApiFactory(fallbackDifficulty: 5);
        api.Policy.Fail(failure);
        using var client = api.CreateApiClient();
        await AssertProblemAsync(await RegisterAsync(client, null), "pow.required");
        var (challenge, difficulty) = await ChallengeAsync(client);
        Assert.Equal(5, difficulty);
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client, Solve(challenge, difficulty))).StatusCode);

        // The WaitingRoom answers again: its word counts from the next look.
        api.Policy.Answer(activeRooms: 0, difficulty: 0);
        api.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client, null)).StatusCode);
    }

    [Fact]
    public async Task Always_mode_asks_the_configured_difficulty_without_asking_the_waiting_room()
    {
        await using var api = new PowApiFactory(mode: "Always", fallbackDifficulty: 7);
        using var client = api.CreateApiClient();
        Assert.Equal(7, (await ChallengeAsync(client)).Difficulty);
        await AssertProblemAsync(await RegisterAsync(client, null), "pow.required");
        Assert.Equal(0, api.Policy.Calls);
    }

    private sealed class PowApiFactory(string mode = "FollowWaitingRoom", int fallbackDifficulty = 19) : TicketingApiFactory
    {
        public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        public PolicyStandIn Policy { get; } = new();

        protected override string RegistrationProofOfWorkMode => mode;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("RegistrationProofOfWork:Difficulty", fallbackDifficulty.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("RegistrationProofOfWork:PolicyUrl", "http://waitingroom.test/api/rooms/proof-of-work");
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.AddHttpClient("RegistrationDifficulty").ConfigurePrimaryHttpMessageHandler(() => Policy);
            });
        }
    }

    /// <summary>Answers the WaitingRoom's policy as the test sets it, or fails the way it is told.</summary>
    private sealed class PolicyStandIn : HttpMessageHandler
    {
        private volatile string _body = "{\"activeRooms\":0,\"difficulty\":0}";
        private volatile string? _failure;
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public void Answer(int activeRooms, int difficulty)
        {
            _failure = null;
            _body = $"{{\"activeRooms\":{activeRooms},\"difficulty\":{difficulty}}}";
        }

        public void Fail(string how) => _failure = how;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Assert.Equal("/api/rooms/proof-of-work", request.RequestUri!.AbsolutePath);
            return _failure switch
            {
                "down" => throw new HttpRequestException("connection refused"),
                "error" => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)),
                "nonsense" => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"activeRooms\":1,\"difficulty\":99}", Encoding.UTF8, "application/json") }),
                _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(_body, Encoding.UTF8, "application/json") }),
            };
        }
    }
}
