using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Application.Abstractions;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Catalog;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>
/// The demo of the embedded default: an organizer, a fan, and one concert with two performances in a
/// 5,000-seat hall in four grades, on sale from the moment it is seeded.
/// </summary>
public static partial class DemoData
{
    public const string OrganizerEmail = "organizer@demo.ticketing";
    public const string OrganizerPassword = "organizer-demo-1";
    public const string FanEmail = "fan@demo.ticketing";
    public const string FanPassword = "fan-demo-1";
    public const string EventTitle = "Seoul Philharmonic: New Year Gala";
    public const string WaitingRoomId = "demo";

    /// <summary>The hall: (section, grade, rows, seats per row). 500 + 1,800 + 1,800 + 900 = 5,000 seats.</summary>
    private static readonly (string Section, string Grade, int Rows, int SeatsPerRow)[] Hall =
    [
        ("Floor", "VIP", 10, 50),
        ("Lower", "R", 30, 60),
        ("Upper", "S", 30, 60),
        ("Balcony", "A", 15, 60),
    ];

    public static IReadOnlyList<GradeDefinition> Grades { get; } =
    [
        new("VIP", "VIP", 198_000, "#b8860b"),
        new("R", "R석", 165_000, "#c0392b"),
        new("S", "S석", 132_000, "#2e86de"),
        new("A", "A석", 99_000, "#27ae60"),
    ];

    /// <summary>Builds the demo hall's seat map (also used by tests and benchmarks).</summary>
    public static SeatMap BuildHall()
    {
        var seats = new List<SeatDefinition>(5_000);
        var y = 0;
        foreach (var (section, grade, rows, perRow) in Hall)
        {
            for (var r = 0; r < rows; r++)
            {
                var row = RowName(r);
                for (var n = 1; n <= perRow; n++)
                {
                    var number = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    seats.Add(new SeatDefinition(section, row, number, $"{section} {row}-{number}", n, y, grade));
                }

                y++;
            }

            y += 2;
        }

        return SeatMap.Create(Grades, seats);
    }

    internal static async Task SeedAsync(AppDbContext db, IPasswordHasher hasher, DateTimeOffset now, ILogger logger, CancellationToken cancellationToken)
    {
        if (await db.Events.AnyAsync(cancellationToken))
        {
            return;
        }

        var organizer = await EnsureUserAsync(db, hasher, OrganizerEmail, OrganizerPassword, "Demo Organizer", Role.Organizer, now, cancellationToken);
        await EnsureUserAsync(db, hasher, FanEmail, FanPassword, "Demo Fan", Role.Fan, now, cancellationToken);

        var e = Event.Create(
            organizer.Id,
            EventTitle,
            "Concert",
            "Seoul Arts Center Concert Hall",
            "An evening of Beethoven and Brahms. Two performances; four price grades.",
            now);
        var firstShow = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(30).AddHours(11);
        var hall = BuildHall();
        // The first performance sells freely; the second is paced by the waiting room's demo room, so holds on it
        // need the access pass the waiting room hands out.
        var performances = new[]
        {
            e.AddPerformance(new PerformanceSchedule(firstShow, now.AddMinutes(-1), firstShow.AddHours(-1)), PerformanceRules.Default, hall, now),
            e.AddPerformance(new PerformanceSchedule(firstShow.AddDays(1), now.AddMinutes(-1), firstShow.AddDays(1).AddHours(-1)), PerformanceRules.Default with { RequiresQueuePass = true, WaitingRoomId = WaitingRoomId }, hall, now),
        };
        // Guest booking (issue 13.3): the freely selling performance is open to guests too, so the demo shows it.
        performances[0].OpenToGuests(true);
        e.Publish(now);
        db.Events.Add(e);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var seats = new SeatMapWriter(db);
        foreach (var performance in performances)
        {
            await seats.WriteAsync(performance.Id, hall.Seats, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        LogSeeded(logger, e.Id, e.Performances.Count, e.Performances.Sum(p => p.SeatCount));
    }

    private static async Task<User> EnsureUserAsync(AppDbContext db, IPasswordHasher hasher, string email, string password, string name, Role role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var normalized = User.Normalize(email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (user is null)
        {
            user = User.Register(email, name, hasher.Hash(password), role, now);
            db.Users.Add(user);
        }

        return user;
    }

    private static string RowName(int index) => index < 26
        ? ((char)('A' + index)).ToString()
        : ((char)('A' + (index / 26) - 1)).ToString() + (char)('A' + (index % 26));

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Demo data seeded: event {EventId}, {Performances} performances, {Seats} seats")]
    private static partial void LogSeeded(ILogger logger, long eventId, int performances, int seats);
}
