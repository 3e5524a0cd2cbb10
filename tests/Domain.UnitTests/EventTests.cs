using System.Reflection;
using Ticketing.Domain.Catalog;
using Ticketing.Domain.Common;
using static Ticketing.Domain.UnitTests.Builders;

namespace Ticketing.Domain.UnitTests;

public sealed class EventTests
{
    [Fact]
    public void A_new_event_is_a_trimmed_draft_of_its_organizer()
    {
        var organizer = Guid.NewGuid();

        var e = Event.Create(organizer, "  Gala ", " Concert ", " Hall ", "  desc ", Now);

        Assert.Equal(EventStatus.Draft, e.Status);
        Assert.Equal(("Gala", "Concert", "Hall", "desc"), (e.Title, e.Category, e.Venue, e.Description));
        Assert.True(e.IsOwnedBy(organizer));
        Assert.False(e.IsOwnedBy(Guid.NewGuid()));
        Assert.Null(e.PublishedAt);
    }

    [Theory]
    [InlineData("", "Concert", "Hall", "event.title_required")]
    [InlineData("Gala", " ", "Hall", "event.category_required")]
    [InlineData("Gala", "Concert", "", "event.venue_required")]
    public void Title_category_and_venue_are_required(string title, string category, string venue, string code)
    {
        var ex = Assert.Throws<DomainException>(() => Event.Create(Guid.NewGuid(), title, category, venue, "", Now));

        Assert.Equal(code, ex.Code);
    }

    [Theory]
    [InlineData(Event.MaxTitleLength + 1, 1, 1, 0, "event.title_too_long")]
    [InlineData(1, Event.MaxCategoryLength + 1, 1, 0, "event.category_too_long")]
    [InlineData(1, 1, Event.MaxVenueLength + 1, 0, "event.venue_too_long")]
    [InlineData(1, 1, 1, Event.MaxDescriptionLength + 1, "event.description_too_long")]
    public void Fields_longer_than_their_limit_are_refused(int title, int category, int venue, int description, string code)
    {
        var ex = Assert.Throws<DomainException>(() => Event.Create(Guid.NewGuid(), new string('t', title), new string('c', category), new string('v', venue), new string('d', description), Now));

        Assert.Equal(code, ex.Code);
    }

    [Fact]
    public void Fields_at_their_limit_are_accepted()
    {
        var e = Event.Create(Guid.NewGuid(), new string('t', Event.MaxTitleLength), new string('c', Event.MaxCategoryLength), new string('v', Event.MaxVenueLength), new string('d', Event.MaxDescriptionLength), Now);

        Assert.Equal(Event.MaxTitleLength, e.Title.Length);
    }

    [Fact]
    public void Update_changes_the_fields_and_the_update_time()
    {
        var e = NewEvent();

        e.Update("New", "Opera", "Arena", "", Now.AddHours(1));

        Assert.Equal(("New", "Opera", "Arena"), (e.Title, e.Category, e.Venue));
        Assert.Equal(Now.AddHours(1), e.UpdatedAt);
    }

    [Fact]
    public void Publishing_needs_a_performance()
    {
        var ex = Assert.Throws<DomainException>(() => NewEvent().Publish(Now));

        Assert.Equal("event.no_performances", ex.Code);
    }

    [Fact]
    public void Publishing_with_a_performance_makes_the_event_public_once()
    {
        var e = NewEvent();
        e.AddPerformance(Schedule(), PerformanceRules.Default, SmallMap(), Now);

        e.Publish(Now);
        e.Publish(Now.AddHours(1));

        Assert.Equal(EventStatus.Published, e.Status);
        Assert.Equal(Now, e.PublishedAt);
    }

    [Fact]
    public void A_cancelled_event_cannot_get_performances_or_be_published()
    {
        var e = NewEvent();
        e.AddPerformance(Schedule(), PerformanceRules.Default, SmallMap(), Now);
        // The domain has no Cancel transition yet; the state is set directly to check the guards that exist.
        typeof(Event).GetProperty(nameof(Event.Status))!.SetValue(e, EventStatus.Cancelled, BindingFlags.NonPublic, null, null, null);

        Assert.Equal("event.cancelled", Assert.Throws<DomainException>(() => e.AddPerformance(Schedule(), PerformanceRules.Default, SmallMap(), Now)).Code);
        Assert.Equal("event.cancelled", Assert.Throws<DomainException>(() => e.Publish(Now)).Code);
        Assert.Single(e.Performances);
    }
}
