using System.Diagnostics.Metrics;

namespace Ticketing.Application.Payments;

/// <summary>Payment outcomes (meter <c>Ticketing.Payments</c>), one counter tagged by outcome; tags are built once.</summary>
public static class PaymentMetrics
{
    public const string MeterName = "Ticketing.Payments";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>(
        "ticketing.payments.outcomes",
        "{payment}",
        "Payment outcomes: paid, declined, provider_unavailable, unknown (reconciliation decides), compensated (approved but not recorded, so voided), late_refunded (approved after the hold lapsed), refunded (a fan's cancellation).");

    private static readonly KeyValuePair<string, object?> PaidTag = new("outcome", "paid");
    private static readonly KeyValuePair<string, object?> DeclinedTag = new("outcome", "declined");
    private static readonly KeyValuePair<string, object?> ProviderUnavailableTag = new("outcome", "provider_unavailable");
    private static readonly KeyValuePair<string, object?> UnknownTag = new("outcome", "unknown");
    private static readonly KeyValuePair<string, object?> CompensatedTag = new("outcome", "compensated");
    private static readonly KeyValuePair<string, object?> LateRefundedTag = new("outcome", "late_refunded");
    private static readonly KeyValuePair<string, object?> RefundedTag = new("outcome", "refunded");

    public static void Paid() => Outcomes.Add(1, PaidTag);

    public static void Declined() => Outcomes.Add(1, DeclinedTag);

    public static void ProviderUnavailable() => Outcomes.Add(1, ProviderUnavailableTag);

    public static void Unknown() => Outcomes.Add(1, UnknownTag);

    public static void Compensated() => Outcomes.Add(1, CompensatedTag);

    public static void LateRefunded() => Outcomes.Add(1, LateRefundedTag);

    public static void Refunded() => Outcomes.Add(1, RefundedTag);
}
