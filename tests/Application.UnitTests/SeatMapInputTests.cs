using Ticketing.Application.Events;
using Ticketing.Domain.Common;
using static Ticketing.Application.UnitTests.Requests;

namespace Ticketing.Application.UnitTests;

public sealed class SeatMapInputTests
{
    [Fact]
    public void A_range_expands_into_labelled_seats_spaced_along_x()
    {
        var map = OneRowMap(new RowInput("B", "R", 3, 5, 10, 7, 2.5, null)).ToSeatMap();

        Assert.Equal(["Floor B-3", "Floor B-4", "Floor B-5"], map.Seats.Select(s => s.Label));
        Assert.Equal([10, 12.5, 15], map.Seats.Select(s => s.X));
        Assert.All(map.Seats, s => Assert.Equal((7d, "R", "Floor", "B"), (s.Y, s.GradeCode, s.Section, s.Row)));
        Assert.Equal(["3", "4", "5"], map.Seats.Select(s => s.Number));
    }

    [Fact]
    public void A_range_without_position_starts_at_the_origin_one_unit_apart()
    {
        var map = OneRowMap(new RowInput("A", "R", 1, 3, null, null, null, null)).ToSeatMap();

        Assert.Equal([0d, 1, 2], map.Seats.Select(s => s.X));
        Assert.All(map.Seats, s => Assert.Equal(0, s.Y));
    }

    [Fact]
    public void A_row_without_a_name_labels_seats_by_section_and_number()
    {
        var map = OneRowMap(new RowInput(null, "R", 1, 2, null, null, null, null)).ToSeatMap();

        Assert.Equal(["Floor 1", "Floor 2"], map.Seats.Select(s => s.Label));
    }

    [Fact]
    public void Explicit_seats_keep_their_positions_and_a_seat_grade_overrides_the_rows()
    {
        var row = new RowInput("C", "R", null, null, null, null, null, [new SeatInput("1", 4, 5, null), new SeatInput("2", 6, 5, "VIP")]);

        var map = OneRowMap(row).ToSeatMap();

        Assert.Equal(["Floor C-1", "Floor C-2"], map.Seats.Select(s => s.Label));
        Assert.Equal(["R", "VIP"], map.Seats.Select(s => s.GradeCode));
        Assert.Equal([(4d, 5d), (6d, 5d)], map.Seats.Select(s => (s.X, s.Y)));
    }

    [Fact]
    public void Explicit_seats_win_over_a_range_on_the_same_row()
    {
        var row = new RowInput("C", "R", 1, 100, null, null, null, [new SeatInput("7", 0, 0, null)]);

        Assert.Equal(["Floor C-7"], OneRowMap(row).ToSeatMap().Seats.Select(s => s.Label));
    }

    [Fact]
    public void Grades_are_trimmed_and_kept()
    {
        var map = new SeatMapInput([new GradeInput(" R ", " R seat ", 5, "#fff")], [new SectionInput("Floor", [RangeRow(to: 1)])]).ToSeatMap();

        Assert.Equal(new Domain.Catalog.GradeDefinition("R", "R seat", 5, "#fff"), Assert.Single(map.Grades));
    }

    [Fact]
    public void Sections_and_rows_expand_in_order()
    {
        var map = Map(new SectionInput("Floor", [RangeRow("A", 1, 2), RangeRow("B", 1, 2)]), new SectionInput("Balcony", [RangeRow("A", 1, 1, "VIP")])).ToSeatMap();

        Assert.Equal(["Floor A-1", "Floor A-2", "Floor B-1", "Floor B-2", "Balcony A-1"], map.Seats.Select(s => s.Label));
    }

    [Fact]
    public void Overlapping_rows_are_refused_by_the_domain_as_duplicate_labels()
    {
        var input = Map(new SectionInput("Floor", [RangeRow("A", 1, 3), RangeRow("A", 3, 4)]));

        var ex = Assert.Throws<DomainException>(input.ToSeatMap);

        Assert.Contains(ex.Errors["seats"], m => m.Contains("'Floor A-3'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_row_grade_that_is_not_defined_is_refused_by_the_domain()
    {
        var ex = Assert.Throws<DomainException>(() => OneRowMap(RangeRow(grade: "Z")).ToSeatMap());

        Assert.Equal("seat_map.invalid", ex.Code);
    }

    [Fact]
    public void CountSeats_counts_ranges_and_explicit_seats_without_building_them()
    {
        var input = Map(new SectionInput("Floor", [RangeRow(from: 1, to: 2000), new RowInput("B", null, null, null, null, null, null, [new SeatInput("1", 0, 0, "R")]), RangeRow(from: 5, to: 1)]));

        Assert.Equal(2001, input.CountSeats());
    }

    [Fact]
    public void A_range_ending_at_int_max_expands_and_stops()
    {
        var map = OneRowMap(RangeRow(from: int.MaxValue - 1, to: int.MaxValue)).ToSeatMap();

        Assert.Equal(["Floor A-2147483646", "Floor A-2147483647"], map.Seats.Select(s => s.Label));
    }
}
