namespace Ticketing.WaitingRoom.Queue;

/// <summary>
/// What the admission controller last learned about a room's performances, as the queue store keeps it. The store
/// applies it in every advance while <paramref name="ValidUntilMs"/> is ahead: the serving counter moves at
/// <c>rate × RateFactor</c> and stops while the fans holding an unexpired pass reach <paramref name="ActiveCap"/>.
/// Once stale (the controller stopped) the room admits at its set rate again, as before inventory-aware admission.
/// </summary>
/// <param name="AtMs">When the controller wrote it.</param>
/// <param name="ValidUntilMs">After this the facts are ignored.</param>
/// <param name="Available">Seats available now, over the room's performances.</param>
/// <param name="Held">Seats in holds that may still come back (pending orders, payments without an outcome).</param>
/// <param name="ActiveCap">Most fans admitted but not done allowed now: floor(available × fans per seat); -1 for no cap.</param>
/// <param name="SoldOut">Nothing available and nothing held that could come back.</param>
/// <param name="RateFactor">Share of the set rate to admit at (0 &lt; factor &lt;= 1), lowered while the WebApi is unhealthy.</param>
internal sealed record RoomInventory(
    long AtMs,
    long ValidUntilMs,
    long Available,
    long Held,
    long ActiveCap,
    bool SoldOut,
    double RateFactor,
    double? WebApiP99Ms,
    double? WebApiErrorRate)
{
    public const long Micro = 1_000_000;

    public bool IsValidAt(long nowMs) => nowMs < ValidUntilMs;

    /// <summary>The rate factor in millionths, as the Redis script applies it.</summary>
    public long RateFactorMicro => (long)Math.Round(Math.Clamp(RateFactor, 0, 1) * Micro);

    /// <summary>
    /// Micro-fans per second the room earns: the set rate scaled by the factor. The Redis script computes the same
    /// double expression (Lua numbers are doubles), so both adapters count the same.
    /// </summary>
    public static long EffectiveRateMicro(long rateMicro, long factorMicro) =>
        (long)Math.Floor(rateMicro * (factorMicro / (double)Micro));
}

/// <summary>Why a room is pacing, as the stats and the admin page say.</summary>
internal static class AdmissionPacing
{
    public const string Rate = "rate";
    public const string Inventory = "inventory";
    public const string Health = "health";

    /// <summary>
    /// Inventory when sold out or the seats-left cap is reached; health when the rate is backed off; otherwise the set rate
    /// (which includes the admin's own <c>maxActive</c> cap).
    /// </summary>
    public static string Of(RoomInventory? inventory, long nowMs, long active)
    {
        if (inventory is null || !inventory.IsValidAt(nowMs))
        {
            return Rate;
        }

        if (inventory.SoldOut || (inventory.ActiveCap >= 0 && active >= inventory.ActiveCap))
        {
            return Inventory;
        }

        return inventory.RateFactorMicro < RoomInventory.Micro ? Health : Rate;
    }

    /// <summary>The stats with the inventory facts and the pacing reason added.</summary>
    public static RoomStats Describe(RoomStats stats, RoomInventory? inventory, long nowMs)
    {
        var valid = inventory is not null && inventory.IsValidAt(nowMs);
        return stats with
        {
            Pacing = Of(inventory, nowMs, stats.Active),
            SoldOut = valid && inventory!.SoldOut,
            InventoryCap = valid && inventory!.ActiveCap >= 0 ? inventory.ActiveCap : null,
            SeatsAvailable = valid ? inventory!.Available : null,
            SeatsHeld = valid ? inventory!.Held : null,
            RateFactor = valid ? inventory!.RateFactorMicro / (double)RoomInventory.Micro : 1,
            WebApiP99Ms = valid ? inventory!.WebApiP99Ms : null,
            WebApiErrorRate = valid ? inventory!.WebApiErrorRate : null,
            InventoryAt = valid ? DateTimeOffset.FromUnixTimeMilliseconds(inventory!.AtMs) : null,
        };
    }
}
