using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Ticketing.WaitingRoom.Errors;
using Ticketing.WaitingRoom.Gateway;
using Ticketing.WaitingRoom.Passes;
using Ticketing.WaitingRoom.ProofOfWork;
using Ticketing.WaitingRoom.Queue;
using Ticketing.WaitingRoom.Rooms;
using Ticketing.WaitingRoom.Telemetry;

namespace Ticketing.WaitingRoom.Endpoints;

/// <summary>Body of <c>PUT</c> (all fields) and <c>PATCH</c> (any subset) on a room. Give the rate per minute or per second.</summary>
internal sealed record RoomRequest(
    long[]? PerformanceIds,
    double? RatePerMinute,
    double? RatePerSecond,
    int? MaxActive,
    int? PassLifetimeSeconds,
    DateTimeOffset? OpensAt,
    string? Mode,
    string? Identity = null,
    int? PowDifficulty = null)
{
    // --- admission (issue 12) ---
    public double? FansPerAvailableSeat { get; init; }

    public int? MaxWebApiP99Ms { get; init; }

    public double? MaxWebApiErrorRate { get; init; }

    // --- end admission ---
}

internal sealed record RoomResponse(
    string Id,
    long[] PerformanceIds,
    double RatePerSecond,
    double RatePerMinute,
    int? MaxActive,
    int PassLifetimeSeconds,
    DateTimeOffset OpensAt,
    string Mode,
    string Identity,
    int PowDifficulty)
{
    // --- admission (issue 12) ---
    public double FansPerAvailableSeat { get; init; }

    public int MaxWebApiP99Ms { get; init; }

    public double MaxWebApiErrorRate { get; init; }

    // --- end admission ---

    public static RoomResponse From(RoomDefinition d) => new(
        d.Id,
        d.PerformanceIds,
        d.RatePerSecond,
        Math.Round(d.RatePerSecond * 60, 6),
        d.MaxActive == 0 ? null : d.MaxActive,
        d.PassLifetimeSeconds,
        d.OpensAt,
        RoomModes.ToWire(d.Mode),
        RoomIdentities.ToWire(d.Identity),
        d.PowDifficulty)
    {
        FansPerAvailableSeat = d.FansPerAvailableSeat, // admission (issue 12)
        MaxWebApiP99Ms = d.MaxWebApiP99Ms, // admission (issue 12)
        MaxWebApiErrorRate = d.MaxWebApiErrorRate, // admission (issue 12)
    };
}

internal sealed record KeyRotationResponse(string Kid, IReadOnlyList<string> PublishedKids);

/// <summary>Admin API: rooms (create, change live, delete), stats, key rotation. Requires the <c>X-Admin-Key</c> header.</summary>
internal static class AdminEndpoints
{
    public const string AdminKeyHeader = "X-Admin-Key";
    public const double MaxRatePerSecond = 100_000;
    public const int DefaultPassLifetimeSeconds = 300;

    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        // Every admin operation answers 401 without the key and 403 with a wrong one (RequireAdminKey, below).
        var group = app.MapGroup("/api/admin").WithTags("Admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/rooms", ListRooms).WithSummary("Every room.");
        group.MapGet("/rooms/{roomId}", GetRoom).WithSummary("One room.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/rooms/{roomId}", PutRoom).WithSummary("Create a room, or replace its settings keeping its line.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPatch("/rooms/{roomId}", PatchRoom).WithSummary("Change a room live (rate, cap, mode, ...).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapDelete("/rooms/{roomId}", DeleteRoom).WithSummary("Delete a room and its line.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/rooms/{roomId}/stats", Stats).WithSummary("The room's counters: line length, serving, admitted, active, and why it paces (rate, inventory or health).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/keys/rotate", RotateKey).WithSummary("Start signing passes with a new key; the old one stays published until passes signed with it expire.");
    }

