using Ticketing.Domain.Common;

namespace Ticketing.Domain.Catalog;

/// <summary>One showing of an event: when it starts, when it sells, its rules and its seat map.</summary>
public sealed class Performance
{
    public const int MaxWaitingRoomIdLength = 64;

    private readonly List<PriceGrade> _grades = [];

    private Performance()
    {
    }

    public long Id { get; private set; }

    public long EventId { get; private set; }

    public DateTimeOffset StartsAt { get; private set; }

    public DateTimeOffset SalesOpenAt { get; private set; }

    public DateTimeOffset SalesCloseAt { get; private set; }

    /// <summary>How long a hold keeps seats before it expires unpaid.</summary>
    public TimeSpan HoldDuration { get; private set; }

    public int MaxSeatsPerOrder { get; private set; }

    /// <summary>Seats one fan may have in live orders for this performance, over all orders.</summary>
    public int MaxSeatsPerFan { get; private set; }

    public bool RequiresQueuePass { get; private set; }

    public string? WaitingRoomId { get; private set; }

    public int SeatCount { get; private set; }

    public IReadOnlyList<PriceGrade> Grades => _grades;

    internal static Performance Create(Event owner, PerformanceSchedule schedule, PerformanceRules rules, SeatMap seatMap)
    {
        ArgumentNullException.ThrowIfNull(seatMap);
        var p = new Performance { EventId = owner.Id };
        p.Reschedule(schedule);
        p.ChangeRules(rules);
        foreach (var grade in seatMap.Grades)
        {
            p._grades.Add(new PriceGrade(grade.Code, grade.Name, grade.Price, grade.Color));
        }

        // The seats themselves are written in bulk by the seat-map writer in the same transaction: a stadium
        // has tens of thousands, too many to track one entity at a time.
        p.SeatCount = seatMap.Seats.Count;
        return p;
    }

    public bool IsOnSale(DateTimeOffset now) => now >= SalesOpenAt && now < SalesCloseAt;

    public void Reschedule(PerformanceSchedule schedule)
    {
        schedule.EnsureValid();
        StartsAt = schedule.StartsAt;
        SalesOpenAt = schedule.SalesOpenAt;
        SalesCloseAt = schedule.SalesCloseAt;
    }

    public void ChangeRules(PerformanceRules rules)
    {
        rules.EnsureValid();
        HoldDuration = rules.HoldDuration;
        MaxSeatsPerOrder = rules.MaxSeatsPerOrder;
        MaxSeatsPerFan = rules.MaxSeatsPerFan;
        RequiresQueuePass = rules.RequiresQueuePass;
        WaitingRoomId = rules.RequiresQueuePass ? rules.WaitingRoomId : null;
    }

    // ---- Waitlist (issue 13.1): who gets seats that come back, and how long a waitlist offer lasts ----

    public const int DefaultWaitlistOfferMinutes = 30;
    public const int MinWaitlistOfferMinutes = 5;
    public const int MaxWaitlistOfferMinutes = 24 * 60;

    /// <summary>Who gets seats refunded while the public sale is open (after it closes, the waitlist always does).</summary>
    public ReturnedSeatsRule ReturnedSeats { get; private set; } = ReturnedSeatsRule.Public;

    /// <summary>How long a waitlisted fan has to pay an offer before it passes to the next fan.</summary>
    public int WaitlistOfferMinutes { get; private set; } = DefaultWaitlistOfferMinutes;

    public void ChangeWaitlistRules(ReturnedSeatsRule returnedSeats, int offerMinutes)
    {
        if (!Enum.IsDefined(returnedSeats))
        {
            throw new DomainException("performance.returned_seats", "Returned seats go to the public seat map or to the waitlist.");
        }

        if (offerMinutes is < MinWaitlistOfferMinutes or > MaxWaitlistOfferMinutes)
        {
            throw new DomainException("performance.waitlist_offer_minutes", $"A waitlist offer lasts {MinWaitlistOfferMinutes} to {MaxWaitlistOfferMinutes} minutes.");
        }

        ReturnedSeats = returnedSeats;
        WaitlistOfferMinutes = offerMinutes;
    }

