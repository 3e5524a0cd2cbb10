using Ticketing.Application.Events;
using static Ticketing.Application.UnitTests.Requests;

namespace Ticketing.Application.UnitTests;

public sealed class AddPerformanceValidatorTests
{
    private readonly AddPerformanceValidator _validator = new();

    [Fact]
    public void A_complete_request_is_valid()
    {
        var result = _validator.Validate(AddPerformance());

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Defaults_for_rules_are_valid()
    {
        var result = _validator.Validate(AddPerformance(settings: Settings() with { HoldSeconds = null, MaxSeatsPerOrder = null, MaxSeatsPerFan = null }));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Sales_that_do_not_open_before_they_close_or_close_after_the_start_are_named()
    {
        var result = _validator.Validate(AddPerformance(settings: Settings() with { SalesOpenAt = Now.AddDays(40), SalesCloseAt = Now.AddDays(31) }));

        Assert.Contains("salesOpenAt", Fields(result));
        Assert.Contains("salesCloseAt", Fields(result));
    }

    [Theory]
    [InlineData(59, false)]
    [InlineData(60, true)]
    [InlineData(1800, true)]
    [InlineData(1801, false)]
    public void Hold_seconds_must_be_one_to_thirty_minutes(int seconds, bool valid)
    {
        var result = _validator.Validate(AddPerformance(settings: Settings() with { HoldSeconds = seconds }));

        Assert.Equal(valid, result.IsValid);
        Assert.Equal(valid, !Fields(result).Contains("holdSeconds"));
    }

    [Fact]
    public void Seats_per_fan_below_seats_per_order_are_refused()
    {
        var result = _validator.Validate(AddPerformance(settings: Settings() with { MaxSeatsPerOrder = 6, MaxSeatsPerFan = 5 }));

        Assert.Equal(["maxSeatsPerFan"], Fields(result));
    }

    [Fact]
    public void Seats_per_fan_below_the_default_seats_per_order_are_refused()
    {
        var result = _validator.Validate(AddPerformance(settings: Settings() with { MaxSeatsPerOrder = null, MaxSeatsPerFan = 3 }));

        Assert.Equal(["maxSeatsPerFan"], Fields(result));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void Seats_per_order_outside_one_to_twenty_are_refused(int perOrder)
    {
        var result = _validator.Validate(AddPerformance(settings: Settings() with { MaxSeatsPerOrder = perOrder, MaxSeatsPerFan = 100 }));

        Assert.Contains("maxSeatsPerOrder", Fields(result));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_queue_pass_without_a_waiting_room_is_refused(string? roomId)
    {
        var result = _validator.Validate(AddPerformance(settings: Settings() with { RequiresQueuePass = true, WaitingRoomId = roomId }));

        Assert.Equal(["waitingRoomId"], Fields(result));
    }

    [Fact]
    public void A_queue_pass_with_a_waiting_room_is_valid()
    {
        Assert.True(_validator.Validate(AddPerformance(settings: Settings() with { RequiresQueuePass = true, WaitingRoomId = "room-1" })).IsValid);
    }

    [Fact]
    public void A_missing_seat_map_is_named()
    {
        var result = _validator.Validate(new AddPerformance(Organizer, 1, Settings(), null!));

        Assert.Equal(["seatMap"], Fields(result));
    }

    [Fact]
    public void A_seat_map_without_grades_or_sections_names_both()
    {
        var result = _validator.Validate(AddPerformance(new SeatMapInput(null, null)));

        Assert.Contains("seatMap.grades", Fields(result));
        Assert.Contains("seatMap.sections", Fields(result));
    }

    [Fact]
    public void A_bad_grade_is_named_by_its_index()
    {
        var map = new SeatMapInput([new GradeInput("R", "R", 1, null), new GradeInput("", "", 0, new string('c', 33))], [new SectionInput("Floor", [RangeRow()])]);

        var fields = Fields(_validator.Validate(AddPerformance(map)));

        Assert.Contains("seatMap.grades[1].code", fields);
        Assert.Contains("seatMap.grades[1].name", fields);
        Assert.Contains("seatMap.grades[1].price", fields);
        Assert.Contains("seatMap.grades[1].color", fields);
    }

    [Fact]
    public void A_null_section_is_refused_without_throwing()
    {
        var result = _validator.Validate(AddPerformance(Map(null!)));

        Assert.False(result.IsValid);
        Assert.Contains(Fields(result), f => f.StartsWith("seatMap", StringComparison.Ordinal));
    }

    [Fact]
    public void A_null_row_is_refused_without_throwing()
    {
        var result = _validator.Validate(AddPerformance(Map(new SectionInput("Floor", [RangeRow(), null!]))));

        Assert.False(result.IsValid);
        Assert.Contains(Fields(result), f => f.StartsWith("seatMap", StringComparison.Ordinal));
    }

    [Fact]
    public void A_section_without_rows_or_name_is_named_by_its_index()
    {
        var result = _validator.Validate(AddPerformance(Map(new SectionInput("Floor", [RangeRow()]), new SectionInput("", null))));

        Assert.Contains("seatMap.sections[1].name", Fields(result));
        Assert.Contains("seatMap.sections[1].rows", Fields(result));
    }

    [Fact]
    public void A_row_with_neither_a_range_nor_seats_is_refused()
    {
        var result = _validator.Validate(AddPerformance(OneRowMap(new RowInput("A", "R", null, null, null, null, null, null))));

        Assert.Contains(Fields(result), f => f.StartsWith("seatMap.sections[0].rows[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void A_row_range_without_a_grade_is_refused()
    {
        var result = _validator.Validate(AddPerformance(OneRowMap(RangeRow() with { Grade = null })));

        Assert.Contains(result.Errors, e => e.ErrorMessage.Contains("needs a grade", StringComparison.Ordinal));
    }

    [Fact]
    public void A_range_that_ends_before_it_starts_is_named()
    {
        var result = _validator.Validate(AddPerformance(OneRowMap(RangeRow(from: 10, to: 5))));

        Assert.Contains("seatMap.sections[0].rows[0].to", Fields(result));
    }

    [Fact]
    public void A_negative_range_start_is_named()
    {
        var result = _validator.Validate(AddPerformance(OneRowMap(RangeRow(from: -1, to: 5))));

        Assert.Contains("seatMap.sections[0].rows[0].from", Fields(result));
    }

    [Fact]
    public void A_row_of_two_thousand_seats_is_accepted_and_one_more_is_refused()
    {
        Assert.True(_validator.Validate(AddPerformance(OneRowMap(RangeRow(from: 1, to: 2000)))).IsValid);

        var result = _validator.Validate(AddPerformance(OneRowMap(RangeRow(from: 1, to: 2001))));

        Assert.Contains("seatMap.sections[0].rows[0].to", Fields(result));
    }

    [Fact]
    public void A_range_up_to_int_max_is_refused_without_overflow()
    {
        var result = _validator.Validate(AddPerformance(OneRowMap(RangeRow(from: 0, to: int.MaxValue))));

        Assert.Contains("seatMap.sections[0].rows[0].to", Fields(result));
    }

    [Fact]
    public void An_explicit_row_of_more_than_two_thousand_seats_is_refused()
    {
        var seats = Enumerable.Range(1, 2001).Select(i => new SeatInput(i.ToString(System.Globalization.CultureInfo.InvariantCulture), i, 0, "R")).ToList();

        var result = _validator.Validate(AddPerformance(OneRowMap(new RowInput("A", null, null, null, null, null, null, seats))));

        Assert.Contains("seatMap.sections[0].rows[0].seats", Fields(result));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Spacing_must_be_a_positive_finite_number(double spacing)
    {
        var result = _validator.Validate(AddPerformance(OneRowMap(RangeRow() with { Spacing = spacing })));

        Assert.Equal(["seatMap.sections[0].rows[0].spacing"], Fields(result));
    }

    [Fact]
    public void Non_finite_row_positions_are_named()
    {
        var result = _validator.Validate(AddPerformance(OneRowMap(RangeRow() with { X = double.NaN, Y = double.NegativeInfinity })));

        Assert.Equal(["seatMap.sections[0].rows[0].x", "seatMap.sections[0].rows[0].y"], Fields(result));
    }

    [Fact]
    public void More_than_one_hundred_thousand_seats_are_refused_without_building_them()
    {
        // 100 sections of 10 rows of 2,000 seats: two million seats, described by a thousand row objects.
        var row = RangeRow(from: 1, to: 2000);
        var sections = Enumerable.Range(0, 100).Select(i => new SectionInput("S" + i, Enumerable.Repeat(row, 10).ToList())).ToArray();
        var request = AddPerformance(Map(sections));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = _validator.Validate(request);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("seatMap", Fields(result));
        Assert.True(allocated < 50 * 1024 * 1024, $"Validation allocated {allocated:N0} bytes; it must count seats, not build them.");
    }

    [Fact]
    public void One_hundred_thousand_seats_pass_the_count_rule()
    {
        var row = RangeRow(from: 1, to: 1000);
        var sections = Enumerable.Range(0, 100).Select(i => new SectionInput("S" + i, [row])).ToArray();

        Assert.True(_validator.Validate(AddPerformance(Map(sections))).IsValid);
    }

    private static List<string> Fields(FluentValidation.Results.ValidationResult result) =>
        result.Errors.Select(e => Common.ValidationBehavior<AddPerformance, object>.ToCamelPath(e.PropertyName)).Distinct().Order(StringComparer.Ordinal).ToList();
}
