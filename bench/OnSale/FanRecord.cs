namespace Ticketing.OnSale;

/// <summary>What one simulated fan saw, in the driver's clock (milliseconds). NaN: never.</summary>
internal sealed class FanRecord(int index)
{
    public int Index { get; } = index;

    /// <summary>The queue ticket's id (the part before the dot): the fan's key in the queue store.</summary>
    public string? TicketId { get; set; }

    /// <summary>The place every post-opening waiting answer named (0 before the first); a different one is a fault.</summary>
    public long PlaceSeen { get; set; }

    public bool PlaceChanged { get; set; }

    /// <summary>Times an answer's <c>ahead</c> was larger than the answer before it.</summary>
    public int AheadWentUp { get; set; }

    public long LastAhead { get; set; } = long.MaxValue;

    /// <summary>When the fan last ASKED and was told "waiting" with someone still ahead (after the opening).</summary>
    public double LastWaitingAheadAskedAt { get; set; } = double.NaN;

    /// <summary>When the fan first heard "admitted".</summary>
    public double AdmittedAt { get; set; } = double.NaN;

    /// <summary>When the fan first heard "soldOut".</summary>
    public double SoldOutAt { get; set; } = double.NaN;

    /// <summary>How the fan's visit ended: soldOut, paid, payment-unknown, declined, cancelled, walked-away, no-seats, failed.</summary>
    public string Outcome { get; set; } = "waiting";

    public int SeatsHeld { get; set; }
}
