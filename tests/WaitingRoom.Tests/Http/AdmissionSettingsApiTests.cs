using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

/// <summary>The admin API's inventory-aware admission settings: created, shown, changed live, and refused when out of range.</summary>
public sealed class AdmissionSettingsApiTests
{
    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"performanceIds":[1],"ratePerSecond":1,"fansPerAvailableSeat":-1}""", "fansPerAvailableSeat" },
        { """{"performanceIds":[1],"ratePerSecond":1,"fansPerAvailableSeat":5000}""", "fansPerAvailableSeat" },
        { """{"performanceIds":[1],"ratePerSecond":1,"maxWebApiP99Ms":-5}""", "maxWebApiP99Ms" },
        { """{"performanceIds":[1],"ratePerSecond":1,"maxWebApiErrorRate":1.5}""", "maxWebApiErrorRate" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Out_of_range_admission_settings_answer_400_with_the_field_at_fault(string json, string field)
    {
        using var app = new WaitingRoomFactory();
        using var admin = app.Admin();
        var response = await admin.PutAsync("/api/admin/rooms/bad", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await Json.AssertProblemAsync(response, 400, "validation-failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Settings_are_created_shown_and_changed_live_and_stats_say_why_the_room_paces()
    {
        using var app = new WaitingRoomFactory(new Dictionary<string, string?> { ["WaitingRoom:SeedDemoRoom"] = "false" });
        await app.CreateRoomAsync("paced", new { performanceIds = new[] { 5L }, ratePerSecond = 2, fansPerAvailableSeat = 1.5, maxWebApiP99Ms = 300, maxWebApiErrorRate = 0.05 });
        using var admin = app.Admin();
        var room = await admin.GetFromJsonAsync<JsonElement>("/api/admin/rooms/paced");
        Assert.Equal(1.5, room.GetProperty("fansPerAvailableSeat").GetDouble());
        Assert.Equal(300, room.GetProperty("maxWebApiP99Ms").GetInt32());
        Assert.Equal(0.05, room.GetProperty("maxWebApiErrorRate").GetDouble());

        var patched = await Json.ReadAsync(await admin.PatchAsJsonAsync("/api/admin/rooms/paced", new { fansPerAvailableSeat = 0 }));
        Assert.Equal(0, patched.GetProperty("fansPerAvailableSeat").GetDouble());
        Assert.Equal(300, patched.GetProperty("maxWebApiP99Ms").GetInt32());

        // No controller facts yet: the room paces by its rate, at full rate, with no inventory figures.
        var stats = await admin.GetFromJsonAsync<JsonElement>("/api/admin/rooms/paced/stats");
        Assert.Equal("rate", stats.GetProperty("pacing").GetString());
        Assert.False(stats.GetProperty("soldOut").GetBoolean());
        Assert.Equal(1, stats.GetProperty("rateFactor").GetDouble());
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("inventoryCap").ValueKind);
    }
}
