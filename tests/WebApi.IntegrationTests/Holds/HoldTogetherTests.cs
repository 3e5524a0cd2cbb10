using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.WebApi.IntegrationTests.Holds;

/// <summary>
/// <c>POST /holds/together</c> over HTTP: the best adjacent free seats of a grade in one row, held all or none
/// through the ordinary hold, and never a seat sold twice when it races other holds.
/// </summary>
public sealed class HoldTogetherTests : IDisposable
{
    private readonly BookingApiFactory _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task It_holds_the_middle_of_the_front_row_of_the_grade_then_the_next_best_block()
    {
        var first = await TogetherAsync(await _api.FanAsync(), 1, "VIP", 2);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.NotNull(first.Headers.Location);
        Assert.Equal([25L, 26L], await SeatsOfAsync(first));

        // 23-24 and 27-28 are as near the middle; the lower seats win the tie.
        Assert.Equal([23L, 24L], await SeatsOfAsync(await TogetherAsync(await _api.FanAsync(), 1, "VIP", 2)));

        // R starts in the Lower section's front row (seats 501-560): its middle four.
        var r = await TogetherAsync(await _api.FanAsync(), 1, "R", 4);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var order = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([529L, 530L, 531L, 532L], order.GetProperty("seats").EnumerateArray().Select(s => s.GetProperty("seatId").GetInt64()).Order());
        Assert.All(order.GetProperty("seats").EnumerateArray(), s => Assert.Equal("R", s.GetProperty("grade").GetString()));
    }

    [Fact]
    public async Task Held_seats_break_a_block_and_with_no_block_left_nothing_is_held_and_the_answer_is_409()
    {
        var (performanceId, ids) = await SmallPerformanceAsync();
        var fan = await _api.FanAsync();
        var blocker = await _api.FanAsync();
        Assert.Equal(HttpStatusCode.Created, (await blocker.PostAsJsonAsync($"/api/performances/{performanceId}/holds", new { seatIds = new[] { ids[3], ids[6], ids[8] } })).StatusCode);

        // Free runs in row A: 1-2, 4-5, 7, 9-10. No three side by side.
        var none = await TogetherAsync(fan, performanceId, "R", 3);
        var problem = await Api.AssertProblemAsync(none, HttpStatusCode.Conflict, "seats.not_together");
        Assert.Equal(3, await LiveLinesAsync(performanceId));

        // Two: 4-5 is nearest the row's middle.
        Assert.Equal([ids[4], ids[5]], await SeatsOfAsync(await TogetherAsync(fan, performanceId, "R", 2)));
        Assert.Equal(5, await LiveLinesAsync(performanceId));
        Assert.Equal("R", problem.GetProperty("gradeCode").GetString());
    }

    [Fact]
    public async Task Bad_requests_are_problems_before_anything_is_held()
    {
        var fan = await _api.FanAsync();
        await Api.AssertProblemAsync(await TogetherAsync(fan, 1, "ZZ", 2), HttpStatusCode.BadRequest, "grade.unknown");
        await Api.AssertProblemAsync(await TogetherAsync(fan, 1, "R", 0), HttpStatusCode.BadRequest);
        await Api.AssertProblemAsync(await TogetherAsync(fan, 1, "R", 21), HttpStatusCode.BadRequest);
        await Api.AssertProblemAsync(await TogetherAsync(fan, 1, "", 2), HttpStatusCode.BadRequest);
        await Api.AssertProblemAsync(await fan.PostAsJsonAsync("/api/performances/1/holds/together", new { gradeCode = "R" }), HttpStatusCode.BadRequest);
        var (performanceId, _) = await SmallPerformanceAsync();
        await Api.AssertProblemAsync(await TogetherAsync(fan, performanceId, "R", 5), HttpStatusCode.BadRequest, "seats.too_many");
        await Api.AssertProblemAsync(await TogetherAsync(fan, 987_654, "R", 2), HttpStatusCode.NotFound, "performance.not_found");
        await Api.AssertProblemAsync(await TogetherAsync(_api.CreateClient(), 1, "R", 2), HttpStatusCode.Unauthorized);

        // The paced performance asks for the waiting room's pass, as a hold does.
        await Api.AssertProblemAsync(await TogetherAsync(fan, 2, "R", 2), HttpStatusCode.Unauthorized, "pass.required");
        Assert.Equal(0, await LiveLinesAsync(1));
    }

    [Fact]
    public async Task Racing_together_and_single_holds_never_share_a_seat_and_every_block_is_side_by_side()
    {
        var (performanceId, ids) = await SmallPerformanceAsync();
        var fans = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => _api.FanAsync()));
        var requests = fans.Select((fan, i) => i % 3 == 0
            ? fan.PostAsJsonAsync($"/api/performances/{performanceId}/holds", new { seatIds = new[] { ids[1 + (i % 10)] } })
            : TogetherAsync(fan, performanceId, "R", 2));

        var answers = await Task.WhenAll(requests);

        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var position = ids.ToDictionary(kv => kv.Value, kv => kv.Key);
        var held = new List<long>();
        for (var i = 0; i < answers.Length; i++)
        {
            if (answers[i].StatusCode != HttpStatusCode.Created)
            {
                continue;
            }

            var seats = await SeatsOfAsync(answers[i]);
            held.AddRange(seats);
            if (i % 3 != 0)
            {
                Assert.Equal(2, seats.Count);
                Assert.Equal(1, Math.Abs(position[seats[1]] - position[seats[0]]));
            }
        }

        Assert.Equal(held.Count, held.Distinct().Count());
        await using var scope = _api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var live = await db.OrderLines.Where(l => l.PerformanceId == performanceId && l.IsLive).Select(l => l.SeatId).ToListAsync();
        Assert.Equal(live.Count, live.Distinct().Count());
        Assert.Equal(held.Order(), live.Order());
    }

    private static Task<HttpResponseMessage> TogetherAsync(HttpClient fan, long performanceId, string gradeCode, int count) =>
        fan.PostAsJsonAsync($"/api/performances/{performanceId}/holds/together", new { gradeCode, count });

    private static async Task<List<long>> SeatsOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. order.GetProperty("seats").EnumerateArray().Select(s => s.GetProperty("seatId").GetInt64()).Order()];
    }

    /// <summary>A published performance of <see cref="Api.SmallSeatMap"/>; returns its id and the Floor row's seat ids by number.</summary>
    private async Task<(long PerformanceId, Dictionary<int, long> FloorSeats)> SmallPerformanceAsync()
    {
        var organizer = await _api.OrganizerAsync();
        var (_, performanceId) = await Api.PublishedEventAsync(organizer);
        var map = await _api.CreateClient().GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}/seats");
        var floor = map.GetProperty("sections").EnumerateArray().Select(s => s.GetString()).ToList().IndexOf("Floor");
        return (performanceId, map.GetProperty("seats").EnumerateArray()
            .Where(s => s[2].GetInt32() == floor)
            .ToDictionary(s => int.Parse(s[4].GetString()!, System.Globalization.CultureInfo.InvariantCulture), s => s[0].GetInt64()));
    }

    private async Task<int> LiveLinesAsync(long performanceId)
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.OrderLines.CountAsync(l => l.PerformanceId == performanceId && l.IsLive);
    }
}
