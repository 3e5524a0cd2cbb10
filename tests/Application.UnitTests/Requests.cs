using Ticketing.Application.Events;

namespace Ticketing.Application.UnitTests;

/// <summary>Valid requests to start from; each test breaks one thing.</summary>
internal static class Requests
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static readonly Actor Organizer = new(Guid.NewGuid(), IsAdmin: false);

    public static PerformanceSettings Settings() => new(Now.AddDays(30), Now, Now.AddDays(29), 600, 4, 8, false, null);

    public static RowInput RangeRow(string name = "A", int from = 1, int to = 10, string grade = "R") =>
        new(name, grade, from, to, 0, 0, 1, null);

    public static SeatMapInput Map(params SectionInput[] sections) =>
        new([new GradeInput("R", "R seat", 100_000, "#c0392b"), new GradeInput("VIP", "VIP", 200_000, null)], sections);

    public static SeatMapInput OneRowMap(RowInput row) => Map(new SectionInput("Floor", [row]));

    public static AddPerformance AddPerformance(SeatMapInput? map = null, PerformanceSettings? settings = null) =>
        new(Organizer, 1, settings ?? Settings(), map ?? OneRowMap(RangeRow()));
}
