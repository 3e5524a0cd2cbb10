using System.Collections.Concurrent;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.IntegrationTests.SeatLocks;

/// <summary>
/// The behaviour every <see cref="ISeatLock"/> adapter must have; one concrete class per adapter runs it.
/// </summary>
/// <remarks>
/// Decisions this contract pins down (both adapters follow them):
/// <list type="bullet">
/// <item>Acquiring a seat the same hold already has counts as taken: a hold is taken once, and a
/// retried acquire does not silently succeed; the existing hold is left as it was.</item>
/// <item>A sold seat's value is <c>sold:{holdId}</c>, without expiry; nobody can release, extend or
/// acquire it, not even its own hold; marking it sold again by the same hold succeeds (retries).</item>
/// <item>Extend and mark-sold are all or nothing; release frees whatever is still the hold's own.</item>
/// <item>An empty seat list is a no-op: acquire succeeds, release frees 0, extend and mark-sold are true.</item>
/// <item>A holder carries its order's deadline: before it (on the caller's clock) its seats are taken, from it on
/// they are lapsed and reported with the holder's id, yet stay locked (nothing is taken over) until that hold is
/// released or its ttl ends. Sold seats and extended holds have no deadline: taken until their ttl ends.</item>
/// </list>
/// </remarks>
public abstract class SeatLockContract
{
    protected static readonly TimeSpan LongTtl = TimeSpan.FromMinutes(5);

    private static long _nextPerformanceId = Environment.TickCount64 % 1_000_000 * 1_000;

    /// <summary>The adapter under test.</summary>
    protected abstract ISeatLock SeatLock { get; }

    /// <summary>A ttl the test lets pass with <see cref="LetTimePassAsync"/>.</summary>
    protected abstract TimeSpan ShortTtl { get; }

    /// <summary>Returns once at least <paramref name="ttl"/> has passed on the store's clock since the call.</summary>
    protected abstract Task LetTimePassAsync(TimeSpan ttl);

    protected static long NewPerformanceId() => Interlocked.Increment(ref _nextPerformanceId);

    protected static string NewHoldId() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Acquire_locks_every_seat_for_the_hold()
    {
        var performance = NewPerformanceId();
        var hold = NewHoldId();

        var result = await SeatLock.TryAcquireAsync(performance, [1, 2, 3], hold, LongTtl);

        Assert.True(result.Acquired);
        Assert.Empty(result.TakenSeatIds);
        await AssertHoldersAsync(performance, [1, 2, 3, 4], new() { [1] = hold, [2] = hold, [3] = hold });
    }

    [Fact]
    public async Task Hold_fails_whole_when_one_seat_is_taken()
    {
        var performance = NewPerformanceId();
        var winner = NewHoldId();
        var loser = NewHoldId();
        await AcquireAsync(performance, [3], winner);

        var result = await SeatLock.TryAcquireAsync(performance, [1, 2, 3, 4], loser, LongTtl);

        Assert.False(result.Acquired);
        Assert.Equal([3], result.TakenSeatIds);
        await AssertHoldersAsync(performance, [1, 2, 3, 4], new() { [3] = winner });
    }

    [Fact]
    public async Task Conflict_reports_exactly_the_taken_seats_and_locks_nothing_for_the_loser()
    {
        var performance = NewPerformanceId();
        var first = NewHoldId();
        var second = NewHoldId();
        var loser = NewHoldId();
        await AcquireAsync(performance, [2], first);
        await AcquireAsync(performance, [5, 6], second);

        var result = await SeatLock.TryAcquireAsync(performance, [1, 2, 3, 4, 5, 6, 7], loser, LongTtl);

        Assert.False(result.Acquired);
        Assert.Equal([2, 5, 6], result.TakenSeatIds);
        await AssertHoldersAsync(performance, [1, 2, 3, 4, 5, 6, 7], new() { [2] = first, [5] = second, [6] = second });
    }

    [Fact]
    public async Task Seats_of_another_performance_are_independent()
    {
        var performance = NewPerformanceId();
        var other = NewPerformanceId();
        await AcquireAsync(performance, [1], NewHoldId());

        var result = await SeatLock.TryAcquireAsync(other, [1], NewHoldId(), LongTtl);

        Assert.True(result.Acquired);
    }

