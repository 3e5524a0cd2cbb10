using Ticketing.Application.Catalog;
using Ticketing.Application.Events;
using Ticketing.Application.Orders;

namespace Ticketing.Application.UnitTests.Orders;

/// <summary>How seats together chooses a block: adjacency, grades, front rows, the row's middle.</summary>
public sealed class HoldSeatsTogetherTests
{
    private static readonly GradeDto[] Grades = [new("R", "R", 100, null), new("S", "S", 50, null)];

    /// <summary>Row A (front, y 0): seats 1-10, x = number, grade R except 5 (S). Row B (y 1): 1-10, R. Row C (y 2): 1-3 and 5-8 (4 is an aisle), R.</summary>
    private static SeatLayout Hall()
    {
        var seats = new List<(string Row, int Number, double X, double Y, int Grade)>();
        for (var n = 1; n <= 10; n++)
        {
            seats.Add(("A", n, n, 0, n == 5 ? 1 : 0));
            seats.Add(("B", n, n, 1, 0));
        }

        foreach (var n in new[] { 1, 2, 3, 5, 6, 7, 8 })
        {
            seats.Add(("C", n, n, 2, 0));
        }

        // Ids in an order unrelated to the seats' positions, as layouts from several requests can be.
        var ordered = seats.OrderBy(s => s.Row).ThenByDescending(s => s.Number).ToList();
        var columns = new SeatColumns(
            [.. ordered.Select((_, i) => 1000L + i)],
            [.. ordered.Select(s => $"{s.Row}-{s.Number}")],
            [.. ordered.Select(_ => 0)],
            [.. ordered.Select(s => s.Row)],
            [.. ordered.Select(s => s.Number.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            [.. ordered.Select(s => s.X)],
            [.. ordered.Select(s => s.Y)],
            [.. ordered.Select(s => s.Grade)]);
        return new SeatLayout(1, 1, true, Grades, ["Hall"], columns);
    }

    private static List<string> Labels(SeatLayout layout, IReadOnlyList<long>? block) =>
        block is null ? [] : [.. block.Select(id => layout.Seats.Labels[layout.IndexById[id]]).Order(StringComparer.Ordinal)];

    private static long Id(SeatLayout layout, string label) => layout.Seats.Ids[Array.IndexOf(layout.Seats.Labels, label)];

    [Fact]
    public void A_seat_of_another_grade_breaks_the_front_row_so_a_long_block_goes_to_the_next_row_middle()
    {
        var layout = Hall();

        // Row A has R runs 1-4 and 6-10: five fit only in 6-10, which is still the front row.
        Assert.Equal(["A-10", "A-6", "A-7", "A-8", "A-9"], Labels(layout, HoldSeatsTogetherHandler.BestBlock(layout, 0, 5, new HashSet<long>())));

        // Six do not fit in row A: row B's middle (3-8 around 5.5).
        Assert.Equal(["B-3", "B-4", "B-5", "B-6", "B-7", "B-8"], Labels(layout, HoldSeatsTogetherHandler.BestBlock(layout, 0, 6, new HashSet<long>())));
    }

    [Fact]
    public void Two_seats_take_the_front_rows_middle_and_held_seats_move_the_block_aside()
    {
        var layout = Hall();
        Assert.Equal(["A-6", "A-7"], Labels(layout, HoldSeatsTogetherHandler.BestBlock(layout, 0, 2, new HashSet<long>())));

        // 3-4 and 7-8 are both 2 from the middle (5.5); the tie goes to the lower seat id, here A-7's.
        var taken = new HashSet<long> { Id(layout, "A-6") };
        Assert.Equal(["A-7", "A-8"], Labels(layout, HoldSeatsTogetherHandler.BestBlock(layout, 0, 2, taken)));
    }

    [Fact]
    public void A_skipped_seat_number_is_an_aisle_and_no_block_anywhere_gives_null()
    {
        var layout = Hall();
        var everythingButRowC = layout.Seats.Ids.Where(id => !layout.Seats.Labels[layout.IndexById[id]].StartsWith('C')).ToHashSet();

        // Row C: 1-3 and 5-8 are not one run, so four fit only in 5-8.
        Assert.Equal(["C-5", "C-6", "C-7", "C-8"], Labels(layout, HoldSeatsTogetherHandler.BestBlock(layout, 0, 4, everythingButRowC)));
        Assert.Null(HoldSeatsTogetherHandler.BestBlock(layout, 0, 5, everythingButRowC));

        // The only S seat is alone.
        Assert.Equal(["A-5"], Labels(layout, HoldSeatsTogetherHandler.BestBlock(layout, 1, 1, new HashSet<long>())));
        Assert.Null(HoldSeatsTogetherHandler.BestBlock(layout, 1, 2, new HashSet<long>()));
    }

    [Theory]
    [InlineData("R", 1, true)]
    [InlineData("R", 20, true)]
    [InlineData("R", 0, false)]
    [InlineData("R", 21, false)]
    [InlineData("", 2, false)]
    [InlineData(null, 2, false)]
    public void The_validator_wants_a_grade_and_one_to_twenty_seats(string? grade, int count, bool valid) =>
        Assert.Equal(valid, new HoldSeatsTogetherValidator().Validate(new HoldSeatsTogether(Guid.NewGuid(), 1, grade, count)).IsValid);
}
