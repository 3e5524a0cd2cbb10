using Ticketing.Domain.Common;
using Ticketing.Domain.Waitlist;

namespace Ticketing.Domain.UnitTests;

public sealed class WaitlistEntryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Offers_never_pass_the_seats_asked_for_and_the_entry_is_served_when_all_were_offered()
    {
        var entry = WaitlistEntry.Join(Guid.NewGuid(), 1, "R", 3, together: false, Now);

        entry.Offered(1, Now);
        Assert.Equal(2, entry.SeatsWanted);
        Assert.Throws<DomainException>(() => entry.Offered(3, Now));
        entry.Offered(2, Now);

        Assert.Equal(WaitlistEntryStatus.Served, entry.Status);
        Assert.Equal(0, entry.SeatsWanted);
        Assert.Throws<DomainException>(() => entry.Offered(1, Now));
    }

    [Fact]
    public void Seats_together_are_offered_all_at_once_and_one_seat_is_never_together()
    {
        var pair = WaitlistEntry.Join(Guid.NewGuid(), 1, null, 2, together: true, Now);
        Assert.Throws<DomainException>(() => pair.Offered(1, Now));
        pair.Offered(2, Now);
        Assert.Equal(WaitlistEntryStatus.Served, pair.Status);

        Assert.False(WaitlistEntry.Join(Guid.NewGuid(), 1, null, 1, together: true, Now).Together);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void A_fan_waits_for_one_to_four_seats(int seats) =>
        Assert.Equal("waitlist.seats", Assert.Throws<DomainException>(() => WaitlistEntry.Join(Guid.NewGuid(), 1, null, seats, false, Now)).Code);

    [Fact]
    public void Leaving_ends_the_wait_and_joining_again_is_a_new_place_at_the_back()
    {
        var entry = WaitlistEntry.Join(Guid.NewGuid(), 1, "S", 2, false, Now);
        entry.Offered(1, Now);
        Assert.Throws<DomainException>(() => entry.Rejoin("S", 1, false, Now));
        entry.Leave(Now.AddMinutes(1));
        Assert.Equal(WaitlistEntryStatus.Left, entry.Status);
        Assert.Throws<DomainException>(() => entry.Leave(Now.AddMinutes(1)));

        entry.Rejoin(" A ", 1, false, Now.AddMinutes(2));

        Assert.Equal(WaitlistEntryStatus.Waiting, entry.Status);
        Assert.Equal(Now.AddMinutes(2), entry.JoinedAt);
        Assert.Equal("A", entry.GradeCode);
        Assert.Equal(0, entry.SeatsOffered);
    }
}
