using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Ticketing.Application.Catalog;

namespace Ticketing.WebApi.SeatMaps;

/// <summary>
/// The changing part of a seat map (<c>GET /api/performances/{id}/seats/statuses</c>): one byte per seat in the
/// layout's order (0 available, 1 held, 2 sold), base64 in <c>statuses</c>, with the stream's <c>version</c>. 40,000
/// seats are 53 KB before compression and a few KB after: what a fan downloads again when the map is refreshed.
/// </summary>
internal static class SeatStatusesWriter
{
    public static RenderedSeatMap Render(SeatMapView view)
    {
        var statuses = MemoryMarshal.AsBytes(view.Statuses.AsSpan());
        int available = 0, held = 0, sold = 0;
        foreach (var s in view.Statuses)
        {
            switch (s)
            {
                case SeatStatus.Available: available++; break;
                case SeatStatus.Held: held++; break;
                default: sold++; break;
            }
        }

        var buffer = new ArrayBufferWriter<byte>(256 + (statuses.Length * 4 / 3));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("performanceId", view.Layout.PerformanceId);
            json.WriteString("asOf", view.AsOf);
            json.WriteNumber("version", view.Version);
            json.WriteNumber("count", view.Layout.Count);
            json.WriteStartArray("statusNames");
            foreach (var name in SeatMapWriter.StatusNames)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteBase64String("statuses", statuses);
            json.WriteStartObject("counts");
            json.WriteNumber("total", view.Layout.Count);
            json.WriteNumber("available", available);
            json.WriteNumber("held", held);
            json.WriteNumber("sold", sold);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        var body = buffer.WrittenMemory.ToArray();
        var etag = "W/\"" + Convert.ToHexString(SHA256.HashData(statuses), 0, 12) + "\"";
        return new RenderedSeatMap(body, Compress.Gzip(body, CompressionLevel.Fastest), etag);
    }
}
