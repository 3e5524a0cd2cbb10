namespace Ticketing.WebApi.SeatMaps;

/// <summary>Serves a rendered seat-map body: ETag and <c>If-None-Match</c> (304), then Brotli, gzip or plain as accepted.</summary>
internal static class SeatMapResponse
{
    public static IResult Write(HttpContext context, RenderedSeatMap rendered, string cacheControl)
    {
        var response = context.Response;
        response.Headers.ETag = rendered.ETag;
        response.Headers.CacheControl = cacheControl;
        response.Headers.Vary = "Accept-Encoding";
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == rendered.ETag || t.Trim() == "*")))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var accepted = context.Request.Headers.AcceptEncoding.ToString();
        if (rendered.Brotli is not null && Accepts(accepted, "br"))
        {
            response.Headers.ContentEncoding = "br";
            return TypedResults.Bytes(rendered.Brotli, "application/json");
        }

        if (Accepts(accepted, "gzip"))
        {
            response.Headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(rendered.Gzip, "application/json");
        }

        return TypedResults.Bytes(rendered.Json, "application/json");
    }

    private static bool Accepts(string header, string coding)
    {
        foreach (var part in header.Split(','))
        {
            var item = part.Trim();
            var semi = item.IndexOf(';', StringComparison.Ordinal);
            var name = semi >= 0 ? item[..semi].Trim() : item;
            if (!string.Equals(name, coding, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // "gzip;q=0" refuses it.
            var q = semi < 0 ? null : item[(semi + 1)..].Trim();
            return q is null || !q.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                || !double.TryParse(q[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight)
                || weight > 0;
        }

        return false;
    }
}
