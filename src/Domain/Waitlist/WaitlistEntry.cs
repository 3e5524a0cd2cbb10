using Ticketing.Domain.Common;

namespace Ticketing.Domain.Waitlist;

/// <summary>
/// A fan's place on the cancellation waitlist of one performance (취소표 대기): how many seats they want, of which
/// grade (or any), and whether the seats must sit together. One row per fan and performance: joining again after
/// leaving (or after being served) starts a new place at the back of the line.
/// </summary>
/// <remarks>
/// The line's order is <see cref="JoinedAt"/>, ties broken by <see cref="Id"/>. Seats returned to the waitlist are
/// offered in that order (<see cref="Offered"/>); a fan is never offered more seats in total than <see cref="Seats"/>.
/// </remarks>
public sealed class WaitlistEntry
{
    public const int MaxSeats = 4;

    private WaitlistEntry()
    {
    }

    public long Id { get; private set; }

    public long PerformanceId { get; private set; }

    public Guid FanId { get; private set; }

    /// <summary>The grade the fan wants; null for any grade.</summary>
    public string? GradeCode { get; private set; }

    /// <summary>How many seats the fan wants (1 to <see cref="MaxSeats"/>).</summary>
    public int Seats { get; private set; }

    /// <summary>The seats must be side by side in one row, offered all at once.</summary>
    public bool Together { get; private set; }

    public DateTimeOffset JoinedAt { get; private set; }

    public WaitlistEntryStatus Status { get; private set; }

    /// <summary>Seats offered so far (paid, pending or lapsed): offers never pass <see cref="Seats"/> in total.</summary>
    public int SeatsOffered { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency token: two instances offering seats at once cannot both serve the same entry.</summary>
    public int Version { get; private set; }

    /// <summary>Seats still to offer while waiting.</summary>
    public int SeatsWanted => Status == WaitlistEntryStatus.Waiting ? Seats - SeatsOffered : 0;

    public static WaitlistEntry Join(Guid fanId, long performanceId, string? gradeCode, int seats, bool together, DateTimeOffset now)
    {
        var entry = new WaitlistEntry { FanId = fanId, PerformanceId = performanceId };
        entry.Start(gradeCode, seats, together, now);
        return entry;
    }

    /// <summary>Joins again after leaving or being served: a new place at the back of the line.</summary>
    public void Rejoin(string? gradeCode, int seats, bool together, DateTimeOffset now)
    {
        if (Status == WaitlistEntryStatus.Waiting)
        {
            throw new DomainException("waitlist.already_joined", "The fan is already on this performance's waitlist.");
        }

        Start(gradeCode, seats, together, now);
    }

    /// <summary>The fan leaves the line. Offers already made stay theirs until paid or lapsed.</summary>
    public void Leave(DateTimeOffset now)
    {
        if (Status != WaitlistEntryStatus.Waiting)
        {
            throw new DomainException("waitlist.not_waiting", "The fan is not waiting on this performance's waitlist.");
        }

        Status = WaitlistEntryStatus.Left;
        Touch(now);
    }

    /// <summary><paramref name="count"/> seats were offered to the fan; with none still wanted the entry is served.</summary>
    public void Offered(int count, DateTimeOffset now)
    {
        if (count < 1 || count > SeatsWanted)
        {
            throw new DomainException("waitlist.offer_count", $"An offer of {count} seats does not fit a fan who still wants {SeatsWanted}.");
        }

        if (Together && count != Seats)
        {
            throw new DomainException("waitlist.offer_together", "Seats wanted together are offered all at once.");
        }

        SeatsOffered += count;
        if (SeatsOffered == Seats)
        {
            Status = WaitlistEntryStatus.Served;
        }

        Touch(now);
    }

    private void Start(string? gradeCode, int seats, bool together, DateTimeOffset now)
    {
        if (seats is < 1 or > MaxSeats)
        {
            throw new DomainException("waitlist.seats", $"A fan waits for 1 to {MaxSeats} seats.");
        }

        GradeCode = string.IsNullOrWhiteSpace(gradeCode) ? null : gradeCode.Trim();
        Seats = seats;
        Together = together && seats > 1;
        JoinedAt = now;
        SeatsOffered = 0;
        Status = WaitlistEntryStatus.Waiting;
        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
}

public enum WaitlistEntryStatus
{
    Waiting = 0,

    /// <summary>Every seat the fan wanted was offered.</summary>
    Served = 1,

    Left = 2,
}
