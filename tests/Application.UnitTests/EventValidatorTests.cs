using Ticketing.Application.Catalog;
using Ticketing.Application.Events;
using static Ticketing.Application.UnitTests.Requests;

namespace Ticketing.Application.UnitTests;

public sealed class EventValidatorTests
{
    [Fact]
    public void CreateEvent_accepts_the_required_fields_without_a_description()
    {
        Assert.True(new CreateEventValidator().Validate(new CreateEvent(Organizer, "Gala", "Concert", "Hall", null)).IsValid);
    }

    [Fact]
    public void CreateEvent_names_each_missing_field()
    {
        var result = new CreateEventValidator().Validate(new CreateEvent(Organizer, "", "", "", null));

        Assert.Equal(["category", "title", "venue"], result.Errors.Select(e => e.PropertyName).Distinct().Order());
    }

    [Fact]
    public void UpdateEvent_names_each_overlong_field()
    {
        var result = new UpdateEventValidator().Validate(new UpdateEvent(Organizer, 1, new string('t', 201), new string('c', 51), new string('v', 201), new string('d', 4001)));

        Assert.Equal(["category", "description", "title", "venue"], result.Errors.Select(e => e.PropertyName).Distinct().Order());
    }

    [Fact]
    public void UpdateEvent_accepts_fields_at_their_limits()
    {
        Assert.True(new UpdateEventValidator().Validate(new UpdateEvent(Organizer, 1, new string('t', 200), new string('c', 50), new string('v', 200), new string('d', 4000))).IsValid);
    }

    [Fact]
    public void SearchEvents_accepts_defaults()
    {
        Assert.True(new SearchEventsValidator().Validate(new SearchEvents(null, null, null, null)).IsValid);
    }

    [Theory]
    [InlineData(0, 20, "Page")]
    [InlineData(10_001, 20, "Page")]
    [InlineData(1, 0, "PageSize")]
    [InlineData(1, 101, "PageSize")]
    public void SearchEvents_refuses_pages_out_of_range(int page, int pageSize, string field)
    {
        var result = new SearchEventsValidator().Validate(new SearchEvents(null, null, null, null, page, pageSize));

        Assert.Equal([field], result.Errors.Select(e => e.PropertyName).Distinct());
    }

    [Fact]
    public void SearchEvents_refuses_a_range_that_ends_before_it_starts_and_overlong_text()
    {
        var result = new SearchEventsValidator().Validate(new SearchEvents(new string('q', 101), new string('c', 51), Now, Now));

        Assert.Equal(["Category", "Query", "To"], result.Errors.Select(e => e.PropertyName).Distinct().Order());
    }

    [Fact]
    public void ListOwnEvents_refuses_a_page_size_over_one_hundred()
    {
        Assert.False(new ListOwnEventsValidator().Validate(new ListOwnEvents(Organizer, 1, 101)).IsValid);
    }
}
