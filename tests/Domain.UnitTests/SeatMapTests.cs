using Ticketing.Domain.Catalog;
using Ticketing.Domain.Common;
using static Ticketing.Domain.UnitTests.Builders;

namespace Ticketing.Domain.UnitTests;

public sealed class SeatMapTests
{
    [Fact]
    public void A_valid_map_keeps_its_grades_and_seats()
    {
        var map = SmallMap();

        Assert.Single(map.Grades);
        Assert.Equal(["A-1", "A-2"], map.Seats.Select(s => s.Label));
    }

    [Fact]
    public void A_map_without_grades_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => SeatMap.Create([], [Seat("A-1")]));

        Assert.Equal("seat_map.invalid", ex.Code);
        Assert.Contains("grades", ex.Errors.Keys);
    }

    [Fact]
    public void A_map_without_seats_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => SeatMap.Create([Grade()], []));

        Assert.Contains("seats", ex.Errors.Keys);
    }

    [Fact]
    public void A_seat_label_used_twice_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => SeatMap.Create([Grade()], [Seat("A-1"), Seat("A-1")]));

        Assert.Contains(ex.Errors["seats"], m => m.Contains("'A-1' is used twice", StringComparison.Ordinal));
    }

    [Fact]
    public void A_seat_in_an_undefined_grade_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => SeatMap.Create([Grade("R")], [Seat("A-1", grade: "VIP")]));

        Assert.Contains(ex.Errors["seats"], m => m.Contains("'VIP'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(PriceGrade.MaxPrice + 1)]
    public void A_grade_price_outside_one_to_the_maximum_is_refused(long price)
    {
        var ex = Assert.Throws<DomainException>(() => SeatMap.Create([Grade(price: price)], [Seat("A-1")]));

        Assert.Contains("grades[0].price", ex.Errors.Keys);
    }

    [Fact]
    public void A_grade_code_defined_twice_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => SeatMap.Create([Grade("R"), Grade("R")], [Seat("A-1")]));

        Assert.Contains("grades[1].code", ex.Errors.Keys);
    }

    [Fact]
    public void A_grade_without_code_or_name_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => SeatMap.Create([new GradeDefinition(" ", "", 1_000, null)], [Seat("A-1")]));

        Assert.Contains("grades[0].code", ex.Errors.Keys);
        Assert.Contains("grades[0].name", ex.Errors.Keys);
    }

    [Fact]
    public void More_than_twenty_grades_are_refused()
    {
        var grades = Enumerable.Range(0, SeatMap.MaxGrades + 1).Select(i => Grade("G" + i)).ToList();

        var ex = Assert.Throws<DomainException>(() => SeatMap.Create(grades, [Seat("A-1", "G0")]));

        Assert.Contains("grades", ex.Errors.Keys);
    }

    [Fact]
    public void A_seat_with_a_non_finite_position_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => SeatMap.Create([Grade()], [new SeatDefinition("Floor", "A", "1", "A-1", double.NaN, 0, "R")]));

        Assert.Contains(ex.Errors["seats"], m => m.Contains("finite", StringComparison.Ordinal));
    }

    [Fact]
    public void A_seat_without_a_label_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => SeatMap.Create([Grade()], [new SeatDefinition("Floor", "A", "1", " ", 0, 0, "R")]));

        Assert.Contains("seats", ex.Errors.Keys);
    }

    [Fact]
    public void Exactly_one_hundred_thousand_seats_are_accepted()
    {
        var map = SeatMap.Create([Grade()], ManySeats(SeatMap.MaxSeats));

        Assert.Equal(100_000, map.Seats.Count);
    }

    [Fact]
    public void One_hundred_thousand_and_one_seats_are_refused()
    {
        var ex = Assert.Throws<DomainException>(() => SeatMap.Create([Grade()], ManySeats(SeatMap.MaxSeats + 1)));

        Assert.Contains(ex.Errors["seats"], m => m.Contains("100001", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var ex = Assert.Throws<DomainException>(() => SeatMap.Create([Grade(price: 0)], [Seat("A-1", "X"), Seat("A-1")]));

        Assert.Contains("grades[0].price", ex.Errors.Keys);
        Assert.Equal(2, ex.Errors["seats"].Length);
    }

    private static List<SeatDefinition> ManySeats(int count) =>
        Enumerable.Range(1, count).Select(i => new SeatDefinition("Floor", "A", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "S" + i, i, 0, "R")).ToList();
}
