using System.Globalization;
using Ticketing.Domain.Common;

namespace Ticketing.Domain.Catalog;

/// <summary>
/// A checked seat map: price grades and seats that satisfy every invariant
/// (at least one seat, at most <see cref="MaxSeats"/>, unique labels, every seat in a priced grade).
/// </summary>
public sealed class SeatMap
{
    public const int MaxSeats = 100_000;
    public const int MaxGrades = 20;

    private SeatMap(IReadOnlyList<GradeDefinition> grades, IReadOnlyList<SeatDefinition> seats)
    {
        Grades = grades;
        Seats = seats;
    }

    public IReadOnlyList<GradeDefinition> Grades { get; }

    public IReadOnlyList<SeatDefinition> Seats { get; }

    /// <summary>Checks the definitions and collects every broken rule into one <see cref="DomainException"/>.</summary>
    public static SeatMap Create(IReadOnlyList<GradeDefinition> grades, IReadOnlyList<SeatDefinition> seats)
    {
        ArgumentNullException.ThrowIfNull(grades);
        ArgumentNullException.ThrowIfNull(seats);
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            if (list.Count < 10)
            {
                list.Add(message);
            }
        }

        if (grades.Count == 0)
        {
            Add("grades", "At least one price grade is required.");
        }

        if (grades.Count > MaxGrades)
        {
            Add("grades", $"At most {MaxGrades} price grades are allowed.");
        }

        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < grades.Count; i++)
        {
            var g = grades[i];
            if (string.IsNullOrWhiteSpace(g.Code) || g.Code.Length > PriceGrade.MaxCodeLength)
            {
                Add($"grades[{i}].code", $"A grade code is 1 to {PriceGrade.MaxCodeLength} characters.");
            }
            else if (!codes.Add(g.Code))
            {
                Add($"grades[{i}].code", $"Grade code '{g.Code}' is defined twice.");
            }

            if (string.IsNullOrWhiteSpace(g.Name) || g.Name.Length > PriceGrade.MaxNameLength)
            {
                Add($"grades[{i}].name", $"A grade name is 1 to {PriceGrade.MaxNameLength} characters.");
            }

            if (g.Price <= 0 || g.Price > PriceGrade.MaxPrice)
            {
                Add($"grades[{i}].price", $"A price is a whole number of won between 1 and {PriceGrade.MaxPrice}.");
            }
        }

        if (seats.Count == 0)
        {
            Add("seats", "A seat map needs at least one seat.");
        }

        if (seats.Count > MaxSeats)
        {
            Add("seats", $"A performance has at most {MaxSeats.ToString(CultureInfo.InvariantCulture)} seats; this map has {seats.Count.ToString(CultureInfo.InvariantCulture)}.");
        }
        else
        {
            var labels = new HashSet<string>(seats.Count, StringComparer.Ordinal);
            for (var i = 0; i < seats.Count; i++)
            {
                var s = seats[i];
                if (string.IsNullOrWhiteSpace(s.Label) || s.Label.Length > Seat.MaxLabelLength)
                {
                    Add("seats", $"Seat #{i + 1}: a label is 1 to {Seat.MaxLabelLength} characters.");
                }
                else if (!labels.Add(s.Label))
                {
                    Add("seats", $"Seat label '{s.Label}' is used twice.");
                }

                if (string.IsNullOrWhiteSpace(s.Section) || s.Section.Length > Seat.MaxSectionLength
                    || s.Row is null || s.Row.Length > Seat.MaxRowLength
                    || string.IsNullOrWhiteSpace(s.Number) || s.Number.Length > Seat.MaxNumberLength)
                {
                    Add("seats", $"Seat '{s.Label}': section, row or number is missing or too long.");
                }

                if (!double.IsFinite(s.X) || !double.IsFinite(s.Y))
                {
                    Add("seats", $"Seat '{s.Label}': x and y must be finite numbers.");
                }

                if (!codes.Contains(s.GradeCode ?? string.Empty))
                {
                    Add("seats", $"Seat '{s.Label}' has grade '{s.GradeCode}', which is not a defined price grade.");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainException(
                "seat_map.invalid",
                "The seat map is not valid.",
                errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
        }

        return new SeatMap(grades, seats);
    }
}

public sealed record GradeDefinition(string Code, string Name, long Price, string? Color);

public sealed record SeatDefinition(string Section, string Row, string Number, string Label, double X, double Y, string GradeCode);
