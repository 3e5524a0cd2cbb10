using System.Globalization;
using FluentValidation;
using MediatR;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Catalog;
using Ticketing.Application.Common;
using Ticketing.Domain.Catalog;

namespace Ticketing.Application.Orders;

/// <summary>
/// A fan asks for <paramref name="Count"/> seats side by side of a grade: the server picks the best free block in
/// one row and holds it all or none, through <see cref="HoldSeats"/>.
/// </summary>
public sealed record HoldSeatsTogether(Guid FanId, long PerformanceId, string? GradeCode, int Count, string? AccessPass = null) : IRequest<Result<OrderDto>>;

public sealed class HoldSeatsTogetherValidator : AbstractValidator<HoldSeatsTogether>
{
    public HoldSeatsTogetherValidator()
    {
        RuleFor(x => x.GradeCode).NotEmpty().WithMessage("Name the grade of the seats.").MaximumLength(20);
        RuleFor(x => x.Count).InclusiveBetween(1, PerformanceRules.MaxSeatsPerOrderLimit)
            .WithMessage($"Ask for 1 to {PerformanceRules.MaxSeatsPerOrderLimit} seats.");
    }
}

/// <remarks>
/// "Best": the front-most row first (smallest <c>y</c>: the stage is at the top of the map), then the block whose
/// middle is nearest the middle of its row, then the lower seat id. Seats are adjacent when they follow each other
/// in their row's order (by seat number, or by <c>x</c> when numbers are not numeric) with no number skipped; a
/// held or sold seat, or a seat of another grade, breaks a block. A pending hold past its deadline counts as free,
/// as on the seat map. When another fan takes a seat of the chosen block first, the next best block is tried, a few
/// times, before the answer is <c>seats.not_together</c>.
/// </remarks>
public sealed class HoldSeatsTogetherHandler(
    ISeatLayoutCache layouts,
    ISellingRulesCache sellingRules,
    IAccessPassGate passes,
    IAppDbContext db,
    IMediator mediator,
    TimeProvider clock) : IRequestHandler<HoldSeatsTogether, Result<OrderDto>>
{
    /// <summary>Blocks tried when others keep taking the chosen seats first.</summary>
    public const int MaxAttempts = 3;

    public async Task<Result<OrderDto>> Handle(HoldSeatsTogether request, CancellationToken cancellationToken)
    {
        var layout = await layouts.GetAsync(request.PerformanceId, cancellationToken);
        if (layout is not { IsPublished: true } || await sellingRules.GetAsync(request.PerformanceId, cancellationToken) is not { } rules)
        {
            return Error.NotFound("performance.not_found", "No published performance has this id.");
        }

        var grade = layout.Grades.Select((g, i) => (g.Code, i)).FirstOrDefault(g => string.Equals(g.Code, request.GradeCode, StringComparison.Ordinal));
        if (grade.Code is null)
        {
            return Error.Validation("grade.unknown", "The performance has no such grade.", new Dictionary<string, string[]>
            {
                ["gradeCode"] = [$"Grades of this performance: {string.Join(", ", layout.Grades.Select(g => g.Code))}."],
            });
        }

        if (request.Count > rules.MaxSeatsPerOrder)
        {
            return Error.Validation("seats.too_many", $"At most {rules.MaxSeatsPerOrder} seats per order.", new Dictionary<string, string[]>
            {
                ["count"] = [$"At most {rules.MaxSeatsPerOrder} seats per order for this performance."],
            });
        }

        var unavailable = (await SeatAvailability.LiveSeatsAsync(db, request.PerformanceId, clock.GetUtcNow(), cancellationToken))
            .Select(s => s.SeatId).ToHashSet();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var block = BestBlock(layout, grade.i, request.Count, unavailable);
            if (block is null)
            {
                break;
            }

            var held = await mediator.Send(new HoldSeats(request.FanId, request.PerformanceId, block, request.AccessPass), cancellationToken);
            if (held.IsSuccess || held.Error!.Code != "seats.taken")
            {
                return held;
            }

            // Someone was quicker: those seats are gone, and so is this block.
            var taken = held.Error.Data?.GetValueOrDefault("takenSeatIds") as IEnumerable<long>;
            unavailable.UnionWith(taken is null || !taken.Any() ? block : taken);
        }

        // Nothing to offer: a fan who may not hold at all (no pass, sales closed) hears that rather than this.
        var (_, _, refused) = await HoldSeatsHandler.AdmitAsync(layouts, sellingRules, passes, clock, request.FanId, request.PerformanceId, request.AccessPass, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        return new Error(ErrorKind.Conflict, "seats.not_together", $"No {request.Count} free {grade.Code} seats side by side in one row right now.")
        { Data = new Dictionary<string, object?> { ["gradeCode"] = grade.Code, ["count"] = request.Count } };
    }

    /// <summary>The best block of <paramref name="count"/> adjacent free seats of the grade in one row, or null.</summary>
    internal static IReadOnlyList<long>? BestBlock(SeatLayout layout, int gradeIndex, int count, IReadOnlySet<long> unavailable)
    {
        var seats = layout.Seats;
        (double Front, double FromCentre, long FirstId, int Start, int[] Row)? best = null;
        foreach (var row in Rows(layout))
        {
            double minX = double.MaxValue, maxX = double.MinValue, front = double.MaxValue;
            var gradeInRow = false;
            foreach (var i in row)
            {
                minX = Math.Min(minX, seats.Xs[i]);
                maxX = Math.Max(maxX, seats.Xs[i]);
                front = Math.Min(front, seats.Ys[i]);
                gradeInRow |= seats.GradeIndexes[i] == gradeIndex;
            }

            if (!gradeInRow || row.Length < count || (best is { } b && front > b.Front))
            {
                continue;
            }

            var centre = (minX + maxX) / 2;
            var run = 0;
            for (var k = 0; k < row.Length; k++)
            {
                var i = row[k];
                var free = seats.GradeIndexes[i] == gradeIndex && !unavailable.Contains(seats.Ids[i]);
                run = !free ? 0 : k > 0 && run > 0 && Follows(seats.Numbers[row[k - 1]], seats.Numbers[i]) ? run + 1 : 1;
                if (run < count)
                {
                    continue;
                }

                var start = k - count + 1;
                var fromCentre = Math.Abs(((seats.Xs[row[start]] + seats.Xs[i]) / 2) - centre);
                var firstId = seats.Ids[row[start]];
                if (best is not { } current || front < current.Front
                    || (front == current.Front && (fromCentre < current.FromCentre || (fromCentre == current.FromCentre && firstId < current.FirstId))))
                {
                    best = (front, fromCentre, firstId, start, row);
                }
            }
        }

        return best is { } chosen ? [.. chosen.Row.Skip(chosen.Start).Take(count).Select(i => seats.Ids[i])] : null;
    }

    /// <summary>Each row's seat positions in the order they sit.</summary>
    private static IEnumerable<int[]> Rows(SeatLayout layout)
    {
        var seats = layout.Seats;
        return Enumerable.Range(0, layout.Count)
            .GroupBy(i => (seats.SectionIndexes[i], seats.Rows[i]))
            .Select(g => g.OrderBy(i => Number(seats.Numbers[i]) ?? double.MaxValue).ThenBy(i => seats.Xs[i]).ThenBy(i => seats.Ids[i]).ToArray());
    }

    /// <summary>Two seats in row order are side by side unless numeric numbers skip one (an aisle).</summary>
    private static bool Follows(string previous, string next) =>
        Number(previous) is not { } p || Number(next) is not { } n || n - p == 1;

    private static double? Number(string number) =>
        int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
