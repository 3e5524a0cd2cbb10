using FluentValidation;
using MediatR;
using Ticketing.Application.Common;
using Ticketing.Application.Events;
using static Ticketing.Application.UnitTests.Requests;

namespace Ticketing.Application.UnitTests;

public sealed class ValidationBehaviorTests
{
    [Fact]
    public async Task A_valid_request_reaches_the_handler()
    {
        var behavior = new ValidationBehavior<AddPerformance, string>([new AddPerformanceValidator()]);

        var response = await behavior.Handle(AddPerformance(), CancellationToken.None, () => Task.FromResult("handled"));

        Assert.Equal("handled", response);
    }

    [Fact]
    public async Task A_request_without_validators_reaches_the_handler()
    {
        var behavior = new ValidationBehavior<AddPerformance, string>([]);

        Assert.Equal("handled", await behavior.Handle(AddPerformance(new SeatMapInput(null, null)), CancellationToken.None, () => Task.FromResult("handled")));
    }

    [Fact]
    public async Task Every_failure_is_collected_with_camel_case_paths_and_the_handler_never_runs()
    {
        var behavior = new ValidationBehavior<AddPerformance, string>([new AddPerformanceValidator()]);
        var map = Map(new SectionInput("Floor", [RangeRow("A"), RangeRow(new string('r', 21)) with { Spacing = double.NaN }]));
        var request = AddPerformance(map, Settings() with { HoldSeconds = 5, RequiresQueuePass = true });
        var handled = false;

        var ex = await Assert.ThrowsAsync<RequestValidationException>(() => behavior.Handle(request, CancellationToken.None, () =>
        {
            handled = true;
            return Task.FromResult("handled");
        }));

        Assert.False(handled);
        Assert.Equal(
            ["holdSeconds", "seatMap.sections[0].rows[1].name", "seatMap.sections[0].rows[1].spacing", "waitingRoomId"],
            ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null, "Name at least one seat.")]
    [InlineData(new long[0], "Name at least one seat.")]
    [InlineData(new long[] { 1, 0 }, "Seat ids are positive numbers.")]
    [InlineData(new long[] { 3, -5 }, "Seat ids are positive numbers.")]
    [InlineData(new long[] { 4, 5, 4 }, "A seat is named twice.")]
    [InlineData(new long[] { -1, -1 }, "Seat ids are positive numbers.|A seat is named twice.")]
    public async Task A_hold_checks_its_seats_by_hand_with_the_rules_and_messages_of_a_validator(long[]? seatIds, string messages)
    {
        var behavior = new ValidationBehavior<Ticketing.Application.Orders.HoldSeats, string>([]);
        var handled = false;

        var ex = await Assert.ThrowsAsync<RequestValidationException>(() => behavior.Handle(new Ticketing.Application.Orders.HoldSeats(Guid.NewGuid(), 1, seatIds), CancellationToken.None, () =>
        {
            handled = true;
            return Task.FromResult("handled");
        }));

        Assert.False(handled);
        Assert.Equal(["seatIds"], ex.Errors.Keys);
        Assert.Equal(messages.Split('|'), ex.Errors["seatIds"]);
    }

    [Fact]
    public async Task A_hold_of_too_many_seats_is_refused_and_a_long_list_is_checked_in_linear_time()
    {
        var behavior = new ValidationBehavior<Ticketing.Application.Orders.HoldSeats, string>([]);
        var many = Enumerable.Range(1, 200_000).Select(i => (long)i).Append(7).ToArray();

        var ex = await Assert.ThrowsAsync<RequestValidationException>(() =>
            behavior.Handle(new Ticketing.Application.Orders.HoldSeats(Guid.NewGuid(), 1, many), CancellationToken.None, () => Task.FromResult("handled")));

        Assert.Equal(["At most 20 seats can be held at once.", "A seat is named twice."], ex.Errors["seatIds"]);
        Assert.Equal("handled", await behavior.Handle(new Ticketing.Application.Orders.HoldSeats(Guid.NewGuid(), 1, [1, 2, 3, 4]), CancellationToken.None, () => Task.FromResult("handled")));
    }

    [Fact]
    public async Task Failures_of_several_validators_are_merged_per_field()
    {
        var second = new InlineValidator<CreateEvent>();
        second.RuleFor(x => x.Title).Must(_ => false).WithMessage("second opinion");
        var behavior = new ValidationBehavior<CreateEvent, string>([new CreateEventValidator(), second]);

        var ex = await Assert.ThrowsAsync<RequestValidationException>(() =>
            behavior.Handle(new CreateEvent(Organizer, "", "Concert", "Hall", null), CancellationToken.None, () => Task.FromResult("handled")));

        Assert.Equal(["title"], ex.Errors.Keys);
        Assert.Equal(2, ex.Errors["title"].Length);
        Assert.Contains("second opinion", ex.Errors["title"]);
    }

    [Theory]
    [InlineData("Sections[0].Rows[2].Name", "sections[0].rows[2].name")]
    [InlineData("SeatMap.Grades[1].Code", "seatMap.grades[1].code")]
    [InlineData("seatMap", "seatMap")]
    [InlineData("", "")]
    public void Property_paths_become_the_json_paths_the_client_sent(string propertyName, string expected)
    {
        Assert.Equal(expected, ValidationBehavior<AddPerformance, Unit>.ToCamelPath(propertyName));
    }
}
