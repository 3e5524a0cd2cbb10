using Ticketing.Application.Abstractions;
using Ticketing.Infrastructure.IntegrationTests.Support;
using Ticketing.Infrastructure.SeatLocks;

namespace Ticketing.Infrastructure.IntegrationTests.SeatLocks;

/// <summary>The seat-lock contract on the in-process adapter, with a clock the tests move.</summary>
public sealed class InProcessSeatLockTests : SeatLockContract
{
    private readonly ManualTimeProvider _time = new();
    private readonly InProcessSeatLock _seatLock;

    public InProcessSeatLockTests() => _seatLock = new InProcessSeatLock(_time);

    protected override ISeatLock SeatLock => _seatLock;

    protected override TimeSpan ShortTtl => TimeSpan.FromMilliseconds(200);

    protected override Task LetTimePassAsync(TimeSpan ttl)
    {
        _time.Advance(ttl);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_hold_lasts_exactly_its_ttl()
    {
        var performance = NewPerformanceId();
        var hold = NewHoldId();
        var ttl = TimeSpan.FromMinutes(10);
        Assert.True((await _seatLock.TryAcquireAsync(performance, [1], hold, ttl)).Acquired);

        _time.Advance(ttl - TimeSpan.FromTicks(1));
        Assert.Equal(hold, (await _seatLock.GetHoldersAsync(performance, [1]))[1]);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Empty(await _seatLock.GetHoldersAsync(performance, [1]));
    }
}