    // ---- end waitlist ----
    // --- Guest booking (issue 13.3) ---

    /// <summary>Fans without an account may book this performance with a verified phone (off by default).</summary>
    public bool GuestBooking { get; private set; }

    /// <summary>Opens the performance to guests, or closes it (guest orders already made stay valid).</summary>
    public void OpenToGuests(bool open) => GuestBooking = open;
    // --- end guest booking ---

    // ---- Transfer (issue 13.4): how many times one ticket may change hands (0 = transfers off). ----

    public const int DefaultMaxTransfersPerTicket = 1;

    public const int MaxTransfersPerTicketLimit = 10;

    public int MaxTransfersPerTicket { get; private set; } = DefaultMaxTransfersPerTicket;

    public void ChangeTransferLimit(int maxTransfersPerTicket)
    {
        if (maxTransfersPerTicket is < 0 or > MaxTransfersPerTicketLimit)
        {
            throw new DomainException("performance.max_transfers_per_ticket", $"Transfers per ticket must be between 0 and {MaxTransfersPerTicketLimit}.");
        }

        MaxTransfersPerTicket = maxTransfersPerTicket;
    }
}

/// <summary>Where seats refunded during the open public sale go (waitlist, issue 13.1).</summary>
public enum ReturnedSeatsRule
{
    /// <summary>Back on the public seat map (today's behaviour).</summary>
    Public = 0,

    /// <summary>Offered to the waitlist first, in join order.</summary>
    Waitlist = 1,
}

/// <summary>When a performance starts and when its tickets are on sale. Sales end no later than the start.</summary>
public readonly record struct PerformanceSchedule(DateTimeOffset StartsAt, DateTimeOffset SalesOpenAt, DateTimeOffset SalesCloseAt)
{
    public void EnsureValid()
    {
        if (SalesOpenAt >= SalesCloseAt)
        {
            throw new DomainException("performance.sales_window_empty", "Sales must open before they close.");
        }

        if (SalesCloseAt > StartsAt)
        {
            throw new DomainException("performance.sales_after_start", "The sales window must end no later than the performance starts.");
        }
    }
}

/// <summary>The selling rules of a performance.</summary>
public readonly record struct PerformanceRules(
    TimeSpan HoldDuration,
    int MaxSeatsPerOrder,
    int MaxSeatsPerFan,
    bool RequiresQueuePass,
    string? WaitingRoomId)
{
    public static readonly TimeSpan DefaultHoldDuration = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MinHoldDuration = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxHoldDuration = TimeSpan.FromMinutes(30);
    public const int DefaultMaxSeatsPerOrder = 4;
    public const int DefaultMaxSeatsPerFan = 4;
    public const int MaxSeatsPerOrderLimit = 20;

    public static PerformanceRules Default { get; } =
        new(DefaultHoldDuration, DefaultMaxSeatsPerOrder, DefaultMaxSeatsPerFan, false, null);

    public void EnsureValid()
    {
        if (HoldDuration < MinHoldDuration || HoldDuration > MaxHoldDuration)
        {
            throw new DomainException("performance.hold_duration", $"The hold duration must be between {MinHoldDuration.TotalMinutes} and {MaxHoldDuration.TotalMinutes} minutes.");
        }

        if (MaxSeatsPerOrder is < 1 or > MaxSeatsPerOrderLimit)
        {
            throw new DomainException("performance.max_seats_per_order", $"Seats per order must be between 1 and {MaxSeatsPerOrderLimit}.");
        }

        if (MaxSeatsPerFan < MaxSeatsPerOrder || MaxSeatsPerFan > MaxSeatsPerOrderLimit * 5)
        {
            throw new DomainException("performance.max_seats_per_fan", "Seats per fan must be at least the seats per order.");
        }

        if (RequiresQueuePass && (string.IsNullOrWhiteSpace(WaitingRoomId) || WaitingRoomId.Length > Performance.MaxWaitingRoomIdLength))
        {
            throw new DomainException("performance.waiting_room_required", "A performance that requires a queue pass names its waiting room.");
        }
    }
}
