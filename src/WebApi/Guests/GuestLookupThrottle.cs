using Microsoft.Extensions.Options;
using Ticketing.Application.Common;
using Ticketing.Application.Guests;

namespace Ticketing.WebApi.Guests;

/// <summary>
/// Failed lookups per booking number, whatever address they come from (guessing the phone of a known number from
/// many addresses): after <see cref="GuestBookingOptions.LookupsPerNumber"/> failures in <see cref="Window"/> the
/// number answers 429 to everyone until the window moves on. Typed numbers that do not exist count the same way, so
/// a 429 never tells whether a number exists. On this server's clock; per instance.
/// </summary>
internal sealed class GuestLookupThrottle(TimeProvider clock, IOptions<GuestBookingOptions> options)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const int MaxNumbers = 100_000;

    private readonly Dictionary<string, List<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>Null when a lookup of this number may go on; otherwise the 429 to answer.</summary>
    public Error? Check(string key)
    {
        var now = clock.GetUtcNow();
        lock (_failures)
        {
            if (!_failures.TryGetValue(key, out var times))
            {
                return null;
            }

            times.RemoveAll(t => t + Window <= now);
            if (times.Count < options.Value.LookupsPerNumber)
            {
                return null;
            }

            return new Error(ErrorKind.TooManyRequests, "rate_limited", "Too many lookups of this booking number. Wait before trying again.")
            {
                RetryAfter = times[0] + Window - now,
            };
        }
    }

    public void Failed(string key)
    {
        var now = clock.GetUtcNow();
        lock (_failures)
        {
            if (_failures.Count >= MaxNumbers)
            {
                foreach (var stale in _failures.Where(p => p.Value.TrueForAll(t => t + Window <= now)).Select(p => p.Key).ToList())
                {
                    _failures.Remove(stale);
                }
            }

            if (!_failures.TryGetValue(key, out var times))
            {
                _failures[key] = times = [];
            }

            times.Add(now);
        }
    }
}
