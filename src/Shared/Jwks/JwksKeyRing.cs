using System.Collections.Frozen;
using System.Text.Json;

namespace Ticketing.Jwks;

/// <summary>How a <see cref="JwksKeyRing"/> fetches and keeps the other service's public keys.</summary>
internal sealed record JwksFetchSettings(
    Uri Url,
    TimeSpan Timeout,
    TimeSpan MaxAge,
    TimeSpan MinRefreshInterval,
    TimeSpan RetryMinDelay,
    TimeSpan RetryMaxDelay);

/// <summary>
/// The public keys of the service that signs what this one checks (the waiting room's passes for the WebApi, the
/// WebApi's fan identities for the waiting room), fetched from its JWKS and kept. Safe for concurrent use; one per
/// key set, as a singleton.
/// </summary>
/// <remarks>
/// The fetch degrades instead of failing: a fetch that times out, answers an error status or a body that is not a
/// key set leaves the known keys in use and makes the next attempt wait (exponential back-off from
/// <see cref="JwksFetchSettings.RetryMinDelay"/> to <see cref="JwksFetchSettings.RetryMaxDelay"/>). One fetch at a
/// time serves every caller that waits for it (single flight), and none of them can cancel it. Only when no key is
/// known at all does a lookup throw <see cref="JwksUnavailableException"/>.
/// </remarks>
internal sealed class JwksKeyRing(HttpClient http, JwksFetchSettings settings, TimeProvider time)
{
    private readonly Lock _flight = new();
    private Task? _fetch;
    private FrozenDictionary<string, JwksKey> _keys = FrozenDictionary<string, JwksKey>.Empty;
    private long _lastFetchTicks;
    private long _nextAttemptTicks;
    private int _failures;

    /// <summary>How many keys are known (fetched earlier).</summary>
    public int KnownKeyCount => _keys.Count;

    /// <summary>Fetches that failed in a row (0 after a success).</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _failures);

    /// <summary>
    /// Fetches now when no key is known yet (readiness) and the back-off allows it; true when keys are known.
    /// What it fetches is kept, as a fetch for an unknown kid would keep it.
    /// </summary>
    public async Task<bool> EnsureKeysAsync(CancellationToken cancellationToken)
    {
        if (_keys.Count == 0 && time.GetUtcNow().UtcTicks >= Volatile.Read(ref _nextAttemptTicks))
        {
            await RefreshOnceAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return _keys.Count > 0;
    }

    /// <summary>
    /// The key published under <paramref name="kid"/>, or null when the service does not publish it.
    /// Throws <see cref="JwksUnavailableException"/> when no key is known and none could be fetched.
    /// </summary>
    public async ValueTask<JwksKey?> FindAsync(string kid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowTicks = now.UtcTicks;
        var keys = _keys;
        var sinceFetch = nowTicks - Volatile.Read(ref _lastFetchTicks);
        var stale = sinceFetch > settings.MaxAge.Ticks;
        var known = keys.TryGetValue(kid, out var key);
        if (known && !stale)
        {
            return key;
        }

        // An unknown kid fetches again at most once per interval (forged kids must not flood the signing service),
        // and after a failure nothing is fetched before the back-off has passed.
        var mayFetch = (stale || keys.Count == 0 || sinceFetch >= settings.MinRefreshInterval.Ticks)
            && nowTicks >= Volatile.Read(ref _nextAttemptTicks);
        if (mayFetch)
        {
            await RefreshOnceAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            keys = _keys;
            known = keys.TryGetValue(kid, out key);
        }

        if (known)
        {
            // Fresh, or stale because the signing service cannot be reached: a trusted key stays trusted until a
            // fetch that works says otherwise.
            return key;
        }

        return keys.Count == 0 ? throw new JwksUnavailableException() : null;
    }

    /// <summary>The fetch in flight, or a new one: every caller that needs keys now waits for the same attempt.</summary>
    private Task RefreshOnceAsync()
    {
        lock (_flight)
        {
            if (_fetch is { IsCompleted: false } running)
            {
                return running;
            }

            _fetch = Task.Run(RefreshAsync);
            return _fetch;
        }
    }

    private async Task RefreshAsync()
    {
        FrozenDictionary<string, JwksKey>? fetched = null;
        using (var timeout = new CancellationTokenSource(settings.Timeout))
        {
            try
            {
                var json = await http.GetByteArrayAsync(settings.Url, timeout.Token).ConfigureAwait(false);
                fetched = JwksKeySet.Parse(json);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or IOException)
            {
                // Unreachable, an error status, our timeout or the client's (TaskCanceledException), or a body that is
                // not JSON: all the same to a caller. The known keys stay in use.
                fetched = null;
            }
        }

        var nowTicks = time.GetUtcNow().UtcTicks;
        if (fetched is { Count: > 0 })
        {
            _keys = fetched;
            Volatile.Write(ref _lastFetchTicks, nowTicks);
            Volatile.Write(ref _failures, 0);
            Volatile.Write(ref _nextAttemptTicks, 0);
            return;
        }

        // A key set without a single usable key is taken as a broken answer, not as "trust nothing any more".
        var failures = Interlocked.Increment(ref _failures);
        var delay = settings.RetryMinDelay.Ticks * (1L << Math.Min(failures - 1, 20));
        Volatile.Write(ref _nextAttemptTicks, nowTicks + Math.Min(delay, settings.RetryMaxDelay.Ticks));
    }
}

/// <summary>No key of the signing service is known and none could be fetched: nothing can be checked at all (503).</summary>
internal sealed class JwksUnavailableException() : Exception("The signing service's keys are not known and could not be fetched.");