    [Fact]
    public async Task Acquiring_seats_the_same_hold_already_has_counts_as_taken_and_keeps_the_hold()
    {
        var performance = NewPerformanceId();
        var hold = NewHoldId();
        await AcquireAsync(performance, [1, 2], hold);

        var result = await SeatLock.TryAcquireAsync(performance, [3, 2], hold, LongTtl);

        Assert.False(result.Acquired);
        Assert.Equal([2], result.TakenSeatIds);
        await AssertHoldersAsync(performance, [1, 2, 3], new() { [1] = hold, [2] = hold });
    }

    [Fact]
    public async Task Release_frees_only_the_seats_its_hold_owns()
    {
        var performance = NewPerformanceId();
        var owner = NewHoldId();
        var other = NewHoldId();
        await AcquireAsync(performance, [1, 2], owner);
        await AcquireAsync(performance, [3], other);

        Assert.Equal(0, await SeatLock.ReleaseAsync(performance, [1, 2], other));
        await AssertHoldersAsync(performance, [1, 2, 3], new() { [1] = owner, [2] = owner, [3] = other });

        Assert.Equal(2, await SeatLock.ReleaseAsync(performance, [1, 2, 3, 4], owner));
        await AssertHoldersAsync(performance, [1, 2, 3, 4], new() { [3] = other });

        Assert.Equal(0, await SeatLock.ReleaseAsync(performance, [1, 2], owner));
        Assert.True((await SeatLock.TryAcquireAsync(performance, [1, 2], NewHoldId(), LongTtl)).Acquired);
    }

    [Fact]
    public async Task Extend_by_the_owner_keeps_the_seats_past_their_first_ttl()
    {
        var performance = NewPerformanceId();
        var hold = NewHoldId();
        await AcquireAsync(performance, [1, 2], hold, ShortTtl);

        Assert.True(await SeatLock.ExtendAsync(performance, [1, 2], hold, LongTtl));
        await LetTimePassAsync(ShortTtl);

        await AssertHoldersAsync(performance, [1, 2], new() { [1] = hold, [2] = hold });
    }

    [Fact]
    public async Task Extend_is_refused_whole_when_any_seat_is_not_the_holds()
    {
        var performance = NewPerformanceId();
        var hold = NewHoldId();
        var other = NewHoldId();
        await AcquireAsync(performance, [1, 2], hold, ShortTtl);
        await AcquireAsync(performance, [3], other);

        Assert.False(await SeatLock.ExtendAsync(performance, [1, 2, 3], hold, LongTtl));
        Assert.False(await SeatLock.ExtendAsync(performance, [1, 2, 4], hold, LongTtl));
        Assert.False(await SeatLock.ExtendAsync(performance, [1], other, LongTtl));
        await LetTimePassAsync(ShortTtl);

        // Nothing was extended: the hold's seats expired on their first ttl; the other hold is intact.
        await AssertHoldersAsync(performance, [1, 2, 3], new() { [3] = other });
    }

    [Fact]
    public async Task Hold_expires_after_its_ttl_and_the_seats_are_free_again()
    {
        var performance = NewPerformanceId();
        var hold = NewHoldId();
        await AcquireAsync(performance, [1, 2], hold, ShortTtl);

        await LetTimePassAsync(ShortTtl);

        await AssertHoldersAsync(performance, [1, 2], []);
        Assert.False(await SeatLock.ExtendAsync(performance, [1, 2], hold, LongTtl));
        Assert.False(await SeatLock.MarkSoldAsync(performance, [1, 2], hold));
        Assert.Equal(0, await SeatLock.ReleaseAsync(performance, [1, 2], hold));
        var next = NewHoldId();
        Assert.True((await SeatLock.TryAcquireAsync(performance, [1, 2], next, LongTtl)).Acquired);
    }

