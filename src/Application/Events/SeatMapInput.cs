using System.Globalization;
using Ticketing.Domain.Catalog;

namespace Ticketing.Application.Events;

/// <summary>
/// A seat map as an organizer posts it: price grades, then sections of rows. A row is either a range
/// (<c>"from": 1, "to": 40</c>: seats 1–40 in a line from (x, y), <c>spacing</c> apart) or a list of explicit seats.
/// </summary>
public sealed record SeatMapInput(IReadOnlyList<GradeInput>? Grades, IReadOnlyList<SectionInput>? Sections)
{
    public const int MaxSections = 500;
    public const int MaxRowsPerSection = 1000;
    public const int MaxSeatsPerRow = 2000;

    /// <summary>How many seats the input describes, without building them (so a huge range is refused cheaply).</summary>
    public long CountSeats()
    {
        long total = 0;
        foreach (var section in Sections ?? [])
        {
            foreach (var row in section?.Rows ?? [])
            {
                total += row?.CountSeats() ?? 0;
            }
        }

        return total;
    }

    /// <summary>Expands ranges into seats. Labels are <c>{section} {row}-{number}</c> (or <c>{section} {number}</c> for a row without a name).</summary>
    public SeatMap ToSeatMap()
    {
        var grades = (Grades ?? []).Select(g => new GradeDefinition(g.Code?.Trim() ?? string.Empty, g.Name?.Trim() ?? string.Empty, g.Price, g.Color)).ToList();
        var seats = new List<SeatDefinition>((int)Math.Min(CountSeats(), SeatMap.MaxSeats + 1));
        foreach (var section in Sections ?? [])
        {
            var sectionName = section.Name?.Trim() ?? string.Empty;
            foreach (var row in section.Rows ?? [])
            {
                var rowName = row.Name?.Trim() ?? string.Empty;
                if (row.Seats is { Count: > 0 })
                {
                    foreach (var seat in row.Seats)
                    {
                        var number = seat.Number?.Trim() ?? string.Empty;
                        seats.Add(new SeatDefinition(sectionName, rowName, number, Label(sectionName, rowName, number), seat.X, seat.Y, (seat.Grade ?? row.Grade ?? string.Empty).Trim()));
                    }
                }
                else if (row.From is { } from && row.To is { } to)
                {
                    var spacing = row.Spacing ?? 1;
                    // long: with int, n++ past int.MaxValue wraps around and a range ending there never ends.
                    for (long n = from; n <= to; n++)
                    {
                        var number = n.ToString(CultureInfo.InvariantCulture);
                        seats.Add(new SeatDefinition(sectionName, rowName, number, Label(sectionName, rowName, number), (row.X ?? 0) + ((n - from) * spacing), row.Y ?? 0, (row.Grade ?? string.Empty).Trim()));
                    }
                }
            }
        }

        return SeatMap.Create(grades, seats);
    }

    private static string Label(string section, string row, string number) =>
        row.Length == 0 ? $"{section} {number}" : $"{section} {row}-{number}";
}

public sealed record GradeInput(string Code, string Name, long Price, string? Color);

public sealed record SectionInput(string Name, IReadOnlyList<RowInput>? Rows);

public sealed record RowInput(string? Name, string? Grade, int? From, int? To, double? X, double? Y, double? Spacing, IReadOnlyList<SeatInput>? Seats)
{
    public long CountSeats() => Seats is { Count: > 0 }
        ? Seats.Count
        : From is { } from && To is { } to && to >= from ? (long)to - from + 1 : 0;
}

public sealed record SeatInput(string Number, double X, double Y, string? Grade);
