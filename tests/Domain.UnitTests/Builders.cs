using Ticketing.Domain.Catalog;

namespace Ticketing.Domain.UnitTests;

/// <summary>Valid defaults for the catalog, so each test changes only what it is about.</summary>
internal static class Builders
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static PerformanceSchedule Schedule() => new(Now.AddDays(30), Now, Now.AddDays(29));

    public static GradeDefinition Grade(string code = "R", long price = 100_000) => new(code, code + " seat", price, "#c0392b");

    public static SeatDefinition Seat(string label, string grade = "R") => new("Floor", "A", label, label, 1, 1, grade);

    public static SeatMap SmallMap() => SeatMap.Create([Grade()], [Seat("A-1"), Seat("A-2")]);

    public static Event NewEvent() => Event.Create(Guid.NewGuid(), "Gala", "Concert", "Hall", "Two nights", Now);
}
