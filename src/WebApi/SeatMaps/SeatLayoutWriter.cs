using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Ticketing.Application.Catalog;

namespace Ticketing.WebApi.SeatMaps;

/// <summary>
/// The fixed part of a seat map, column by column (<c>GET /api/performances/{id}/seats/layout</c>): one array per
/// field, so a browser parses a handful of number arrays instead of 40,000 little arrays, and copies them straight
/// into typed arrays. Labels are left out when every seat's label follows the rule <c>{section} {row}-{number}</c>
/// (<c>{section} {number}</c> without a row), which the client applies. A layout never changes after the performance
/// is created, so it is rendered and compressed (gzip and Brotli) once per cached layout and served from memory.
/// </summary>
internal static class SeatLayoutWriter
{
    private static readonly ConditionalWeakTable<SeatLayout, RenderedSeatMap> Rendered = new();

    /// <summary>The rendering of this layout instance, made on first use.</summary>
    public static RenderedSeatMap Get(SeatLayout layout) => Rendered.GetValue(layout, Render);

    internal static RenderedSeatMap Render(SeatLayout layout)
    {
        var seats = layout.Seats;
        var n = layout.Count;
        var buffer = new ArrayBufferWriter<byte>(256 + (n * 24));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("performanceId", layout.PerformanceId);
            json.WriteNumber("eventId", layout.EventId);
            json.WriteNumber("count", n);
            SeatMapWriter.WriteGradesAndSections(json, layout);
            json.WriteStartArray("id");
            for (var i = 0; i < n; i++)
            {
                json.WriteNumberValue(seats.Ids[i]);
            }

            json.WriteEndArray();
            Ints("section", seats.SectionIndexes, json);
            Ints("grade", seats.GradeIndexes, json);
            Doubles("x", seats.Xs, json);
            Doubles("y", seats.Ys, json);
            Strings("row", seats.Rows, json);
            Strings("number", seats.Numbers, json);
            if (!LabelsFollowTheRule(layout))
            {
                Strings("label", seats.Labels, json);
            }

            json.WriteEndObject();
        }

        var body = buffer.WrittenMemory.ToArray();
        var etag = "\"" + Convert.ToHexString(SHA256.HashData(body), 0, 12) + "\"";
        return new RenderedSeatMap(body, Compress.Gzip(body, CompressionLevel.Optimal), etag, Compress.Brotli(body));
    }

    private static bool LabelsFollowTheRule(SeatLayout layout)
    {
        var seats = layout.Seats;
        for (var i = 0; i < layout.Count; i++)
        {
            var section = layout.Sections[seats.SectionIndexes[i]];
            var row = seats.Rows[i];
            var expected = row.Length == 0 ? $"{section} {seats.Numbers[i]}" : $"{section} {row}-{seats.Numbers[i]}";
            if (!string.Equals(expected, seats.Labels[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static void Ints(string name, int[] values, Utf8JsonWriter json)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
    }

    private static void Doubles(string name, double[] values, Utf8JsonWriter json)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
    }

    private static void Strings(string name, string[] values, Utf8JsonWriter json)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }
}

/// <summary>Bodies compressed once, to be served many times.</summary>
internal static class Compress
{
    public static byte[] Gzip(byte[] body, CompressionLevel level)
    {
        using var compressed = new MemoryStream(Math.Max(64, body.Length / 6));
        using (var gzip = new GZipStream(compressed, level, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return compressed.ToArray();
    }

    /// <summary>Brotli at quality 6: most of Brotli's gain over gzip for a fraction of the time of its maximum.</summary>
    public static byte[] Brotli(byte[] body)
    {
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
        return BrotliEncoder.TryCompress(body, output, out var written, quality: 6, window: 22)
            ? output.AsSpan(0, written).ToArray()
            : throw new InvalidOperationException("Brotli could not compress the seat layout.");
    }
}