    [Fact]
    public async Task Sold_seats_outlive_the_ttl_and_nobody_can_release_extend_or_acquire_them()
    {
        var performance = NewPerformanceId();
        var buyer = NewHoldId();
        var other = NewHoldId();
        await AcquireAsync(performance, [1, 2], buyer, ShortTtl);

        Assert.True(await SeatLock.MarkSoldAsync(performance, [1, 2], buyer));
        await LetTimePassAsync(ShortTtl);

        var sold = "sold:" + buyer;
        await AssertHoldersAsync(performance, [1, 2], new() { [1] = sold, [2] = sold });
        Assert.Equal(0, await SeatLock.ReleaseAsync(performance, [1, 2], other));
        Assert.Equal(0, await SeatLock.ReleaseAsync(performance, [1, 2], buyer));
        Assert.False(await SeatLock.ExtendAsync(performance, [1], buyer, LongTtl));
        Assert.False(await SeatLock.MarkSoldAsync(performance, [1], other));
        var conflict = await SeatLock.TryAcquireAsync(performance, [2, 3], other, LongTtl);
        Assert.False(conflict.Acquired);
        Assert.Equal([2], conflict.TakenSeatIds);
        Assert.False((await SeatLock.TryAcquireAsync(performance, [1], buyer, LongTtl)).Acquired);
        await AssertHoldersAsync(performance, [1, 2, 3], new() { [1] = sold, [2] = sold });

        // A retried confirmation by the same hold is not an error.
        Assert.True(await SeatLock.MarkSoldAsync(performance, [1, 2], buyer));
    }

    [Fact]
    public async Task Forget_deletes_held_and_sold_seats_of_one_performance_only()
    {
        var performance = NewPerformanceId();
        var neighbour = NewPerformanceId();
        var buyer = NewHoldId();
        var holder = NewHoldId();
        await AcquireAsync(performance, [1, 2], buyer, LongTtl);
        Assert.True(await SeatLock.MarkSoldAsync(performance, [1, 2], buyer));
        await AcquireAsync(performance, [3], holder, LongTtl);
        await AcquireAsync(neighbour, [1], buyer, LongTtl);
        Assert.True(await SeatLock.MarkSoldAsync(neighbour, [1], buyer));

        Assert.Equal(3, await SeatLock.ForgetAsync(performance, [1, 2, 3, 4]));

        await AssertHoldersAsync(performance, [1, 2, 3, 4], new());
        await AssertHoldersAsync(neighbour, [1], new() { [1] = "sold:" + buyer });
        Assert.Equal(0, await SeatLock.ForgetAsync(performance, [1, 2, 3, 4]));
        Assert.Equal(0, await SeatLock.ForgetAsync(performance, []));
    }

    [Fact]
    public async Task Release_sold_returns_only_the_holds_sold_seats_to_sale()
    {
        var performance = NewPerformanceId();
        var buyer = NewHoldId();
        var other = NewHoldId();
        await AcquireAsync(performance, [1, 2], buyer, LongTtl);
        await AcquireAsync(performance, [3], other, LongTtl);
        Assert.True(await SeatLock.MarkSoldAsync(performance, [1, 2], buyer));

        Assert.Equal(0, await SeatLock.ReleaseSoldAsync(performance, [1, 2, 3], other));
        Assert.Equal(1, await SeatLock.ReleaseSoldAsync(performance, [1], buyer));
        Assert.Equal(0, await SeatLock.ReleaseSoldAsync(performance, [1], buyer));

        await AssertHoldersAsync(performance, [1, 2, 3], new() { [2] = "sold:" + buyer, [3] = other });
        Assert.True((await SeatLock.TryAcquireAsync(performance, [1], other, LongTtl)).Acquired);
    }

    [Fact]
    public async Task Mark_sold_is_refused_whole_when_any_seat_is_not_the_holds()
    {
        var performance = NewPerformanceId();
        var hold = NewHoldId();
        var other = NewHoldId();
        await AcquireAsync(performance, [1], hold);
        await AcquireAsync(performance, [2], other);

        Assert.False(await SeatLock.MarkSoldAsync(performance, [1, 2], hold));
        Assert.False(await SeatLock.MarkSoldAsync(performance, [1, 3], hold));

        await AssertHoldersAsync(performance, [1, 2, 3], new() { [1] = hold, [2] = other });
        Assert.Equal(1, await SeatLock.ReleaseAsync(performance, [1], hold));
    }

