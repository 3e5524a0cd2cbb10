using Ticketing.Infrastructure.AccessPasses;
using Ticketing.Infrastructure.IntegrationTests.Support;

namespace Ticketing.Infrastructure.IntegrationTests.AccessPasses;

/// <summary>
/// The pass keys' fetch degrades instead of failing, against a real JWKS server that hangs, answers garbage or 500,
/// then recovers. Back-off runs on the injected clock; the only real wait is the fetch's own short timeout.
/// </summary>
public sealed class JwksFetchTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private FlakyJwksServer _jwks = null!;
    private AccessPassVerifier _verifier = null!;
    private AccessPassVerifierOptions _options = null!;

    public async Task InitializeAsync()
    {
        _jwks = await FlakyJwksServer.StartAsync();
        _options = new AccessPassVerifierOptions
        {
            JwksUrl = _jwks.JwksUrl,
            JwksTimeout = TimeSpan.FromSeconds(20), // a cold first request on a busy machine; shortened where a test hangs
            JwksRetryMinDelay = TimeSpan.FromSeconds(1),
            JwksRetryMaxDelay = TimeSpan.FromSeconds(8),
            JwksMaxAge = TimeSpan.FromMinutes(10),
            MinJwksRefreshInterval = TimeSpan.FromSeconds(30),
        };
        _verifier = new AccessPassVerifier(_http, _options, _clock);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _jwks.DisposeAsync();
    }

    [Fact]
    public async Task A_hanging_fetch_is_one_attempt_for_every_waiting_request_and_without_keys_answers_unavailable()
    {
        _jwks.Mode = JwksMode.Hang;
        _options.JwksTimeout = TimeSpan.FromMilliseconds(300);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7).AsTask()));

        Assert.All(results, r => Assert.Equal(AccessPassError.KeysUnavailable, r.Error));
        Assert.Equal(1, _jwks.Requests);
        Assert.Equal(1, _verifier.ConsecutiveFailures);
    }

    [Fact]
    public async Task A_request_that_gives_up_does_not_cancel_the_fetch_that_others_wait_for()
    {
        _jwks.Mode = JwksMode.Hang;
        _options.JwksTimeout = TimeSpan.FromMilliseconds(300);
        using var impatient = new CancellationTokenSource();
        var patient = _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7).AsTask();
        var leaving = _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7, impatient.Token).AsTask();
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        Assert.False(patient.IsCompleted); // still waiting for the one fetch, which runs to its own timeout
        Assert.Equal(AccessPassError.KeysUnavailable, (await patient).Error);
        Assert.Equal(1, _jwks.Requests);
    }

    [Fact]
    public async Task Known_keys_stay_in_use_while_refreshes_hang_answer_garbage_or_500_and_attempts_back_off()
    {
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);
        Assert.Equal(1, _jwks.Requests);
        _clock.Advance(TimeSpan.FromMinutes(11)); // past JwksMaxAge: the next pass asks for the keys again

        _jwks.Mode = JwksMode.Hang;
        _options.JwksTimeout = TimeSpan.FromMilliseconds(300);
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);
        Assert.Equal(2, _jwks.Requests);
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);
        Assert.Equal(2, _jwks.Requests); // backing off for 1 s

        _clock.Advance(TimeSpan.FromSeconds(1));
        _jwks.Mode = JwksMode.Garbage;
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);
        Assert.Equal(3, _jwks.Requests);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);
        Assert.Equal(3, _jwks.Requests); // the back-off doubled to 2 s

        _clock.Advance(TimeSpan.FromSeconds(1));
        _jwks.Mode = JwksMode.ServerError;
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);
        Assert.Equal(4, _jwks.Requests);
        Assert.Equal(3, _verifier.ConsecutiveFailures);

        _clock.Advance(TimeSpan.FromSeconds(4));
        _jwks.Mode = JwksMode.Serve;
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);
        Assert.Equal(5, _jwks.Requests);
        Assert.Equal(0, _verifier.ConsecutiveFailures);
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);
        Assert.Equal(5, _jwks.Requests); // fresh keys again: no fetch
    }

    [Fact]
    public async Task Without_any_known_key_garbage_and_500_answer_unavailable_until_the_keys_come_back()
    {
        _jwks.Mode = JwksMode.Garbage;
        Assert.Equal(AccessPassError.KeysUnavailable, (await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).Error);
        Assert.False(await _verifier.EnsureKeysAsync(CancellationToken.None));
        Assert.Equal(1, _jwks.Requests); // readiness respects the back-off too

        _clock.Advance(TimeSpan.FromSeconds(1));
        _jwks.Mode = JwksMode.ServerError;
        Assert.Equal(AccessPassError.KeysUnavailable, (await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).Error);
        Assert.Equal(2, _jwks.Requests);

        _clock.Advance(TimeSpan.FromSeconds(2));
        _jwks.Mode = JwksMode.Serve;
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);
        Assert.Equal(3, _jwks.Requests);
    }

    [Fact]
    public async Task With_keys_known_an_unknown_kid_is_an_invalid_pass_not_an_outage()
    {
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);
        _clock.Advance(TimeSpan.FromSeconds(31));
        _jwks.Mode = JwksMode.Hang;
        _options.JwksTimeout = TimeSpan.FromMilliseconds(300);

        var result = await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow(), kid: "not-published"), 7);

        Assert.Equal(AccessPassError.UnknownKey, result.Error);
        Assert.Equal(2, _jwks.Requests);
    }

    [Fact]
    public async Task Json_that_is_not_a_key_set_is_a_failed_fetch_not_an_error_and_the_known_keys_stay()
    {
        _jwks.Mode = JwksMode.NotAKeySet;
        Assert.Equal(AccessPassError.KeysUnavailable, (await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).Error);
        Assert.Equal(1, _verifier.ConsecutiveFailures);

        _clock.Advance(TimeSpan.FromSeconds(1));
        _jwks.Mode = JwksMode.Serve;
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);

        _clock.Advance(TimeSpan.FromMinutes(11));
        _jwks.Mode = JwksMode.NotAKeySet;
        Assert.True((await _verifier.VerifyAsync(_jwks.Pass(7, _clock.GetUtcNow()), 7)).IsValid);
        Assert.Equal(1, _verifier.ConsecutiveFailures);
    }
}
