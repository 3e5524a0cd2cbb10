using FluentValidation;
using MapsterMapper;
using MediatR;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;
using Ticketing.Domain.Catalog;

namespace Ticketing.Application.Events;

/// <summary>The schedule and selling rules of a performance; absent rules take the defaults.</summary>
public sealed record PerformanceSettings(
    DateTimeOffset StartsAt,
    DateTimeOffset SalesOpenAt,
    DateTimeOffset SalesCloseAt,
    int? HoldSeconds,
    int? MaxSeatsPerOrder,
    int? MaxSeatsPerFan,
    bool RequiresQueuePass,
    string? WaitingRoomId,
    // ---- waitlist (issue 13.1): absent means Public / 30 minutes ----
    string? ReturnedSeats = null,
    int? WaitlistOfferMinutes = null)
    // ---- end waitlist ----
{
    public PerformanceSchedule ToSchedule() => new(StartsAt.ToUniversalTime(), SalesOpenAt.ToUniversalTime(), SalesCloseAt.ToUniversalTime());

    public PerformanceRules ToRules() => new(
        HoldSeconds is { } s ? TimeSpan.FromSeconds(s) : PerformanceRules.DefaultHoldDuration,
        MaxSeatsPerOrder ?? PerformanceRules.DefaultMaxSeatsPerOrder,
        MaxSeatsPerFan ?? Math.Max(PerformanceRules.DefaultMaxSeatsPerFan, MaxSeatsPerOrder ?? 0),
        RequiresQueuePass,
        string.IsNullOrWhiteSpace(WaitingRoomId) ? null : WaitingRoomId.Trim());

    // ---- waitlist (issue 13.1) ----
    public ReturnedSeatsRule ToReturnedSeats() =>
        Enum.TryParse<ReturnedSeatsRule>(ReturnedSeats, ignoreCase: true, out var rule) && Enum.IsDefined(rule) ? rule : ReturnedSeatsRule.Public;

    public int ToWaitlistOfferMinutes() => WaitlistOfferMinutes ?? Performance.DefaultWaitlistOfferMinutes;
    // ---- end waitlist ----
    // --- Guest booking (issue 13.3) ---

    /// <summary>Open to guests (booking with a verified phone, no account). Absent: off on a new performance, unchanged on an update.</summary>
    public bool? GuestBooking { get; init; }
    // --- end guest booking ---
    // Transfer (issue 13.4): how many times one ticket may change hands; absent = 1, 0 = transfers off.
    public int? MaxTransfersPerTicket { get; init; }

    public int TransferLimit => MaxTransfersPerTicket ?? Performance.DefaultMaxTransfersPerTicket;
}

/// <summary>Adds a performance with its whole seat map in one document (a 40,000-seat stadium is one request).</summary>
public sealed record AddPerformance(Actor Actor, long EventId, PerformanceSettings Settings, SeatMapInput SeatMap)
    : IRequest<Result<PerformanceDto>>;

internal static class PerformanceSettingsRules
{
    public static void Apply<T>(AbstractValidator<T> v, Func<T, PerformanceSettings> settings)
    {
        v.RuleFor(x => settings(x)).NotNull().OverridePropertyName("settings");
        v.When(x => settings(x) is not null, () =>
        {
            v.RuleFor(x => settings(x).SalesOpenAt).LessThan(x => settings(x).SalesCloseAt)
                .OverridePropertyName("salesOpenAt").WithMessage("Sales must open before they close.");
            v.RuleFor(x => settings(x).SalesCloseAt).LessThanOrEqualTo(x => settings(x).StartsAt)
                .OverridePropertyName("salesCloseAt").WithMessage("Sales must close no later than the performance starts.");
            v.RuleFor(x => settings(x).HoldSeconds)
                .InclusiveBetween((int)PerformanceRules.MinHoldDuration.TotalSeconds, (int)PerformanceRules.MaxHoldDuration.TotalSeconds)
                .OverridePropertyName("holdSeconds");
            v.RuleFor(x => settings(x).MaxSeatsPerOrder).InclusiveBetween(1, PerformanceRules.MaxSeatsPerOrderLimit)
                .OverridePropertyName("maxSeatsPerOrder");
            v.RuleFor(x => settings(x).MaxSeatsPerFan)
                .Must((x, perFan) => perFan is null || perFan >= (settings(x).MaxSeatsPerOrder ?? PerformanceRules.DefaultMaxSeatsPerOrder))
                .WithMessage("Seats per fan must be at least the seats per order.")
                .LessThanOrEqualTo(PerformanceRules.MaxSeatsPerOrderLimit * 5)
                .OverridePropertyName("maxSeatsPerFan");
            v.RuleFor(x => settings(x).WaitingRoomId)
                .NotEmpty().When(x => settings(x).RequiresQueuePass).WithMessage("A performance that requires a queue pass names its waiting room.")
                .MaximumLength(Performance.MaxWaitingRoomIdLength)
                .OverridePropertyName("waitingRoomId");

            // ---- waitlist (issue 13.1) ----
            v.RuleFor(x => settings(x).ReturnedSeats)
                .Must(r => r is null || r.Equals("Public", StringComparison.OrdinalIgnoreCase) || r.Equals("Waitlist", StringComparison.OrdinalIgnoreCase))
                .WithMessage("Returned seats go to \"Public\" (the seat map) or \"Waitlist\".")
                .OverridePropertyName("returnedSeats");
            v.RuleFor(x => settings(x).WaitlistOfferMinutes)
                .InclusiveBetween(Performance.MinWaitlistOfferMinutes, Performance.MaxWaitlistOfferMinutes)
                .OverridePropertyName("waitlistOfferMinutes");
            // ---- end waitlist ----
            // Transfer (issue 13.4)
            v.RuleFor(x => settings(x).MaxTransfersPerTicket).InclusiveBetween(0, Performance.MaxTransfersPerTicketLimit)
                .OverridePropertyName("maxTransfersPerTicket");
        });
    }
}