    [Fact]
    public async Task An_empty_seat_list_is_a_no_op()
    {
        var performance = NewPerformanceId();
        var hold = NewHoldId();

        Assert.Equal(SeatLockResult.Success, await SeatLock.TryAcquireAsync(performance, [], hold, LongTtl));
        Assert.Equal(0, await SeatLock.ReleaseAsync(performance, [], hold));
        Assert.True(await SeatLock.ExtendAsync(performance, [], hold, LongTtl));
        Assert.True(await SeatLock.MarkSoldAsync(performance, [], hold));
        Assert.Empty(await SeatLock.GetHoldersAsync(performance, []));
    }

    /// <summary>A fixed moment the deadline tests judge against (the caller's clock, not the store's).</summary>
    protected static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    protected static readonly DateTimeOffset Deadline = At + TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_holder_is_taken_until_its_deadline_and_lapsed_from_it_on_with_its_hold_id()
    {
        var performance = NewPerformanceId();
        var holder = NewHoldId();
        var loser = NewHoldId();
        Assert.True((await SeatLock.TryAcquireAsync(performance, [1, 2], holder, Deadline, LongTtl, At)).Acquired);

        var before = await SeatLock.TryAcquireAsync(performance, [2, 3], loser, Deadline, LongTtl, Deadline - TimeSpan.FromMilliseconds(1));

        Assert.False(before.Acquired);
        Assert.Equal([2], before.TakenSeatIds);
        Assert.Empty(before.LapsedHolders);
        Assert.False(before.OnlyLapsed);

        var after = await SeatLock.TryAcquireAsync(performance, [2, 3], loser, Deadline, LongTtl, Deadline);

        Assert.False(after.Acquired);
        Assert.Empty(after.TakenSeatIds);
        Assert.Equal(new Dictionary<long, string> { [2] = holder }, after.LapsedHolders);
        Assert.True(after.OnlyLapsed);
        // Nothing was taken over and nothing locked for the loser: the holder keeps every seat until it is released.
        await AssertHoldersAsync(performance, [1, 2, 3], new() { [1] = holder, [2] = holder });
    }

    [Fact]
    public async Task Taken_and_lapsed_seats_in_one_request_are_told_apart_and_nothing_is_locked()
    {
        var performance = NewPerformanceId();
        var live = NewHoldId();
        var lapsed = NewHoldId();
        var loser = NewHoldId();
        Assert.True((await SeatLock.TryAcquireAsync(performance, [1], live, Deadline + TimeSpan.FromMinutes(5), LongTtl, At)).Acquired);
        Assert.True((await SeatLock.TryAcquireAsync(performance, [3, 4], lapsed, Deadline, LongTtl, At)).Acquired);

        var result = await SeatLock.TryAcquireAsync(performance, [1, 2, 3, 4, 5], loser, Deadline + TimeSpan.FromMinutes(1), LongTtl, Deadline);

        Assert.False(result.Acquired);
        Assert.Equal([1], result.TakenSeatIds);
        Assert.Equal(new Dictionary<long, string> { [3] = lapsed, [4] = lapsed }, result.LapsedHolders);
        Assert.False(result.OnlyLapsed);
        Assert.Equal([1, 3, 4], result.SeatsInTheWay.Order());
        await AssertHoldersAsync(performance, [1, 2, 3, 4, 5], new() { [1] = live, [3] = lapsed, [4] = lapsed });
    }