    internal static Ok<List<RoomResponse>> ListRooms(IQueueStore store)
    {
        var rooms = store.ListRooms();
        var list = new List<RoomResponse>(rooms.Count);
        foreach (var room in rooms)
        {
            list.Add(RoomResponse.From(room));
        }

        return TypedResults.Ok(list);
    }

    internal static Results<Ok<RoomResponse>, ProblemHttpResult> GetRoom(string roomId, IQueueStore store)
    {
        if (!RoomIds.IsValid(roomId))
        {
            return Problems.InvalidRoomId();
        }

        var room = store.GetRoom(roomId);
        return room is null ? Problems.RoomNotFound(roomId) : TypedResults.Ok(RoomResponse.From(room));
    }

    internal static Results<Created<RoomResponse>, Ok<RoomResponse>, ValidationProblem, ProblemHttpResult> PutRoom(
        string roomId,
        RoomRequest request,
        IQueueStore store,
        TimeProvider time,
        RandomSource random,
        IOptions<WaitingRoomOptions> options,
        PacedPerformances paced)
    {
        if (!RoomIds.IsValid(roomId))
        {
            return Problems.InvalidRoomId();
        }

        var errors = new Dictionary<string, string[]>();
        var now = time.GetUtcNow();
        ValidatePerformances(request.PerformanceIds, required: true, errors);
        var rate = ValidateRate(request, required: true, errors);
        ValidateCommon(request, options.Value, errors, out var mode);
        var identity = ValidateIdentity(request.Identity, errors);
        ValidatePowDifficulty(request, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var opensAt = request.OpensAt ?? now;
        var resolvedMode = mode ?? (opensAt > now ? RoomMode.Scheduled : RoomMode.Open);
        if (resolvedMode is RoomMode.Open or RoomMode.Passthrough && opensAt > now)
        {
            opensAt = now;
        }

        var existing = store.GetRoom(roomId);
        if (existing is not null && resolvedMode == RoomMode.Scheduled && IsOpened(store, roomId, time, random))
        {
            return AlreadyOpen();
        }

        var definition = new RoomDefinition(
            roomId,
            request.PerformanceIds!,
            rate!.Value,
            request.MaxActive ?? 0,
            request.PassLifetimeSeconds ?? Math.Min(DefaultPassLifetimeSeconds, options.Value.Pass.MaxLifetimeSeconds),
            opensAt,
            resolvedMode)
        {
            Identity = identity,
            PowDifficulty = request.PowDifficulty ?? 0,
        };
        definition = AdmissionSettings.Apply(request, definition); // admission (issue 12)
        var created = store.PutRoom(definition, now.ToUnixTimeMilliseconds(), random.NextSeed());
        paced.Refresh();
        var body = RoomResponse.From(store.GetRoom(roomId) ?? definition);
        return created ? TypedResults.Created($"/api/admin/rooms/{roomId}", body) : TypedResults.Ok(body);
    }

    internal static Results<Ok<RoomResponse>, ValidationProblem, ProblemHttpResult> PatchRoom(
        string roomId,
        RoomRequest request,
        IQueueStore store,
        TimeProvider time,
        RandomSource random,
        IOptions<WaitingRoomOptions> options,
        PacedPerformances paced)
    {
        if (!RoomIds.IsValid(roomId))
        {
            return Problems.InvalidRoomId();
        }

        var errors = new Dictionary<string, string[]>();
        ValidatePerformances(request.PerformanceIds, required: false, errors);
        var rate = ValidateRate(request, required: false, errors);
        ValidateCommon(request, options.Value, errors, out var mode);
        if (request.Identity is not null)
        {
            errors["identity"] = ["A room's identity is chosen when it is created or replaced (PUT), not changed live."];
        }

        ValidatePowDifficulty(request, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var existing = store.GetRoom(roomId);
        if (existing is null)
        {
            return Problems.RoomNotFound(roomId);
        }

        var now = time.GetUtcNow();
        var opened = IsOpened(store, roomId, time, random);
        if (opened && (mode == RoomMode.Scheduled || request.OpensAt is not null))
        {
            return AlreadyOpen();
        }

        var opensAt = request.OpensAt;
        if (!opened && mode is RoomMode.Open or RoomMode.Passthrough && (opensAt ?? existing.OpensAt) > now)
        {
            opensAt = now;
        }

        var update = new RoomUpdate(rate, request.MaxActive, mode, opensAt, request.PassLifetimeSeconds, request.PerformanceIds)
        {
            PowDifficulty = request.PowDifficulty,
        };
        update = AdmissionSettings.Apply(request, update); // admission (issue 12)
        var updated = store.UpdateRoom(roomId, update, now.ToUnixTimeMilliseconds(), random.NextSeed());
        paced.Refresh();
        return updated is null ? Problems.RoomNotFound(roomId) : TypedResults.Ok(RoomResponse.From(updated));
    }

    internal static Results<NoContent, ProblemHttpResult> DeleteRoom(string roomId, IQueueStore store, PacedPerformances paced)
    {
        if (!RoomIds.IsValid(roomId))
        {
            return Problems.InvalidRoomId();
        }

        var deleted = store.DeleteRoom(roomId);
        paced.Refresh();
        if (!deleted)
        {
            return Problems.RoomNotFound(roomId);
        }

        WaitingRoomMetrics.Forget(roomId);
        return TypedResults.NoContent();
    }

    internal static Results<Ok<RoomStats>, ProblemHttpResult> Stats(string roomId, IQueueStore store, TimeProvider time, RandomSource random)
    {
        if (!RoomIds.IsValid(roomId))
        {
            return Problems.InvalidRoomId();
        }

        var stats = store.Stats(roomId, time.GetUtcNow().ToUnixTimeMilliseconds(), random.NextSeed());
        return stats is null ? Problems.RoomNotFound(roomId) : TypedResults.Ok(stats);
    }

    internal static Ok<KeyRotationResponse> RotateKey(SigningKeyRing keys)
    {
        var next = keys.Rotate();
        var published = keys.PublishedKeys();
        var kids = new List<string>(published.Count);
        foreach (var key in published)
        {
            kids.Add(key.Kid);
        }

        return TypedResults.Ok(new KeyRotationResponse(next.Kid, kids));
    }

    private static bool IsOpened(IQueueStore store, string roomId, TimeProvider time, RandomSource random) =>
        store.Stats(roomId, time.GetUtcNow().ToUnixTimeMilliseconds(), random.NextSeed())?.Opened == true;

    private static ProblemHttpResult AlreadyOpen() =>
        Problems.Create(StatusCodes.Status409Conflict, "room-already-open", "The room has already opened.", "A room cannot go back to its pre-queue or change its opening time once open.");

    /// <summary><c>account</c> (the default) or <c>anonymous</c>; see docs/FAN-IDENTITY.md.</summary>
    private static RoomIdentity ValidateIdentity(string? identity, Dictionary<string, string[]> errors)
    {
        if (RoomIdentities.TryParse(identity ?? "account", out var parsed))
        {
            return parsed;
        }

        errors["identity"] = ["identity must be account or anonymous."];
        return RoomIdentity.Account;
    }

    private static void ValidatePerformances(long[]? ids, bool required, Dictionary<string, string[]> errors)
    {
        if (ids is null)
        {
            if (required)
            {
                errors["performanceIds"] = ["At least one performance id is required."];
            }

            return;
        }

        if (ids.Length is 0 or > 100)
        {
            errors["performanceIds"] = ["Give between 1 and 100 performance ids."];
            return;
        }

        var seen = new HashSet<long>();
        foreach (var id in ids)
        {
            if (id <= 0 || !seen.Add(id))
            {
                errors["performanceIds"] = ["Performance ids must be positive and distinct."];
                return;
            }
        }
    }

    private static double? ValidateRate(RoomRequest request, bool required, Dictionary<string, string[]> errors)
    {
        if (request.RatePerMinute is not null && request.RatePerSecond is not null)
        {
            errors["ratePerSecond"] = ["Give ratePerMinute or ratePerSecond, not both."];
            return null;
        }

        var rate = request.RatePerSecond ?? (request.RatePerMinute / 60);
        if (rate is null)
        {
            if (required)
            {
                errors["ratePerMinute"] = ["An admission rate (ratePerMinute or ratePerSecond) is required."];
            }

            return null;
        }

        if (!double.IsFinite(rate.Value) || rate.Value <= 0 || rate.Value > MaxRatePerSecond || rate.Value * 1_000_000 < 1)
        {
            errors[request.RatePerSecond is null ? "ratePerMinute" : "ratePerSecond"] = [$"The rate must be above 0 and at most {MaxRatePerSecond} per second."];
            return null;
        }

        return rate;
    }

    private static void ValidateCommon(RoomRequest request, WaitingRoomOptions options, Dictionary<string, string[]> errors, out RoomMode? mode)
    {
        mode = null;
        AdmissionSettings.Validate(request, errors); // admission (issue 12)
        if (request.MaxActive is < 0 or > 10_000_000)
        {
            errors["maxActive"] = ["maxActive must be between 0 (no cap) and 10000000."];
        }

        if (request.PassLifetimeSeconds is { } life && (life < 10 || life > options.Pass.MaxLifetimeSeconds))
        {
            errors["passLifetimeSeconds"] = [$"passLifetimeSeconds must be between 10 and {options.Pass.MaxLifetimeSeconds}."];
        }

        if (request.Mode is not null)
        {
            if (RoomModes.TryParse(request.Mode, out var parsed))
            {
                mode = parsed;
            }
            else
            {
                errors["mode"] = ["mode must be one of scheduled, open, paused, passthrough, closed."];
            }
        }
    }

    private static void ValidatePowDifficulty(RoomRequest request, Dictionary<string, string[]> errors)
    {
        if (request.PowDifficulty is < 0 or > Hashcash.MaxDifficulty)
        {
            errors["powDifficulty"] = [$"powDifficulty must be between 0 (no proof of work) and {Hashcash.MaxDifficulty} leading zero bits."];
        }
    }

    /// <summary>
    /// Middleware for <c>/api/admin/rooms</c> and <c>/api/admin/keys</c>: runs before body binding, so a caller without the key learns nothing
    /// about the endpoints. Compares in constant time (hashes first so lengths do not leak).
    /// </summary>
    public static async Task RequireAdminKey(HttpContext http, RequestDelegate next)
    {
        // Only the WaitingRoom's own admin API: the rest of /api/admin is the WebApi's, reached through the gateway.
        var path = http.Request.Path;
        if (!path.StartsWithSegments("/api/admin/rooms", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments("/api/admin/keys", StringComparison.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }

        var expected = http.RequestServices.GetRequiredService<AdminKey>();
        var given = http.Request.Headers[AdminKeyHeader];
        IResult? refusal = null;
        if (given.Count == 0 || string.IsNullOrEmpty(given[0]))
        {
            refusal = Problems.Create(StatusCodes.Status401Unauthorized, "admin-key-missing", "Admin key required.", $"Send the admin key in the {AdminKeyHeader} header.");
        }
        else if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given[0]!)), expected.Hash))
        {
            refusal = Problems.Create(StatusCodes.Status403Forbidden, "admin-key-invalid", "Admin key not accepted.");
        }

        if (refusal is null)
        {
            await next(http);
            return;
        }

        await refusal.ExecuteAsync(http);
    }
}

/// <summary>The admin key's SHA-256 (configured, or generated for development).</summary>
internal sealed record AdminKey(byte[] Hash);
