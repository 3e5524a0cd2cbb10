using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Ticketing.Application.Catalog;

namespace Ticketing.WebApi.SeatMaps;

/// <summary>
/// Writes a seat map as compact JSON: seats are arrays in the order of <c>columns</c>, sections and grades are
/// indexes into their lists. A 5,000-seat map is about 200 KB, 40,000 seats about 1.8 MB (gzip: a tenth).
/// Written by hand with <c>Utf8JsonWriter</c> from the cached columnar layout, never through Mapster: there is no
/// DTO to map to (a DTO per seat would be 40,000 objects per rendering), and one Mapster call already costs about
/// 4 µs and 2 KB for a two-seat order (docs/BENCHMARKS.md).
/// </summary>
internal static class SeatMapWriter
{
    public static readonly string[] Columns = ["id", "label", "section", "row", "number", "x", "y", "grade", "status"];
    public static readonly string[] StatusNames = ["available", "held", "sold"];

    public static RenderedSeatMap Render(SeatMapView view)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (view.Layout.Count * 48));
        using (var json = new Utf8JsonWriter(buffer))
        {
            var layout = view.Layout;
            var seats = layout.Seats;
            json.WriteStartObject();
            json.WriteNumber("performanceId", layout.PerformanceId);
            json.WriteNumber("eventId", layout.EventId);
            json.WriteString("asOf", view.AsOf);
            json.WriteNumber("version", view.Version);
            json.WriteStartArray("statuses");
            foreach (var s in StatusNames)
            {
                json.WriteStringValue(s);
            }

            json.WriteEndArray();
            WriteGradesAndSections(json, layout);
            json.WriteStartArray("columns");
            foreach (var c in Columns)
            {
                json.WriteStringValue(c);
            }

            json.WriteEndArray();
            int available = 0, held = 0, sold = 0;
            json.WriteStartArray("seats");
            for (var i = 0; i < layout.Count; i++)
            {
                var status = view.Statuses[i];
                switch (status)
                {
                    case SeatStatus.Available: available++; break;
                    case SeatStatus.Held: held++; break;
                    default: sold++; break;
                }

                json.WriteStartArray();
                json.WriteNumberValue(seats.Ids[i]);
                json.WriteStringValue(seats.Labels[i]);
                json.WriteNumberValue(seats.SectionIndexes[i]);
                json.WriteStringValue(seats.Rows[i]);
                json.WriteStringValue(seats.Numbers[i]);
                json.WriteNumberValue(seats.Xs[i]);
                json.WriteNumberValue(seats.Ys[i]);
                json.WriteNumberValue(seats.GradeIndexes[i]);
                json.WriteNumberValue((int)status);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartObject("counts");
            json.WriteNumber("total", layout.Count);
            json.WriteNumber("available", available);
            json.WriteNumber("held", held);
            json.WriteNumber("sold", sold);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        var body = buffer.WrittenMemory.ToArray();
        using var compressed = new MemoryStream(body.Length / 6);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        // A weak ETag over the seats' statuses (not the asOf instant): an unchanged map revalidates as 304.
        var etag = "W/\"" + Convert.ToHexString(SHA256.HashData(StatusBytes(view)), 0, 12) + "\"";
        return new RenderedSeatMap(body, compressed.ToArray(), etag);
    }

    private static byte[] StatusBytes(SeatMapView view)
    {
        var statuses = System.Runtime.InteropServices.MemoryMarshal.AsBytes(view.Statuses.AsSpan());
        var bytes = new byte[16 + statuses.Length];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), view.Layout.PerformanceId);
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 8), view.Layout.Count);
        statuses.CopyTo(bytes.AsSpan(16));
        return bytes;
    }

    /// <summary>The grades and section names, as both the whole map and its layout carry them.</summary>
    internal static void WriteGradesAndSections(Utf8JsonWriter json, SeatLayout layout)
    {
        json.WriteStartArray("grades");
        foreach (var g in layout.Grades)
        {
            json.WriteStartObject();
            json.WriteString("code", g.Code);
            json.WriteString("name", g.Name);
            json.WriteNumber("price", g.Price);
            if (g.Color is null)
            {
                json.WriteNull("color");
            }
            else
            {
                json.WriteString("color", g.Color);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("sections");
        foreach (var s in layout.Sections)
        {
            json.WriteStringValue(s);
        }

        json.WriteEndArray();
    }
}

/// <summary>A rendered seat map: plain, gzip (and for the layout Brotli) bodies and their entity tag.</summary>
internal sealed record RenderedSeatMap(byte[] Json, byte[] Gzip, string ETag, byte[]? Brotli = null);