    [Fact]
    public async Task A_lapsed_holder_released_hands_its_seats_to_the_next_hold()
    {
        var performance = NewPerformanceId();
        var lapsed = NewHoldId();
        var next = NewHoldId();
        Assert.True((await SeatLock.TryAcquireAsync(performance, [1, 2], lapsed, Deadline, LongTtl, At)).Acquired);
        Assert.True((await SeatLock.TryAcquireAsync(performance, [1], next, Deadline + TimeSpan.FromMinutes(10), LongTtl, Deadline)).OnlyLapsed);

        // What the hold path does once it has closed the lapsed order: a compare-and-delete of that hold, then again.
        Assert.Equal(2, await SeatLock.ReleaseAsync(performance, [1, 2], lapsed));
        var takeover = await SeatLock.TryAcquireAsync(performance, [1], next, Deadline + TimeSpan.FromMinutes(10), LongTtl, Deadline);

        Assert.True(takeover.Acquired);
        await AssertHoldersAsync(performance, [1, 2], new() { [1] = next });
        // The new holder is live until its own deadline.
        var late = await SeatLock.TryAcquireAsync(performance, [1], NewHoldId(), Deadline, LongTtl, Deadline + TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Assert.Equal([1], late.TakenSeatIds);
    }

    [Fact]
    public async Task A_holder_with_a_deadline_can_extend_mark_sold_and_release_as_before()
    {
        var performance = NewPerformanceId();
        var paying = NewHoldId();
        var buying = NewHoldId();
        var leaving = NewHoldId();
        Assert.True((await SeatLock.TryAcquireAsync(performance, [1], paying, Deadline, LongTtl, At)).Acquired);
        Assert.True((await SeatLock.TryAcquireAsync(performance, [2], buying, Deadline, LongTtl, At)).Acquired);
        Assert.True((await SeatLock.TryAcquireAsync(performance, [3], leaving, Deadline, LongTtl, At)).Acquired);
        await AssertHoldersAsync(performance, [1, 2, 3], new() { [1] = paying, [2] = buying, [3] = leaving });

        Assert.True(await SeatLock.ExtendAsync(performance, [1], paying, LongTtl));
        Assert.True(await SeatLock.MarkSoldAsync(performance, [2], buying));
        Assert.Equal(1, await SeatLock.ReleaseAsync(performance, [3], leaving));

        // Long past the deadline: an extended hold (a payment under way) and a sold seat stay taken, never lapsed.
        var result = await SeatLock.TryAcquireAsync(performance, [1, 2, 3], NewHoldId(), Deadline, LongTtl, Deadline + TimeSpan.FromDays(1));
        Assert.Equal([1, 2], result.TakenSeatIds.Order());
        Assert.Empty(result.LapsedHolders);
        await AssertHoldersAsync(performance, [1, 2, 3], new() { [1] = paying, [2] = "sold:" + buying });
    }

    [Fact]
    public async Task Of_200_concurrent_holds_on_a_lapsed_seat_none_takes_it_over_and_after_its_release_exactly_one_wins()
    {
        var performance = NewPerformanceId();
        var lapsed = NewHoldId();
        Assert.True((await SeatLock.TryAcquireAsync(performance, [7, 8], lapsed, Deadline, LongTtl, At)).Acquired);
        var holds = Enumerable.Range(0, 200).Select(_ => NewHoldId()).ToArray();

        async Task<(string Hold, SeatLockResult Result)[]> RaceAsync()
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = holds.Select(hold => Task.Run(async () =>
            {
                await start.Task;
                return (hold, await SeatLock.TryAcquireAsync(performance, [6, 7], hold, Deadline + TimeSpan.FromMinutes(10), LongTtl, Deadline));
            })).ToArray();
            start.SetResult();
            return await Task.WhenAll(attempts);
        }

        var first = await RaceAsync();
        Assert.All(first, o => Assert.True(o.Result.OnlyLapsed));
        await AssertHoldersAsync(performance, [6, 7, 8], new() { [7] = lapsed, [8] = lapsed });

        await SeatLock.ReleaseAsync(performance, [7, 8], lapsed);
        var second = await RaceAsync();

        var winner = Assert.Single(second, o => o.Result.Acquired);
        Assert.All(second.Where(o => !o.Result.Acquired), o => Assert.Equal([6, 7], o.Result.TakenSeatIds.Order()));
        await AssertHoldersAsync(performance, [6, 7, 8], new() { [6] = winner.Hold, [7] = winner.Hold });
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_touching_the_store()
    {
        var performance = NewPerformanceId();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SeatLock.TryAcquireAsync(performance, [1], NewHoldId(), TimeSpan.Zero).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SeatLock.ExtendAsync(performance, [1], NewHoldId(), TimeSpan.FromDays(30)).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => SeatLock.TryAcquireAsync(performance, [1], "", LongTtl).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => SeatLock.TryAcquireAsync(performance, [1], "sold:x", LongTtl).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => SeatLock.TryAcquireAsync(performance, [1], "a|1", Deadline, LongTtl, At).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>(() => SeatLock.ReleaseAsync(performance, null!, NewHoldId()).AsTask());
        await AssertHoldersAsync(performance, [1], []);
    }

    [Fact]
    public async Task A_cancelled_call_does_nothing()
    {
        var performance = NewPerformanceId();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SeatLock.TryAcquireAsync(performance, [1], NewHoldId(), LongTtl, cancelled.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SeatLock.GetHoldersAsync(performance, [1], cancelled.Token).AsTask());

        await AssertHoldersAsync(performance, [1], []);
    }

    [Fact]
    public async Task Of_200_concurrent_holds_on_one_seat_exactly_one_wins()
    {
        var performance = NewPerformanceId();
        var holds = Enumerable.Range(0, 200).Select(_ => NewHoldId()).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = holds.Select(hold => Task.Run(async () =>
        {
            await start.Task;
            return (Hold: hold, Result: await SeatLock.TryAcquireAsync(performance, [7], hold, LongTtl));
        })).ToArray();
        start.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        var winner = Assert.Single(outcomes, o => o.Result.Acquired);
        Assert.All(outcomes.Where(o => !o.Result.Acquired), o => Assert.Equal([7], o.Result.TakenSeatIds));
        await AssertHoldersAsync(performance, [7], new() { [7] = winner.Hold });
    }

    [Fact]
    public async Task Of_500_concurrent_holds_on_a_300_seat_block_no_seat_has_two_holds_and_every_winner_has_all_its_seats()
    {
        var performance = NewPerformanceId();
        var block = Enumerable.Range(1, 300).Select(i => (long)i).ToArray();
        var random = new Random(20261121);
        var requests = Enumerable.Range(0, 500)
            .Select(_ => (Hold: NewHoldId(), Seats: (IReadOnlyList<long>)random.GetItems(block, 8).Distinct().Take(random.Next(1, 5)).ToArray()))
            .ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var winners = new ConcurrentBag<(string Hold, IReadOnlyList<long> Seats)>();

        var attempts = requests.Select(request => Task.Run(async () =>
        {
            await start.Task;
            var result = await SeatLock.TryAcquireAsync(performance, request.Seats, request.Hold, LongTtl);
            if (result.Acquired)
            {
                winners.Add(request);
            }
            else
            {
                Assert.NotEmpty(result.TakenSeatIds);
                Assert.Subset(request.Seats.ToHashSet(), result.TakenSeatIds.ToHashSet());
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(attempts);

        Assert.NotEmpty(winners);
        var expected = new Dictionary<long, string>();
        foreach (var (hold, seats) in winners)
        {
            foreach (var seat in seats)
            {
                Assert.True(expected.TryAdd(seat, hold), $"seat {seat} was won by two holds");
            }
        }

        // Every winner holds all of its seats, and no loser holds any seat.
        var holders = await SeatLock.GetHoldersAsync(performance, block);
        Assert.Equal(expected.OrderBy(p => p.Key), holders.OrderBy(p => p.Key));
    }

    private async Task AcquireAsync(long performance, IReadOnlyList<long> seats, string hold, TimeSpan? ttl = null)
    {
        var result = await SeatLock.TryAcquireAsync(performance, seats, hold, ttl ?? LongTtl);
        Assert.True(result.Acquired, $"setup hold of [{string.Join(", ", seats)}] failed: taken [{string.Join(", ", result.TakenSeatIds)}]");
    }

    private async Task AssertHoldersAsync(long performance, IReadOnlyList<long> seats, Dictionary<long, string> expected)
    {
        var holders = await SeatLock.GetHoldersAsync(performance, seats);
        Assert.Equal(expected.OrderBy(p => p.Key), holders.OrderBy(p => p.Key));
    }
}
