using System.ComponentModel.DataAnnotations;

namespace Ticketing.Application.Payments;

/// <summary>Timings of the payment flow (<c>Payments</c> section).</summary>
public sealed class PaymentPolicy
{
    public const string SectionName = "Payments";

    /// <summary>
    /// How long after a confirmation starts reconciliation may first ask the provider about it. Longer than the
    /// client's whole retry budget, so reconciliation never races a confirmation still in flight.
    /// </summary>
    [Range(5, 3600)]
    public int CheckAfterSeconds { get; set; } = 120;

    /// <summary>How long past its normal deadline an order whose payment outcome is unknown keeps its seats.</summary>
    [Range(60, 24 * 3600)]
    public int MaxUnknownHoldSeconds { get; set; } = 1800;

    /// <summary>Reconciliation backoff: the first wait, doubled per unanswered look-up up to the maximum.</summary>
    [Range(1, 3600)]
    public int CheckBackoffSeconds { get; set; } = 30;

    [Range(1, 24 * 3600)]
    public int CheckBackoffMaxSeconds { get; set; } = 600;

    /// <summary>
    /// Sends of a refund's cancel that may end without a known outcome before the refund is abandoned to an
    /// administrator. The resends follow the reconciliation backoff (<see cref="NextCheckDelay"/>).
    /// </summary>
    [Range(1, 100)]
    public int RefundMaxAttempts { get; set; } = 10;

    public TimeSpan CheckAfter => TimeSpan.FromSeconds(CheckAfterSeconds);

    public TimeSpan MaxUnknownHold => TimeSpan.FromSeconds(MaxUnknownHoldSeconds);

    /// <summary>
    /// Toss lets a merchant confirm for 10 minutes after the buyer authenticates; we add a minute for clocks and
    /// requests in flight. Until then "no such payment" or "in progress" may still turn into DONE.
    /// </summary>
    public static TimeSpan ConfirmWindow { get; } = TimeSpan.FromMinutes(11);

    public TimeSpan NextCheckDelay(int checksSoFar) =>
        TimeSpan.FromSeconds(Math.Min(CheckBackoffMaxSeconds, CheckBackoffSeconds * Math.Pow(2, Math.Min(checksSoFar, 20))));
}
