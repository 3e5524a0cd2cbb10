using System.Diagnostics.Metrics;

namespace Ticketing.Application.Orders;

/// <summary>
/// Hold outcomes (meter <c>Ticketing.Holds</c>): granted, refused by reason, and failed closed (the seat-lock store
/// was unreachable, so nothing was held and the fan got a 503). Tags are built once; recording allocates nothing.
/// </summary>
public static class HoldMetrics
{
    public const string MeterName = "Ticketing.Holds";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Granted = Meter.CreateCounter<long>(
        "ticketing.holds.granted", "{hold}", "Holds granted: every requested seat held.");

    private static readonly Counter<long> Refused = Meter.CreateCounter<long>(
        "ticketing.holds.refused", "{hold}", "Holds refused, by reason: seats_taken, limits, sales_window, pass, not_found.");

    private static readonly Counter<long> FailedClosed = Meter.CreateCounter<long>(
        "ticketing.holds.failed_closed", "{hold}", "Holds refused with 503 because the seat-lock store was unreachable.");

    private static readonly KeyValuePair<string, object?> SeatsTakenTag = new("reason", "seats_taken");
    private static readonly KeyValuePair<string, object?> LimitsTag = new("reason", "limits");
    private static readonly KeyValuePair<string, object?> SalesWindowTag = new("reason", "sales_window");
    private static readonly KeyValuePair<string, object?> PassTag = new("reason", "pass");
    private static readonly KeyValuePair<string, object?> NotFoundTag = new("reason", "not_found");

    public static void HoldGranted() => Granted.Add(1);

    public static void HoldFailedClosed() => FailedClosed.Add(1);

    /// <summary>Another fan holds a seat (lock or database said so).</summary>
    public static void RefusedSeatsTaken() => Refused.Add(1, SeatsTakenTag);

    /// <summary>Too many seats in the order, or past the fan's limit for the performance.</summary>
    public static void RefusedLimits() => Refused.Add(1, LimitsTag);

    /// <summary>Sales not open yet, or closed.</summary>
    public static void RefusedSalesWindow() => Refused.Add(1, SalesWindowTag);

    /// <summary>The waiting room's pass was missing or not accepted.</summary>
    public static void RefusedPass() => Refused.Add(1, PassTag);

    /// <summary>No published performance, or seats that are not of it.</summary>
    public static void RefusedNotFound() => Refused.Add(1, NotFoundTag);
}
