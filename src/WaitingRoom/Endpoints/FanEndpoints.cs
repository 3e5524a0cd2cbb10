using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Ticketing.WaitingRoom.Errors;
using Ticketing.WaitingRoom.Gateway;
using Ticketing.WaitingRoom.Identity;
using Ticketing.WaitingRoom.ProofOfWork;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;
using Ticketing.WaitingRoom.Tickets;

namespace Ticketing.WaitingRoom.Endpoints;

/// <summary>Join, status and live updates for fans and third-party apps.</summary>
internal static class FanEndpoints
{
    public const string TicketHeader = "X-Queue-Ticket";
    public const string IdentityHeader = "X-Fan-Identity";
    public const string JoinRateLimitPolicy = "join";

    public static string CookieName(string roomId) => "wr_" + roomId;

    public static void MapFanEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rooms/{roomId}").WithTags("Queue");
        group.MapPost("/join", Join).RequireRateLimiting(JoinRateLimitPolicy)
            .WithSummary("Join the room's line (or its pre-queue before opening).")
            .WithDescription("Answers the fan's status and a queue ticket (also set as the wr_{roomId} cookie). In an account room (the default) the join carries the WebApi's fan identity in the X-Fan-Identity header and the place belongs to the account: joining again from any device returns it. In an anonymous room, joining again with the ticket keeps the place. A browser's cross-site join (an Origin header of another site) is refused. A join that does not carry the ticket of its place, in a room with powDifficulty > 0, needs header X-Proof-Of-Work (403 pow.required / pow.invalid).")
            .WithQueueTicket(required: false)
            .WithFanIdentity()
            .WithProofOfWork()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        // Status is the request every waiting fan repeats, so it is a plain RequestDelegate (an untyped lambda binds to
        // that overload): no parameter binding, no request service scope, singletons from the root provider. Its
        // metadata below only feeds the OpenAPI document; none of it runs per request.
        var services = app.ServiceProvider;
        RequestDelegate status = http => Status(http, services);
        group.MapGet("/status", status)
            .WithName("GetFanStatus")
            .WithMetadata(status.Method) // API description reads the handler's MethodInfo; the framework adds none for a RequestDelegate.
            .WithSummary("The fan's place, estimated wait and, once admitted, the access pass.")
            .WithDescription("Poll again after pollAfterMs. States: waiting, admitted (with pass and redirect), expired, closed.")
            .WithRoomIdParameter()
            .WithQueueTicket(required: true)
            .WithMetadata(
                new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(FanStatusDto), ["application/json"]),
                Problem(StatusCodes.Status400BadRequest),
                Problem(StatusCodes.Status401Unauthorized),
                Problem(StatusCodes.Status403Forbidden),
                Problem(StatusCodes.Status404NotFound),
                Problem(StatusCodes.Status503ServiceUnavailable));
        group.MapGet("/events", Events)
            .WithSummary("The fan's status as server-sent events.")
            .WithDescription("One `status` event now (data: the status JSON), then one each time the fan would have polled (or at once when the room sells out), until admitted, expired or closed.")
            .WithQueueTicket(required: true)
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static ProducesResponseTypeMetadata Problem(int status) =>
        new(status, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]);

    internal static async Task<Results<Ok<FanStatusDto>, ProblemHttpResult>> Join(
        string roomId,
        HttpContext http,
        QueueService queue,
        QueueTicketCodec tickets,
        FanIdentityVerifier identities,
        AccountFanIds accountFanIds,
        IOptions<WaitingRoomOptions> options,
        CancellationToken cancellationToken)
    {
        if (!RoomIds.IsValid(roomId))
        {
            return Problems.InvalidRoomId();
        }

        if (!JoinOrigins.IsAllowed(http.Request, options.Value.JoinAllowedOrigins))
        {
            return JoinOrigins.Refused();
        }

        var room = await queue.FindRoomAsync(roomId);
        if (room is null)
        {
            return Problems.RoomNotFound(roomId);
        }

        string fanId;
        string ticket;
        if (room.Identity == RoomIdentity.Account)
        {
            // The place belongs to the account: from any device, with or without a ticket, the same fan id.
            var (error, account) = await identities.VerifyAsync(ReadIdentity(http), cancellationToken);
            if (error != FanIdentityError.None)
            {
                return IdentityRefused(http, error);
            }

            fanId = accountFanIds.FanIdOf(roomId, account);

            // Work is asked of every join that does not carry this account's own ticket (a new device, or a new
            // place): another account's ticket buys nothing here, so one ticket cannot carry a farm of accounts past it.
            var own = ReadTicket(http, roomId) is { } held && tickets.TryValidate(roomId, held, out var heldFan) && heldFan == fanId;
            if (!own && await http.RequestServices.GetRequiredService<ProofOfWorkGate>().CheckNewPlaceAsync(http, roomId) is { } noWork)
            {
                return noWork;
            }

            ticket = tickets.Issue(roomId, fanId);
        }
        else
        {
            var presented = ReadTicket(http, roomId);
            if (presented is null && await http.RequestServices.GetRequiredService<ProofOfWorkGate>().CheckNewPlaceAsync(http, roomId) is { } noWork)
            {
                return noWork;
            }

            if (presented is null)
            {
                ticket = tickets.Issue(roomId);
                fanId = ticket[..QueueTicketCodec.IdLength];
            }
            else if (tickets.TryValidate(roomId, presented, out fanId))
            {
                ticket = presented;
            }
            else
            {
                return TicketInvalid();
            }
        }

        var (outcome, status) = await queue.JoinAsync(room, fanId, ticket);
        switch (outcome)
        {
            case FanOutcome.RoomNotFound:
                return Problems.RoomNotFound(roomId);
            case FanOutcome.RoomClosed:
                return Problems.Create(StatusCodes.Status409Conflict, "room-closed", "The room is closed.", "This waiting room does not accept fans now.");
        }

        // Strict: no other site can make the browser send the ticket, so a cross-site request cannot act as the fan.
        http.Response.Cookies.Append(CookieName(roomId), ticket, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = TimeSpan.FromDays(1),
        });
        SetPassCookie(http, status!);
        return TypedResults.Ok(status!);
    }

    private static string? ReadIdentity(HttpContext http)
    {
        var header = http.Request.Headers[IdentityHeader];
        return header.Count > 0 ? header[0] : null;
    }

    private static ProblemHttpResult IdentityRefused(HttpContext http, FanIdentityError error)
    {
        switch (error)
        {
            case FanIdentityError.Missing:
                return Problems.Create(StatusCodes.Status401Unauthorized, "identity.required", "Sign in to join this waiting room.", $"This room gives one place per account: send the fan identity from the booking API (POST /api/accounts/me/queue-identity) in the {IdentityHeader} header.");
            case FanIdentityError.Expired:
                return Problems.Create(StatusCodes.Status401Unauthorized, "identity.expired", "The fan identity has expired.", "Ask the booking API for a new one (POST /api/accounts/me/queue-identity) and join again.");
            case FanIdentityError.KeysUnavailable:
                http.Response.Headers.RetryAfter = "2";
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, "identity.keys-unavailable", "Fan identities cannot be checked right now.", "Try again in a moment.");
            default:
                return Problems.Create(StatusCodes.Status401Unauthorized, "identity.invalid", "The fan identity is not valid.", "It was altered, forged, or issued for another audience.");
        }
    }

    internal static async Task Status(HttpContext http, IServiceProvider services)
    {
        var roomId = http.Request.RouteValues["roomId"] as string ?? string.Empty;
        var check = Authenticate(roomId, http, services.GetRequiredService<QueueTicketCodec>(), out var fanId);
        if (check is not null)
        {
            await check.ExecuteAsync(http);
            return;
        }

        var (outcome, status) = await services.GetRequiredService<QueueService>().StatusAsync(roomId, fanId);
        if (outcome != FanOutcome.Ok)
        {
            await Problems.RoomNotFound(roomId).ExecuteAsync(http);
            return;
        }

        SetPassCookie(http, status!);
        await WriteStatus(http.Response, status!);
    }

    /// <summary>An answer that admits the fan also sets the pass cookie the gateway reads (the JSON keeps <c>pass</c> for API clients).</summary>
    private static void SetPassCookie(HttpContext http, FanStatusDto status)
    {
        if (status.Pass is { } pass && status.PassExpiresAt is { } expiresAt && !http.Response.HasStarted)
        {
            PassCookie.Set(http, status.Room, pass, expiresAt, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        }
    }

    /// <summary>The same JSON as <c>TypedResults.Ok</c> writes, serialized once into one buffer and sent with a Content-Length (no chunking).</summary>
    private static ValueTask<System.IO.Pipelines.FlushResult> WriteStatus(HttpResponse response, FanStatusDto status)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(status, WaitingRoomJsonContext.Default.FanStatusDto);
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        return response.BodyWriter.WriteAsync(body);
    }

    /// <summary>Server-sent events: one <c>status</c> event now, then one each time the fan would have polled, until a final state.</summary>
    internal static async Task<IResult> Events(
        string roomId,
        HttpContext http,
        QueueService queue,
        QueueTicketCodec tickets,
        TimeProvider time,
        Ticketing.WaitingRoom.Admission.InventorySignals signals,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        CancellationToken cancellationToken)
    {
        var check = Authenticate(roomId, http, tickets, out var fanId);
        if (check is not null)
        {
            return check;
        }

        // admission (issue 12): taken before each read, so a sold-out change just after the read still wakes the wait.
        var change = signals.NextChange(roomId);
        var (outcome, status) = await queue.StatusAsync(roomId, fanId);
        if (outcome != FanOutcome.Ok)
        {
            return Problems.RoomNotFound(roomId);
        }

        // Headers go out with the first event: a fan admitted at once gets the pass cookie here; one admitted later in
        // the stream gets it from the status request the queue page makes before moving on.
        SetPassCookie(http, status!);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var typeInfo = json.Value.SerializerOptions.GetTypeInfo(typeof(FanStatusDto));
        while (!cancellationToken.IsCancellationRequested)
        {
            await response.WriteAsync("event: status\ndata: ", cancellationToken);
            await response.WriteAsync(JsonSerializer.Serialize(status, typeInfo), cancellationToken);
            await response.WriteAsync("\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            if (status!.PollAfterMs is not { } wait)
            {
                break;
            }

            // admission (issue 12): a sold-out change on any instance ends the wait early.
            using (var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var delay = Task.Delay(TimeSpan.FromMilliseconds(wait), time, poll.Token);
                await Task.WhenAny(delay, change);
                await poll.CancelAsync();
            }

            cancellationToken.ThrowIfCancellationRequested();
            change = signals.NextChange(roomId);
            (outcome, status) = await queue.StatusAsync(roomId, fanId);
            if (outcome != FanOutcome.Ok)
            {
                break;
            }
        }

        return TypedResults.Empty;
    }

    private static ProblemHttpResult? Authenticate(string roomId, HttpContext http, QueueTicketCodec tickets, out string fanId)
    {
        fanId = string.Empty;
        if (!RoomIds.IsValid(roomId))
        {
            return Problems.InvalidRoomId();
        }

        var presented = ReadTicket(http, roomId);
        if (presented is null)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "ticket-missing", "A queue ticket is required.", $"Send the ticket from join in the {TicketHeader} header or its cookie.");
        }

        return tickets.TryValidate(roomId, presented, out fanId) ? null : TicketInvalid();
    }

    private static ProblemHttpResult TicketInvalid() =>
        Problems.Create(StatusCodes.Status403Forbidden, "ticket-invalid", "The queue ticket is not valid.", "The ticket was altered, forged or belongs to another room.");

    private static string? ReadTicket(HttpContext http, string roomId)
    {
        var header = http.Request.Headers[TicketHeader];
        if (header.Count > 0 && !string.IsNullOrEmpty(header[0]))
        {
            return header[0];
        }

        return http.Request.Cookies.TryGetValue(CookieName(roomId), out var cookie) && cookie.Length > 0 ? cookie : null;
    }
}
