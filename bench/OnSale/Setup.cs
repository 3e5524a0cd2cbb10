using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Ticketing.Domain.Accounts;

namespace Ticketing.OnSale;

/// <summary>The organizer's part (a published performance paced by a room) and the fans' accounts.</summary>
internal sealed class Setup(HttpClient http, OnSaleSettings settings)
{
    public const string Password = "onsale-bench-1";

    /// <summary>The room the performance names; fixed before the performance exists, so the performance can require its pass.</summary>
    public string RoomId { get; } = "onsale-" + Guid.NewGuid().ToString("N")[..8];

    public async Task<long> CreatePerformanceAsync()
    {
        var organizer = await LogInAsync("organizer@demo.ticketing", "organizer-demo-1");
        var now = DateTimeOffset.UtcNow;
        var eventId = (await PostAsync("/api/organizer/events", organizer,
            new { title = "On-sale Benchmark", category = "Concert", venue = "Benchmark Arena", description = "bench/onsale" })).GetProperty("id").GetInt64();
        if (settings.Seats % 50 != 0)
        {
            throw new InvalidOperationException("SEATS must be a multiple of 50 (rows of 50 seats).");
        }

        var rows = Enumerable.Range(1, settings.Seats / 50).Select(r => new { r, section = ((r - 1) / 20) + 1 }).ToList();
        var sections = rows.GroupBy(x => x.section).Select(g => new
        {
            name = "S" + g.Key.ToString(CultureInfo.InvariantCulture),
            rows = g.Select(x => new { name = x.r.ToString(CultureInfo.InvariantCulture), grade = "R", from = 1, to = 50, y = x.r }).ToArray(),
        }).ToArray();
        var performance = await PostAsync($"/api/organizer/events/{eventId}/performances", organizer, new
        {
            startsAt = now.AddDays(21),
            salesOpenAt = now.AddMinutes(-1),
            salesCloseAt = now.AddDays(20),
            holdSeconds = 60, // the shortest hold a performance allows: unpaid holds come back within a minute
            maxSeatsPerOrder = 4,
            maxSeatsPerFan = 100,
            requiresQueuePass = true,
            waitingRoomId = RoomId,
            seatMap = new { grades = new[] { new { code = "R", name = "R", price = 100_000 } }, sections },
        });
        await PostAsync($"/api/organizer/events/{eventId}/publish", organizer, null);
        return performance.GetProperty("id").GetInt64();
    }

    /// <summary>The seat ids in the layout's order (the order of the statuses' bytes).</summary>
    public async Task<long[]> SeatIdsAsync(long performanceId)
    {
        using var layout = JsonDocument.Parse(await http.GetStringAsync(settings.Api + $"/api/performances/{performanceId}/seats/layout"));
        return layout.RootElement.GetProperty("id").EnumerateArray().Select(e => e.GetInt64()).ToArray();
    }

    /// <summary>
    /// The accounts the admitted fans book with: written straight into the database with one real password hash
    /// (hashing 20,000 passwords through the API would cost minutes of CPU), then signed in through the API.
    /// </summary>
    public async Task<string[]> AccountTokensAsync()
    {
        var hash = new PasswordHasher<object>().HashPassword(new object(), Password);
        var emails = Enumerable.Range(1, settings.Accounts).Select(i => $"fan{i}@onsale.bench").ToArray();
        await using (var db = new SqliteConnection($"Data Source={settings.DatabasePath};Default Timeout=30"))
        {
            await db.OpenAsync();
            await using var transaction = (SqliteTransaction)await db.BeginTransactionAsync();
            foreach (var email in emails)
            {
                await using var insert = db.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO Users (Id, Email, NormalizedEmail, DisplayName, PasswordHash, Role, CreatedAt, SecurityStamp) " +
                    "VALUES ($id, $email, $normalized, $email, $hash, 0, $now, $stamp)";
                insert.Parameters.AddWithValue("$id", Guid.NewGuid().ToString().ToUpperInvariant());
                insert.Parameters.AddWithValue("$email", email);
                insert.Parameters.AddWithValue("$normalized", User.Normalize(email));
                insert.Parameters.AddWithValue("$hash", hash);
                insert.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.UtcTicks);
                insert.Parameters.AddWithValue("$stamp", Guid.NewGuid().ToString().ToUpperInvariant());
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        var tokens = new string[emails.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, emails.Length), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, _) => tokens[i] = await LogInAsync(emails[i], Password));
        return tokens;
    }

    /// <summary>An anonymous room (no account, no proof of work to join) with the inventory cap, opening after the pre-queue.</summary>
    public async Task CreateRoomAsync(long performanceId, DateTimeOffset opensAt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, settings.Gateways[0] + $"/api/admin/rooms/{RoomId}")
        {
            Content = JsonContent.Create(new
            {
                performanceIds = new[] { performanceId },
                ratePerSecond = settings.Rate,
                // Long enough to hold seats on a loaded machine (30 s was not: holds waited past it); short, because
                // the inventory cap counts a fan as "not done" until the pass ends, and the last seats go round at that pace.
                passLifetimeSeconds = 60,
                opensAt,
                mode = "scheduled",
                identity = "anonymous",
                powDifficulty = 0,
                fansPerAvailableSeat = settings.FansPerAvailableSeat,
            }),
        };
        request.Headers.Add("X-Admin-Key", settings.AdminKey);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"room: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private async Task<string> LogInAsync(string email, string password) =>
        (await PostAsync("/api/accounts/login", null, new { email, password })).GetProperty("accessToken").GetString()!;

    private async Task<JsonElement> PostAsync(string path, string? token, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Api + path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
