using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Ticketing.WebApi.Infrastructure;

/// <summary>
/// How many leading zero bits registration asks now. In FollowWaitingRoom mode it asks the WaitingRoom's public policy
/// (rooms not closed, and the highest <c>powDifficulty</c> among them) at most once per <see cref="RegistrationProofOfWorkOptions.CacheFor"/>
/// per instance; concurrent registrations share one request. When the WaitingRoom does not answer in time or answers
/// nonsense, the configured difficulty applies until the next attempt: failing safe, not open.
/// </summary>
internal sealed class RegistrationDifficulty(HttpClient http, IOptions<RegistrationProofOfWorkOptions> options, TimeProvider clock)
{
    public const int MaxDifficulty = 30;

    private readonly RegistrationProofOfWorkOptions _options = options.Value;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Answer? _current;

    public async ValueTask<int> CurrentAsync(CancellationToken cancellationToken)
    {
        switch (_options.Mode)
        {
            case RegistrationProofOfWorkMode.Off:
                return 0;
            case RegistrationProofOfWorkMode.Always:
                return _options.Difficulty;
        }

        if (_current is { } known && known.Until > clock.GetUtcNow())
        {
            return known.Difficulty;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } fresh && fresh.Until > clock.GetUtcNow())
            {
                return fresh.Difficulty;
            }

            var difficulty = await AskAsync(cancellationToken);
            _current = new Answer(difficulty, clock.GetUtcNow() + _options.CacheFor);
            return difficulty;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<int> AskAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PolicyTimeout);
        try
        {
            var policy = await http.GetFromJsonAsync<Policy>(_options.PolicyUrl, timeout.Token);
            if (policy is null || policy.ActiveRooms < 0 || policy.Difficulty is < 0 or > MaxDifficulty)
            {
                return _options.Difficulty;
            }

            return policy.ActiveRooms > 0 ? policy.Difficulty : 0;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or NotSupportedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return _options.Difficulty;
        }
    }

    private sealed record Policy(int ActiveRooms, int Difficulty);

    /// <summary>One answer and until when it is used (a reference, so readers outside the lock never see half of it).</summary>
    private sealed record Answer(int Difficulty, DateTimeOffset Until);
}
