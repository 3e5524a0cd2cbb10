using System.Diagnostics.Metrics;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.AccessPasses;

/// <summary>Pass checks at the booking API (meter <c>Ticketing.AccessPasses</c>), tagged by result; tags are built once.</summary>
internal static class AccessPassMetrics
{
    public const string MeterName = "Ticketing.AccessPasses";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Checks = Meter.CreateCounter<long>(
        "ticketing.accesspasses.checks",
        "{check}",
        "Waiting-room passes checked on a hold: accepted, missing, invalid, expired, wrong_sale, bound_to_another_account, other_account, unavailable (JWKS unreachable).");

    private static readonly KeyValuePair<string, object?> Accepted = new("result", "accepted");
    private static readonly KeyValuePair<string, object?> Missing = new("result", "missing");
    private static readonly KeyValuePair<string, object?> Invalid = new("result", "invalid");
    private static readonly KeyValuePair<string, object?> Expired = new("result", "expired");
    private static readonly KeyValuePair<string, object?> WrongSale = new("result", "wrong_sale");
    private static readonly KeyValuePair<string, object?> BoundToAnotherAccount = new("result", "bound_to_another_account");
    private static readonly KeyValuePair<string, object?> IssuedToAnotherAccount = new("result", "other_account");
    private static readonly KeyValuePair<string, object?> Unavailable = new("result", "unavailable");

    public static void Checked(AccessPassCheck result) => Checks.Add(1, result switch
    {
        AccessPassCheck.Accepted => Accepted,
        AccessPassCheck.Missing => Missing,
        AccessPassCheck.Expired => Expired,
        AccessPassCheck.WrongSale => WrongSale,
        AccessPassCheck.BoundToAnotherAccount => BoundToAnotherAccount,
        AccessPassCheck.IssuedToAnotherAccount => IssuedToAnotherAccount,
        AccessPassCheck.Unavailable => Unavailable,
        _ => Invalid,
    });
}
