using System.Globalization;
using Ticketing.Domain.Common;

namespace Ticketing.Domain.Orders;

/// <summary>
/// The cancellation fee by how long before the show a fan cancels, snapshotted onto the order when it is paid (a
/// later change of policy never touches orders already sold). Written as <c>days:percent</c> tiers, nearest last,
/// e.g. <c>7:0,3:10,1:20,0:30</c>: free 7 days or more before the show, then 10 %, 20 %, 30 % nearer.
/// </summary>
public sealed record RefundSchedule(IReadOnlyList<(int DaysBefore, int FeePercent)> Tiers)
{
    /// <summary>Free until 7 days before the show; 10 % from 7 days, 20 % from 3 days, 30 % from 1 day.</summary>
    public static RefundSchedule Standard { get; } = new([(7, 0), (3, 10), (1, 20), (0, 30)]);

    /// <summary>Fans may cancel until this long before the show starts.</summary>
    public static readonly TimeSpan CancellationCutoff = TimeSpan.FromHours(2);

    public int FeePercentAt(DateTimeOffset startsAt, DateTimeOffset now)
    {
        var before = startsAt - now;
        foreach (var (days, fee) in Tiers)
        {
            if (before >= TimeSpan.FromDays(days))
            {
                return fee;
            }
        }

        return Tiers[^1].FeePercent;
    }

    /// <summary>The fee on <paramref name="gross"/> at this percentage, rounded down to the won in the fan's favour.</summary>
    public static long Fee(long gross, int percent) => gross * percent / 100;

    public override string ToString() =>
        string.Join(',', Tiers.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.DaysBefore}:{t.FeePercent}")));

    public static RefundSchedule Parse(string text)
    {
        var tiers = new List<(int, int)>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split(':');
            if (pair.Length != 2
                || !int.TryParse(pair[0], NumberStyles.None, CultureInfo.InvariantCulture, out var days)
                || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var fee) || fee > 100)
            {
                throw new DomainException("refund.schedule", $"'{text}' is not a refund schedule.");
            }

            tiers.Add((days, fee));
        }

        return tiers.Count > 0 ? new RefundSchedule(tiers) : throw new DomainException("refund.schedule", "A refund schedule needs a tier.");
    }
}
