using System.Text.Json;

namespace Ticketing.WebApi.IntegrationTests.SeatStream;

/// <summary>A server-sent event as the stream wrote it.</summary>
public sealed record SseEvent(string Event, long? Id, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;

    public long Version => Json.GetProperty("version").GetInt64();

    /// <summary>The <c>changes</c> of a <c>seats</c> event, as (seat, status index) sorted by seat.</summary>
    public List<(long Seat, int Status)> Changes =>
        [.. Json.GetProperty("changes").EnumerateArray().Select(c => (c[0].GetInt64(), c[1].GetInt32())).OrderBy(c => c.Item1)];
}

/// <summary>Reads a live seat-map stream over real HTTP, event by event (comments such as <c>: ping</c> are skipped).</summary>
public sealed class SseClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    public static async Task<SseClient> OpenAsync(HttpClient client, long performanceId, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/performances/{performanceId}/seats/stream");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new SseClient(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event; fails the test when none comes within a few seconds.</summary>
    public async Task<SseEvent> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        string? name = null, data = null;
        long? id = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("The stream ended.");
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new SseEvent(name ?? "message", id, data);
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var field = line[..colon];
            var value = line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event": name = value; break;
                case "id": id = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "data": data = value; break;
            }
        }
    }

    /// <summary>The next <c>seats</c> event.</summary>
    public async Task<SseEvent> NextSeatsAsync()
    {
        var next = await NextAsync();
        Assert.True(next.Event == "seats", $"Expected a seats event, got {next.Event}: {next.Data}");
        Assert.Equal(next.Id, next.Version);
        return next;
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}
