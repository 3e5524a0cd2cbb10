using Ticketing.WaitingRoom.Tests.Infrastructure;

namespace Ticketing.WaitingRoom.Tests.Http;

/// <summary>The admin's waiting-room page is served without the key (the API it calls checks the key).</summary>
public sealed class AdminPageTests
{
    [Fact]
    public async Task The_admin_page_is_served_at_waitingroom_admin_and_its_api_still_needs_the_key()
    {
        using var app = new WaitingRoomFactory();
        using var client = app.CreateClient();

        using var page = await client.GetAsync("/waitingroom/admin");
        using var rooms = await client.GetAsync("/api/admin/rooms");

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("X-Admin-Key", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/hangfire\"", html, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, rooms.StatusCode);
    }
}
