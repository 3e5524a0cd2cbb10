using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Catalog;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;
using Ticketing.Application.UnitTests.Support;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.UnitTests.Orders;

public sealed class HoldSeatsTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(10);

    private readonly HandlerDatabase _database = new();
    private readonly ISeatLayoutCache _layouts = Substitute.For<ISeatLayoutCache>();
    private readonly ISellingRulesCache _rules = Substitute.For<ISellingRulesCache>();
    private readonly ISeatLock _seatLock = Substitute.For<ISeatLock>();
    private readonly IPendingOrderWriter _writer = Substitute.For<IPendingOrderWriter>();
    private readonly IAccessPassGate _passes = Substitute.For<IAccessPassGate>();
    private readonly Guid _fan = Guid.NewGuid();
    private Stage _stage = null!;

    public async Task InitializeAsync()
    {
        _stage = await _database.SeedPerformanceAsync(seats: 6);
        _layouts.GetAsync(_stage.PerformanceId, Arg.Any<CancellationToken>()).Returns(_stage.Layout());
        GivenRules(Rules());
        _seatLock.TryAcquireAsync(default, default!, default!, default, default, default, default).ReturnsForAnyArgs(SeatLockResult.Success);
        _writer.PlaceAsync(default!, default, default, default).ReturnsForAnyArgs(PlaceOrderOutcome.Placed);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Hold_places_the_order_at_the_catalog_prices_and_locks_its_seats_past_the_deadline()
    {
        var seats = new[] { _stage.SeatId(1), _stage.SeatId(6) };

        var result = await Handle(seats);

        Assert.True(result.IsSuccess);
        var dto = result.Value;
        Assert.Equal("pending", dto.Status);
        Assert.Equal(300_000, dto.TotalAmount);
        Assert.Equal(HandlerDatabase.Start + Hold, dto.ExpiresAt);
        Assert.Equal([200_000L, 100_000L], dto.Seats.Select(s => s.Price));
        await _seatLock.Received(1).TryAcquireAsync(_stage.PerformanceId, Arg.Is<IReadOnlyList<long>>(ids => ids.SequenceEqual(seats)), dto.Id, Arg.Is(dto.ExpiresAt), Arg.Is(Hold + HoldSeatsHandler.LockGrace), Arg.Is(HandlerDatabase.Start), Arg.Any<CancellationToken>());
        await _writer.Received(1).PlaceAsync(Arg.Is<Order>(o => o.Number == dto.Id && o.FanId == _fan && o.TotalAmount == 300_000), 8, HandlerDatabase.Start, Arg.Any<CancellationToken>());
        await _seatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
        await _passes.DidNotReceiveWithAnyArgs().CheckAsync(default, default, default, default, default);
    }

    [Fact]
    public async Task Hold_of_an_unknown_performance_is_not_found_and_locks_nothing()
    {
        _layouts.GetAsync(_stage.PerformanceId, Arg.Any<CancellationToken>()).Returns((SeatLayout?)null);

        var result = await Handle([_stage.SeatId(1)]);

        AssertError(result, ErrorKind.NotFound, "performance.not_found");
        await AssertNothingLockedOrWritten();
    }

    [Fact]
    public async Task Hold_of_an_unpublished_performance_is_not_found_and_locks_nothing()
    {
        _layouts.GetAsync(_stage.PerformanceId, Arg.Any<CancellationToken>()).Returns(_stage.Layout(published: false));

        var result = await Handle([_stage.SeatId(1)]);

        AssertError(result, ErrorKind.NotFound, "performance.not_found");
        await AssertNothingLockedOrWritten();
    }

    [Fact]
    public async Task Hold_without_selling_rules_is_not_found()
    {
        _rules.GetAsync(_stage.PerformanceId, Arg.Any<CancellationToken>()).Returns((SellingRules?)null);

        var result = await Handle([_stage.SeatId(1)]);

        AssertError(result, ErrorKind.NotFound, "performance.not_found");
        await AssertNothingLockedOrWritten();
    }

    [Theory]
    [InlineData(AccessPassCheck.Missing, ErrorKind.Unauthorized, "pass.required")]
    [InlineData(AccessPassCheck.Invalid, ErrorKind.Unauthorized, "pass.invalid")]
    [InlineData(AccessPassCheck.Expired, ErrorKind.Unauthorized, "pass.expired")]
    [InlineData(AccessPassCheck.WrongSale, ErrorKind.Forbidden, "pass.wrong_sale")]
    [InlineData(AccessPassCheck.BoundToAnotherAccount, ErrorKind.Forbidden, "pass.bound_to_another_account")]
    [InlineData(AccessPassCheck.IssuedToAnotherAccount, ErrorKind.Forbidden, "pass.other_account")]
    [InlineData(AccessPassCheck.Unavailable, ErrorKind.Unavailable, "pass.keys_unavailable")]
    public async Task Hold_of_a_paced_sale_is_refused_without_an_accepted_pass(AccessPassCheck check, ErrorKind kind, string code)
    {
        GivenRules(Rules() with { RequiresQueuePass = true, WaitingRoomId = "room-1" });
        _passes.CheckAsync("pass", _stage.PerformanceId, "room-1", _fan, Arg.Any<CancellationToken>()).Returns(check);

        var result = await Handle([_stage.SeatId(1)], pass: "pass");

        AssertError(result, kind, code);
        await AssertNothingLockedOrWritten();
    }

    [Fact]
    public async Task Hold_of_a_paced_sale_with_an_accepted_pass_holds_the_seats()
    {
        GivenRules(Rules() with { RequiresQueuePass = true, WaitingRoomId = "room-1" });
        _passes.CheckAsync("pass", _stage.PerformanceId, "room-1", _fan, Arg.Any<CancellationToken>()).Returns(AccessPassCheck.Accepted);

        var result = await Handle([_stage.SeatId(1)], pass: "pass");

        Assert.True(result.IsSuccess);
        await _writer.ReceivedWithAnyArgs(1).PlaceAsync(default!, default, default, default);
    }

    [Fact]
    public async Task Hold_before_sales_open_is_refused_with_the_opening_time()
    {
        var opens = HandlerDatabase.Start.AddMinutes(1);
        GivenRules(Rules() with { SalesOpenAt = opens });

        var result = await Handle([_stage.SeatId(1)]);

        AssertError(result, ErrorKind.Conflict, "sales.not_open");
        Assert.Equal(opens, result.Error!.Data!["salesOpenAt"]);
        await AssertNothingLockedOrWritten();
    }

    [Fact]
    public async Task Hold_at_the_moment_sales_close_is_refused()
    {
        GivenRules(Rules() with { SalesCloseAt = HandlerDatabase.Start });

        var result = await Handle([_stage.SeatId(1)]);

        AssertError(result, ErrorKind.Conflict, "sales.closed");
        await AssertNothingLockedOrWritten();
    }

    [Fact]
    public async Task Hold_naming_a_seat_of_another_performance_is_refused_whole()
    {
        var result = await Handle([_stage.SeatId(1), 999_999]);

        AssertError(result, ErrorKind.Validation, "seats.unknown");
        Assert.Equal([999_999L], (IEnumerable<long>)result.Error!.Data!["unknownSeatIds"]!);
        await AssertNothingLockedOrWritten();
    }

    [Fact]
    public async Task Hold_over_the_per_order_limit_is_refused()
    {
        GivenRules(Rules() with { MaxSeatsPerOrder = 2 });

        var result = await Handle([_stage.SeatId(1), _stage.SeatId(2), _stage.SeatId(3)]);

        AssertError(result, ErrorKind.Validation, "seats.too_many");
        await AssertNothingLockedOrWritten();
    }

    [Fact]
    public async Task Hold_fails_whole_when_one_seat_is_taken()
    {
        var taken = _stage.SeatId(2);
        _seatLock.TryAcquireAsync(default, default!, default!, default, default, default, default).ReturnsForAnyArgs(SeatLockResult.Conflict([taken]));

        var result = await Handle([_stage.SeatId(1), taken]);

        AssertError(result, ErrorKind.Conflict, "seats.taken");
        Assert.Equal([taken], (IEnumerable<long>)result.Error!.Data!["takenSeatIds"]!);
        Assert.Equal(["Floor A-2"], (IEnumerable<string>)result.Error.Data["takenSeatLabels"]!);
        await _seatLock.ReceivedWithAnyArgs(1).TryAcquireAsync(default, default!, default!, default, default, default, default);
        await _writer.DidNotReceiveWithAnyArgs().PlaceAsync(default!, default, default, default);
        await _seatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task Hold_answers_a_live_conflict_from_the_lock_alone_and_leaves_a_lapsed_holder_in_the_same_request_alone()
    {
        var taken = _stage.SeatId(2);
        var seat = _stage.SeatId(3);
        var lapsed = await _database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [seat], HandlerDatabase.Start - Hold - TimeSpan.FromSeconds(1));
        _seatLock.TryAcquireAsync(default, default!, default!, default, default, default, default).ReturnsForAnyArgs(SeatLockResult.Conflict([taken], Lapsed(seat, lapsed.Number)));

        var result = await Handle([taken, seat]);

        // A live holder is in the way: the answer is the lock's, no order is read or closed, and only the live seat is
        // reported (the lapsed one is about to come back).
        AssertError(result, ErrorKind.Conflict, "seats.taken");
        Assert.Equal([taken], (IEnumerable<long>)result.Error!.Data!["takenSeatIds"]!);
        Assert.Equal(OrderStatus.Pending, (await _database.ReadOrderAsync(lapsed.Id)).Status);
        await _seatLock.ReceivedWithAnyArgs(1).TryAcquireAsync(default, default!, default!, default, default, default, default);
        await _seatLock.DidNotReceiveWithAnyArgs().GetHoldersAsync(default, default!, default);
        await _seatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
        await _writer.DidNotReceiveWithAnyArgs().PlaceAsync(default!, default, default, default);
    }

    [Fact]
    public async Task Hold_reclaims_a_seat_whose_holder_lapsed_before_the_expiry_job_ran()
    {
        var seat = _stage.SeatId(3);
        var lapsed = await _database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [seat], HandlerDatabase.Start - Hold - TimeSpan.FromSeconds(1));
        _seatLock.TryAcquireAsync(default, default!, default!, default, default, default, default).ReturnsForAnyArgs(SeatLockResult.Conflict([], Lapsed(seat, lapsed.Number)), SeatLockResult.Success);

        var result = await Handle([seat]);

        Assert.True(result.IsSuccess);
        var stored = await _database.ReadOrderAsync(lapsed.Id);
        Assert.Equal(OrderStatus.Expired, stored.Status);
        Assert.All(stored.Lines, l => Assert.False(l.IsLive));
        await _seatLock.Received(1).ReleaseAsync(_stage.PerformanceId, Arg.Is<IReadOnlyList<long>>(ids => ids.SequenceEqual(new[] { seat })), lapsed.Number, Arg.Any<CancellationToken>());
        await _seatLock.ReceivedWithAnyArgs(2).TryAcquireAsync(default, default!, default!, default, default, default, default);
        await _writer.ReceivedWithAnyArgs(1).PlaceAsync(default!, default, default, default);
    }

    [Fact]
    public async Task Hold_frees_a_lock_left_behind_by_an_order_already_closed()
    {
        var seat = _stage.SeatId(4);
        var cancelled = await _database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [seat], then: o => o.Cancel(HandlerDatabase.Start));
        _seatLock.TryAcquireAsync(default, default!, default!, default, default, default, default).ReturnsForAnyArgs(SeatLockResult.Conflict([], Lapsed(seat, cancelled.Number)), SeatLockResult.Success);

        var result = await Handle([seat]);

        Assert.True(result.IsSuccess);
        Assert.Equal(OrderStatus.Cancelled, (await _database.ReadOrderAsync(cancelled.Id)).Status);
        await _seatLock.Received(1).ReleaseAsync(_stage.PerformanceId, Arg.Is<IReadOnlyList<long>>(ids => ids.SequenceEqual(new[] { seat })), cancelled.Number, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Hold_does_not_reclaim_a_seat_of_a_hold_still_within_its_deadline()
    {
        var seat = _stage.SeatId(3);
        var live = await _database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [seat], HandlerDatabase.Start - Hold + TimeSpan.FromSeconds(1));
        _seatLock.TryAcquireAsync(default, default!, default!, default, default, default, default).ReturnsForAnyArgs(SeatLockResult.Conflict([], Lapsed(seat, live.Number)));

        var result = await Handle([seat]);

        AssertError(result, ErrorKind.Conflict, "seats.taken");
        Assert.Equal(OrderStatus.Pending, (await _database.ReadOrderAsync(live.Id)).Status);
        await _seatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
        await _writer.DidNotReceiveWithAnyArgs().PlaceAsync(default!, default, default, default);
    }

    [Fact]
    public async Task Hold_never_reclaims_a_seat_whose_payment_outcome_is_open_even_past_the_deadline()
    {
        var seat = _stage.SeatId(3);
        var paying = await _database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [seat], HandlerDatabase.Start - Hold - TimeSpan.FromMinutes(1),
            then: o => o.BeginPayment("pk_open", o.CreatedAt.AddMinutes(1), o.CreatedAt.AddMinutes(3)));
        _seatLock.TryAcquireAsync(default, default!, default!, default, default, default, default).ReturnsForAnyArgs(SeatLockResult.Conflict([], Lapsed(seat, paying.Number)));

        var result = await Handle([seat]);

        AssertError(result, ErrorKind.Conflict, "seats.taken");
        Assert.Equal(OrderStatus.PaymentPending, (await _database.ReadOrderAsync(paying.Id)).Status);
        await _seatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task Hold_leaves_a_lapsed_holder_with_a_declined_payment_to_the_expiry_which_asks_the_provider_first()
    {
        var seat = _stage.SeatId(3);
        var declined = await _database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [seat], HandlerDatabase.Start - Hold - TimeSpan.FromMinutes(1),
            then: o =>
            {
                o.BeginPayment("pk_declined", o.CreatedAt.AddMinutes(1), o.CreatedAt.AddMinutes(3));
                o.PaymentDeclined(o.CreatedAt.AddMinutes(2));
            });
        _seatLock.TryAcquireAsync(default, default!, default!, default, default, default, default).ReturnsForAnyArgs(SeatLockResult.Conflict([], Lapsed(seat, declined.Number)));

        var result = await Handle([seat]);

        AssertError(result, ErrorKind.Conflict, "seats.taken");
        Assert.Equal(OrderStatus.Pending, (await _database.ReadOrderAsync(declined.Id)).Status);
        await _seatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
    }

    [Fact]
    public async Task Hold_skips_a_lapsed_holder_that_the_expiry_job_moved_first()
    {
        var seat = _stage.SeatId(3);
        var lapsed = await _database.SeedPendingOrderAsync(_stage, Guid.NewGuid(), [seat], HandlerDatabase.Start - Hold - TimeSpan.FromSeconds(1));
        _seatLock.TryAcquireAsync(default, default!, default!, default, default, default, default).ReturnsForAnyArgs(SeatLockResult.Conflict([], Lapsed(seat, lapsed.Number)));
        _database.Saves.BeforeNextSave(() => _database.BumpVersionAsync(lapsed.Id));

        var result = await Handle([seat]);

        AssertError(result, ErrorKind.Conflict, "seats.taken");
        await _seatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
        await _seatLock.ReceivedWithAnyArgs(1).TryAcquireAsync(default, default!, default!, default, default, default, default);
    }

    [Fact]
    public async Task Hold_refused_by_the_database_for_taken_seats_releases_the_locks_it_took()
    {
        var seats = new[] { _stage.SeatId(1), _stage.SeatId(2) };
        _writer.PlaceAsync(default!, default, default, default).ReturnsForAnyArgs(PlaceOrderOutcome.SeatsTaken([seats[1]]));

        var result = await Handle(seats);

        AssertError(result, ErrorKind.Conflict, "seats.taken");
        Assert.Equal([seats[1]], (IEnumerable<long>)result.Error!.Data!["takenSeatIds"]!);
        await AssertReleasedItsOwnLocks(seats);
    }

    [Fact]
    public async Task Hold_over_the_fan_limit_releases_the_locks_it_took()
    {
        var seats = new[] { _stage.SeatId(1), _stage.SeatId(2) };
        _writer.PlaceAsync(default!, default, default, default).ReturnsForAnyArgs(PlaceOrderOutcome.FanLimit(7));

        var result = await Handle(seats);

        AssertError(result, ErrorKind.Conflict, "seats.fan_limit");
        Assert.Equal(8, result.Error!.Data!["maxSeatsPerFan"]);
        Assert.Equal(7, result.Error.Data["seatsAlreadyHeld"]);
        await AssertReleasedItsOwnLocks(seats);
    }

    [Fact]
    public async Task Hold_whose_database_write_fails_releases_the_locks_and_rethrows()
    {
        var seats = new[] { _stage.SeatId(1) };
        _writer.PlaceAsync(default!, default, default, default).ThrowsAsyncForAnyArgs(new InvalidOperationException("disk I/O error"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Handle(seats));

        await AssertReleasedItsOwnLocks(seats);
    }

    [Fact]
    public async Task Hold_when_the_lock_store_is_unreachable_fails_closed_and_holds_nothing()
    {
        _seatLock.TryAcquireAsync(default, default!, default!, default, default, default, default).ThrowsAsyncForAnyArgs(new SeatLockUnavailableException("redis down"));

        await Assert.ThrowsAsync<SeatLockUnavailableException>(() => Handle([_stage.SeatId(1)]));

        await _writer.DidNotReceiveWithAnyArgs().PlaceAsync(default!, default, default, default);
        await _seatLock.DidNotReceiveWithAnyArgs().ReleaseAsync(default, default!, default!, default);
        Assert.Empty(await _database.ReadAllAsync<Order>());
    }

    private Task<Result<OrderDto>> Handle(IReadOnlyList<long> seatIds, string? pass = null) =>
        new HoldSeatsHandler(_database.Scopes, _layouts, _rules, _seatLock, _writer, _passes, _database.Clock, NullLogger<HoldSeatsHandler>.Instance)
            .Handle(new HoldSeats(_fan, _stage.PerformanceId, seatIds, pass), CancellationToken.None);

    private static SellingRules Rules() =>
        new(HandlerDatabase.Start.AddDays(-1), HandlerDatabase.Start.AddDays(1), Hold, MaxSeatsPerOrder: 4, MaxSeatsPerFan: 8, RequiresQueuePass: false, WaitingRoomId: null);

    private void GivenRules(SellingRules rules) =>
        _rules.GetAsync(_stage.PerformanceId, Arg.Any<CancellationToken>()).Returns(rules);

    private static Dictionary<long, string> Lapsed(long seat, string holder) => new() { [seat] = holder };

    private static void AssertError(Result<OrderDto> result, ErrorKind kind, string code)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(code, result.Error.Code);
    }

    private async Task AssertNothingLockedOrWritten()
    {
        await _seatLock.DidNotReceiveWithAnyArgs().TryAcquireAsync(default, default!, default!, default, default, default, default);
        await _writer.DidNotReceiveWithAnyArgs().PlaceAsync(default!, default, default, default);
    }

    /// <summary>The locks taken under this hold's own id (the new order's number) are released, and only those.</summary>
    private async Task AssertReleasedItsOwnLocks(long[] seats)
    {
        var placed = (Order)_writer.ReceivedCalls().Single(c => c.GetMethodInfo().Name == nameof(IPendingOrderWriter.PlaceAsync)).GetArguments()[0]!;
        await _seatLock.Received(1).ReleaseAsync(_stage.PerformanceId, Arg.Is<IReadOnlyList<long>>(ids => ids.SequenceEqual(seats)), placed.Number, Arg.Any<CancellationToken>());
        await _seatLock.Received(1).TryAcquireAsync(_stage.PerformanceId, Arg.Any<IReadOnlyList<long>>(), placed.Number, Arg.Any<DateTimeOffset>(), Arg.Any<TimeSpan>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }
}