public sealed class AddPerformanceValidator : AbstractValidator<AddPerformance>
{
    public AddPerformanceValidator()
    {
        PerformanceSettingsRules.Apply(this, x => x.Settings);
        RuleFor(x => x.SeatMap).NotNull().OverridePropertyName("seatMap");
        When(x => x.SeatMap is not null, () =>
        {
            RuleFor(x => x.SeatMap.Grades).NotEmpty().OverridePropertyName("seatMap.grades");
            RuleForEach(x => x.SeatMap.Grades).ChildRules(g =>
            {
                g.RuleFor(x => x.Code).NotEmpty().MaximumLength(PriceGrade.MaxCodeLength);
                g.RuleFor(x => x.Name).NotEmpty().MaximumLength(PriceGrade.MaxNameLength);
                g.RuleFor(x => x.Price).InclusiveBetween(1, PriceGrade.MaxPrice);
                g.RuleFor(x => x.Color).MaximumLength(32);
            }).OverridePropertyName("seatMap.grades");
            RuleFor(x => x.SeatMap.Sections).NotEmpty().Must(s => s is null || s.Count <= SeatMapInput.MaxSections)
                .WithMessage($"At most {SeatMapInput.MaxSections} sections.").OverridePropertyName("seatMap.sections");
            RuleForEach(x => x.SeatMap.Sections).ChildRules(s =>
            {
                s.RuleFor(x => x).NotNull();
                s.RuleFor(x => x.Name).NotEmpty().MaximumLength(Seat.MaxSectionLength);
                s.RuleFor(x => x.Rows).NotEmpty().Must(r => r is null || r.Count <= SeatMapInput.MaxRowsPerSection)
                    .WithMessage($"At most {SeatMapInput.MaxRowsPerSection} rows per section.");
                s.RuleForEach(x => x.Rows).ChildRules(r =>
                {
                    r.RuleFor(x => x).NotNull();
                    r.RuleFor(x => x.Name).MaximumLength(Seat.MaxRowLength);
                    r.RuleFor(x => x)
                        .Must(x => x is null || x.Seats is { Count: > 0 } || (x.From is not null && x.To is not null))
                        .WithMessage("A row has either from/to or a list of seats.")
                        .Must(x => x is null || x.Seats is { Count: > 0 } || x.Grade is { Length: > 0 })
                        .WithMessage("A row range needs a grade.");
                    r.RuleFor(x => x.From).GreaterThanOrEqualTo(0);
                    r.RuleFor(x => x.To).GreaterThanOrEqualTo(x => x.From ?? 0)
                        .Must((row, to) => to is null || row.From is null || (long)to - row.From.Value < SeatMapInput.MaxSeatsPerRow)
                        .WithMessage($"A row has at most {SeatMapInput.MaxSeatsPerRow} seats.");
                    r.RuleFor(x => x.Seats).Must(s => s is null || s.Count <= SeatMapInput.MaxSeatsPerRow)
                        .WithMessage($"A row has at most {SeatMapInput.MaxSeatsPerRow} seats.");
                    r.RuleFor(x => x.Spacing).Must(s => s is null || (double.IsFinite(s.Value) && s.Value > 0)).WithMessage("Spacing must be a positive number.");
                    r.RuleFor(x => x.X).Must(v => v is null || double.IsFinite(v.Value)).WithMessage("x must be a finite number.");
                    r.RuleFor(x => x.Y).Must(v => v is null || double.IsFinite(v.Value)).WithMessage("y must be a finite number.");
                });
            }).OverridePropertyName("seatMap.sections");
            RuleFor(x => x.SeatMap)
                .Must(m => m.Sections is null || m.Sections.All(s => s is not null && (s.Rows is null || s.Rows.All(r => r is not null))))
                .WithMessage("Sections and rows cannot be null.")
                .Must(m => m.Sections is null || m.Sections.Any(s => s is null) || m.CountSeats() <= SeatMap.MaxSeats)
                .WithMessage($"A performance has at most {SeatMap.MaxSeats} seats.")
                .OverridePropertyName("seatMap");
        });
    }
}

public sealed class AddPerformanceHandler(IAppDbContext db, ISeatMapWriter seatWriter, IMapper mapper, TimeProvider clock) : IRequestHandler<AddPerformance, Result<PerformanceDto>>
{
    public async Task<Result<PerformanceDto>> Handle(AddPerformance request, CancellationToken cancellationToken)
    {
        var loaded = await EventAccess.LoadOwnedAsync(db, request.EventId, request.Actor, withPerformances: false, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error!;
        }

        var seatMap = request.SeatMap.ToSeatMap();
        var performance = loaded.Value.AddPerformance(request.Settings.ToSchedule(), request.Settings.ToRules(), seatMap, clock.GetUtcNow());
        performance.ChangeWaitlistRules(request.Settings.ToReturnedSeats(), request.Settings.ToWaitlistOfferMinutes()); // waitlist (issue 13.1)
        performance.OpenToGuests(request.Settings.GuestBooking ?? false); // guest booking (issue 13.3)
        performance.ChangeTransferLimit(request.Settings.TransferLimit); // transfer (issue 13.4)
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await seatWriter.WriteAsync(performance.Id, seatMap.Seats, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return mapper.Map<PerformanceDto>(performance);
    }
}
