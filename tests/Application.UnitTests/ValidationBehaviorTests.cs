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
