namespace Ticketing.WaitingRoom.Gateway;

/// <summary>The cookie that carries an admitted fan's pass on the gateway's origin, so it never travels in a URL.</summary>
internal static class PassCookie
{
    public const string Prefix = "wr_pass_";

    public static string Name(string roomId) => Prefix + roomId;

    /// <summary>HttpOnly (page scripts never see it), SameSite=Strict (no other site's page can spend it), Secure on HTTPS, for the pass's lifetime.</summary>
    public static void Set(HttpContext http, string roomId, string pass, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var lifetime = expiresAt - now;
        http.Response.Cookies.Append(Name(roomId), pass, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = lifetime > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Ceiling(lifetime.TotalSeconds)) : TimeSpan.Zero,
        });
    }

    /// <summary>
    /// Finds the value of cookie <paramref name="name"/> in the request's Cookie headers without parsing them into a
    /// dictionary (the gateway's hot path): a slice of the header, or empty.
    /// </summary>
    public static ReadOnlySpan<char> Find(HttpRequest request, string name)
    {
        foreach (var header in request.Headers.Cookie)
        {
            if (header is null)
            {
                continue;
            }

            var rest = header.AsSpan();
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf(';');
                var pair = (end < 0 ? rest : rest[..end]).Trim(' ');
                rest = end < 0 ? [] : rest[(end + 1)..];
                if (pair.Length > name.Length && pair[name.Length] == '=' && pair.StartsWith(name, StringComparison.Ordinal))
                {
                    var value = pair[(name.Length + 1)..];
                    return value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
                }
            }
        }

        return [];
    }
}
