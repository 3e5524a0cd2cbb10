using System.Net;
using System.Text;
using Ticketing.WaitingRoom.Identity;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Verifier;

/// <summary>The waiting room's fetch of the WebApi's identity keys degrades instead of failing, as the pass keys' fetch does.</summary>
public sealed class FanIdentityVerifierTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly ScriptedJwks _jwks = new();
    private readonly FanIdentityVerifier _verifier;

    public FanIdentityVerifierTests()
    {
        var options = new FanIdentityOptions { JwksUrl = new Uri("http://webapi.test/.well-known/fan-identity/jwks.json"), JwksTimeout = TimeSpan.FromSeconds(30) };
        _verifier = new FanIdentityVerifier(new HttpClient(_jwks), options, _clock);
    }

    private string Identity(Guid account) => TestAccounts.Shared.Identity(account, _clock.GetUtcNow());

    [Fact]
    public async Task Known_keys_stay_in_use_when_the_jwks_fails_and_the_next_attempt_waits_for_the_back_off()
    {
        var account = Guid.NewGuid();
        Assert.Equal((FanIdentityError.None, account), await _verifier.VerifyAsync(Identity(account), default));
        Assert.Equal(1, _jwks.Calls);

        // Keys are stale; the WebApi answers errors, then garbage.
        _clock.Advance(TimeSpan.FromMinutes(11));
        _jwks.Answer = () => new HttpResponseMessage(HttpStatusCode.InternalServerError);
        Assert.Equal((FanIdentityError.None, account), await _verifier.VerifyAsync(Identity(account), default));
        Assert.Equal(2, _jwks.Calls);
        Assert.Equal(1, _verifier.ConsecutiveFailures);

        _jwks.Answer = () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"keys\": 7", Encoding.UTF8, "application/json") };
        Assert.Equal(FanIdentityError.None, (await _verifier.VerifyAsync(Identity(account), default)).Error);
        Assert.Equal(2, _jwks.Calls);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(FanIdentityError.None, (await _verifier.VerifyAsync(Identity(account), default)).Error);
        Assert.Equal(3, _jwks.Calls);
        Assert.Equal(2, _verifier.ConsecutiveFailures);
        Assert.Equal(1, _verifier.KnownKeyCount);
    }

    [Fact]
    public async Task With_no_key_known_a_broken_jwks_answers_keys_unavailable_not_an_exception()
    {
        _jwks.Answer = () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("not json", Encoding.UTF8, "application/json") };

        Assert.Equal(FanIdentityError.KeysUnavailable, (await _verifier.VerifyAsync(Identity(Guid.NewGuid()), default)).Error);

        _jwks.Answer = () => throw new TaskCanceledException("timed out");
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(FanIdentityError.KeysUnavailable, (await _verifier.VerifyAsync(Identity(Guid.NewGuid()), default)).Error);
        Assert.Equal(2, _jwks.Calls);
    }

    [Fact]
    public async Task One_fetch_serves_every_join_waiting_for_keys()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var good = _jwks.Answer;
        _jwks.Gate = release.Task;

        var joins = Enumerable.Range(0, 20).Select(_ => _verifier.VerifyAsync(Identity(Guid.NewGuid()), default).AsTask()).ToList();
        await _jwks.FirstCallStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        release.SetResult();
        var results = await Task.WhenAll(joins);

        Assert.All(results, r => Assert.Equal(FanIdentityError.None, r.Error));
        Assert.Equal(1, _jwks.Calls);
    }

    /// <summary>Answers JWKS requests as the test scripts them, counting calls; by default the test account service's key set.</summary>
    private sealed class ScriptedJwks : HttpMessageHandler
    {
        private int _calls;

        public ScriptedJwks()
        {
            using var client = new HttpClient();
            var body = client.GetStringAsync(TestAccounts.Shared.JwksUrl).GetAwaiter().GetResult();
            Answer = () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/jwk-set+json") };
        }

        public Func<HttpResponseMessage> Answer { get; set; }

        public Task Gate { get; set; } = Task.CompletedTask;

        public TaskCompletionSource FirstCallStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            FirstCallStarted.TrySetResult();
            await Gate.WaitAsync(cancellationToken);
            return Answer();
        }
    }
}
