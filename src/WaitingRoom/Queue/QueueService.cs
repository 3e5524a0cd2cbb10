using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Ticketing.WaitingRoom.Identity;
using Ticketing.WaitingRoom.Passes;
using Ticketing.WaitingRoom.Rooms;
using Ticketing.WaitingRoom.Telemetry;

namespace Ticketing.WaitingRoom.Queue;

internal enum FanOutcome
{
    Ok,
    RoomNotFound,
    RoomClosed,
}

/// <summary>The fan-facing hot path: one store call per request (two at the moment of admission), no LINQ, no EF.</summary>
internal sealed class QueueService(
    IQueueStore store,
    PassIssuer passes,
    AccountFanIds accountFanIds,
    TimeProvider time,
    RandomSource random,
    IOptions<WaitingRoomOptions> options)
{
    private readonly WaitingRoomOptions _options = options.Value;
    private readonly long _abandonAfterMs = options.Value.AbandonAfterSeconds * 1000L;

    public ValueTask<RoomDefinition?> FindRoomAsync(string roomId) => store.GetRoomAsync(roomId);

    public async ValueTask<(FanOutcome Outcome, FanStatusDto? Status)> JoinAsync(string roomId, string fanId, string ticket)
    {
        var room = await store.GetRoomAsync(roomId).ConfigureAwait(false);
        return room is null ? (FanOutcome.RoomNotFound, null) : await JoinAsync(room, fanId, ticket).ConfigureAwait(false);
    }

    public async ValueTask<(FanOutcome Outcome, FanStatusDto? Status)> JoinAsync(RoomDefinition room, string fanId, string ticket)
    {
        var roomId = room.Id;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var view = await store.JoinAsync(roomId, fanId, now, random.NextSeed(), _abandonAfterMs).ConfigureAwait(false);
        switch (view.Kind)
        {
            case FanKind.NoRoom:
                WaitingRoomMetrics.Forget(roomId);
                return (FanOutcome.RoomNotFound, null);
            case FanKind.Closed:
                return (FanOutcome.RoomClosed, null);
        }

        WaitingRoomMetrics.Joined();

        return (FanOutcome.Ok, await DescribeAsync(room, fanId, ticket, view, now).ConfigureAwait(false));
    }

    public async ValueTask<(FanOutcome Outcome, FanStatusDto? Status)> StatusAsync(string roomId, string fanId)
    {
        var room = await store.GetRoomAsync(roomId).ConfigureAwait(false);
        if (room is null)
        {
            return (FanOutcome.RoomNotFound, null);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var view = await store.StatusAsync(roomId, fanId, now, random.NextSeed(), _abandonAfterMs).ConfigureAwait(false);
        if (view.Kind == FanKind.NoRoom)
        {
            WaitingRoomMetrics.Forget(roomId);
            return (FanOutcome.RoomNotFound, null);
        }

        return (FanOutcome.Ok, await DescribeAsync(room, fanId, null, view, now).ConfigureAwait(false));
    }

    private async ValueTask<FanStatusDto> DescribeAsync(RoomDefinition room, string fanId, string? ticket, FanView view, long now)
    {
        var snapshot = view.Room;
        WaitingRoomMetrics.Observe(room.Id, snapshot);
        switch (view.Kind)
        {
            case FanKind.Admitted:
                return Admitted(room, fanId, ticket, view.IssuedAtMs, view.ExpiresAtMs, view.Jti!);
            case FanKind.Unknown:
            case FanKind.Expired:
                return Final(room.Id, "expired", ticket);
            case FanKind.Closed:
                return Final(room.Id, "closed", ticket);
        }

        if (snapshot.Mode == RoomMode.Closed)
        {
            return Final(room.Id, "closed", ticket);
        }

        if (snapshot.SoldOut)
        {
            return SoldOut(room.Id, view, snapshot, ticket); // admission (issue 12)
        }

        var opensAt = DateTimeOffset.FromUnixTimeMilliseconds(snapshot.OpensAtMs);
        if (!snapshot.Opened)
        {
            var untilOpen = Math.Max(0, snapshot.OpensAtMs - now);
            var poll = untilOpen > _options.Polling.MaxIntervalMs
                ? Jitter(_options.Polling.MaxIntervalMs)
                : (int)Math.Max(_options.Polling.MinIntervalMs / 2, untilOpen + (long)(random.NextJitter() * _options.Polling.OpeningSpreadMs));
            return new FanStatusDto(room.Id, "waiting", true, null, null, null, poll, opensAt, null, null, null, ticket);
        }

        var place = view.Kind == FanKind.PreQueue
            ? PreQueueShuffle.PlaceOf(view.Number, snapshot.PreQueueCount, snapshot.ShuffleSeed)
            : view.Number;
        var mayEnter = snapshot.Mode == RoomMode.Passthrough || (snapshot.Mode == RoomMode.Open && place <= snapshot.Serving);
        if (mayEnter)
        {
            var expires = now + (room.PassLifetimeSeconds * 1000L);
            var claim = await store.ClaimAsync(room.Id, fanId, place, now, random.NextSeed(), expires, NewJti()).ConfigureAwait(false);
            switch (claim.Outcome)
            {
                case ClaimOutcome.Admitted:
                    WaitingRoomMetrics.FanAdmitted();
                    return Admitted(room, fanId, ticket, claim.IssuedAtMs, claim.ExpiresAtMs, claim.Jti!);
                case ClaimOutcome.Gone:
                    return Final(room.Id, "expired", ticket);
            }
        }

        var ahead = Math.Max(0, place - snapshot.Serving - 1);
        long? wait = null;
        int pollMs;
        if (snapshot.Mode == RoomMode.Open && snapshot.RatePerSecond > 0)
        {
            var seconds = (long)Math.Ceiling((ahead + 1) / snapshot.RatePerSecond);
            wait = seconds;
            pollMs = Jitter((int)Math.Clamp(seconds * 250, _options.Polling.MinIntervalMs, _options.Polling.MaxIntervalMs));
        }
        else
        {
            pollMs = Jitter(Math.Clamp(_options.Polling.MinIntervalMs * 4, _options.Polling.MinIntervalMs, _options.Polling.MaxIntervalMs));
        }

        return new FanStatusDto(room.Id, "waiting", false, place, ahead, wait, pollMs, opensAt, null, null, null, ticket);
    }

    private FanStatusDto Admitted(RoomDefinition room, string fanId, string? ticket, long issuedAtMs, long expiresAtMs, string jti)
    {
        // An account room's pass names the account, so the booking API accepts it from that account alone.
        var subject = room.Identity == RoomIdentity.Account ? accountFanIds.AccountOf(room.Id, fanId).ToString("D") : fanId;
        var pass = passes.Issue(room.Id, room.PerformanceIds, subject, issuedAtMs, expiresAtMs, jti);
        WaitingRoomMetrics.PassIssued();
        // The booking page of the room's first performance; the pass goes in the cookie, never in the URL.
        var redirect = room.PerformanceIds.Length == 0
            ? null
            : _options.BookingUrl.Replace("{performanceId}", room.PerformanceIds[0].ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        return new FanStatusDto(room.Id, "admitted", false, null, 0, 0, null, null, pass, DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMs), redirect, ticket);
    }

    /// <summary>
    /// admission (issue 12): a waiting fan of a sold-out room. Not final: the fan keeps the place and polls slowly (which
    /// also keeps the place from being dropped for silence), so seats that come back are offered in line order.
    /// </summary>
    private FanStatusDto SoldOut(string roomId, FanView view, RoomSnapshot snapshot, string? ticket)
    {
        long? place = null;
        long? ahead = null;
        if (snapshot.Opened)
        {
            place = view.Kind == FanKind.PreQueue ? PreQueueShuffle.PlaceOf(view.Number, snapshot.PreQueueCount, snapshot.ShuffleSeed) : view.Number;
            ahead = Math.Max(0, place.Value - snapshot.Serving - 1);
        }

        var opensAt = DateTimeOffset.FromUnixTimeMilliseconds(snapshot.OpensAtMs);
        return new FanStatusDto(roomId, "soldOut", !snapshot.Opened, place, ahead, null, Jitter(_options.Polling.MaxIntervalMs), opensAt, null, null, null, ticket);
    }

    private static FanStatusDto Final(string roomId, string state, string? ticket) =>
        new(roomId, state, false, null, null, null, null, null, null, null, null, ticket);

    /// <summary>Spreads polls by plus or minus <c>Polling:Jitter</c> so that fans do not ask in lock-step.</summary>
    private int Jitter(int baseMs)
    {
        var factor = 1 + (_options.Polling.Jitter * ((2 * random.NextJitter()) - 1));
        return Math.Max(50, (int)(baseMs * factor));
    }

    private static string NewJti()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
