using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Ticketing.Tests.Hostile;

/// <summary>One documented operation, read from a service's own OpenAPI document.</summary>
public sealed record ApiOperation(string Method, string PathTemplate, IReadOnlyList<ApiParameter> Parameters, JsonElement? BodySchema)
{
    public override string ToString() => $"{Method} {PathTemplate}";
}

/// <summary>A path, query or header parameter of an operation.</summary>
public sealed record ApiParameter(string Name, string In, string? Type);

/// <summary>Who sends a request: a name for the report and what it adds to the request (a token, a ticket, a key).</summary>
public sealed record HostileCaller(string Name, Action<HttpRequestMessage> Apply);

/// <summary>One generated request, described so that a failure names it.</summary>
public sealed record HostileRequest(int Index, ApiOperation Operation, HostileCaller Caller, string Path, string Variant, Func<HttpRequestMessage> Build)
{
    public override string ToString() => $"#{Index} {Operation.Method} {Path} as {Caller.Name} ({Variant})";
}

/// <summary>What the run found: the answers by status class and the requests that broke the rules.</summary>
public sealed record HostileRunReport(int Sent, IReadOnlyDictionary<int, int> ByStatus, IReadOnlyList<string> Failures, IReadOnlyDictionary<string, int> ByOperation);

/// <summary>
/// Generates hostile requests for every operation of an OpenAPI document from one seed, so that a failing request is
/// reproduced by running the test again with the same seed (<c>HOSTILE_SEED</c>): malformed and mistyped JSON, huge
/// and negative numbers, odd path and query values, wrong content types, forged headers; each caller in turn.
/// </summary>
public sealed class HostileRequestGenerator
{
    /// <summary>The seed of the test command; <c>HOSTILE_SEED</c> overrides it to reproduce or explore.</summary>
    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("HOSTILE_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 20261201;

    private static readonly string[] OddValues =
    [
        "0", "-1", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "99999999999999999999999999999999", "1e309", "-1e309", "NaN", "Infinity", "1.5", "0x10", "abc", "null", "true",
        "{}", "[]", " ", "%00", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..", "'; DROP TABLE Orders;--", "<script>alert(1)</script>",
        "ı", "Ａ", "\u202e", "😀", "00000000-0000-0000-0000-000000000000", "ffffffffffffffffffffffffffffffff",
        "{{roomId}}", "a/b", "a%2Fb", "%", "%ZZ", "\\", "*", "?", "#",
    ];

    private static readonly string[] MalformedJson =
    [
        "{", "}", "[", "{\"a\":", "{\"a\" 1}", "{'a':'b'}", "nul", "tru", "{\"a\":1}}", "[1,2,]", "{\"a\":1,}", "\"unterminated",
        "{\"a\":\"\\uZZZZ\"}", "\u0000", "{\"a\":01}", "{\"a\":+1}", "{\"a\":.5}", "{\"a\":1e}", "{\"__proto__\":{\"admin\":true}}",
    ];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-7",
        "application/octet-stream", "image/png", "application/problem+json", "text/json; charset=nonsense",
    ];

    private readonly Random _random;
    private readonly JsonElement _root;
    private readonly IReadOnlyDictionary<string, string[]> _knownValues;

    /// <param name="knownValues">Real values by parameter name (another fan's order id, a room id), mixed with the odd ones.</param>
    public HostileRequestGenerator(int seed, JsonElement openApi, IReadOnlyDictionary<string, string[]> knownValues)
    {
        _random = new Random(seed);
        _root = openApi;
        _knownValues = knownValues;
    }

    /// <summary>Every operation of the document, in its order.</summary>
    public static IReadOnlyList<ApiOperation> Operations(JsonElement openApi)
    {
        var operations = new List<ApiOperation>();
        foreach (var path in openApi.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var common) ? common : default;
            foreach (var entry in path.Value.EnumerateObject())
            {
                if (entry.Name is not ("get" or "post" or "put" or "patch" or "delete"))
                {
                    continue;
                }

                var parameters = new List<ApiParameter>();
                foreach (var source in new[] { shared, entry.Value.TryGetProperty("parameters", out var own) ? own : default })
                {
                    if (source.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }

                    foreach (var p in source.EnumerateArray())
                    {
                        var resolved = Resolve(openApi, p);
                        var type = resolved.TryGetProperty("schema", out var schema) ? TypeOf(openApi, schema) : null;
                        parameters.Add(new ApiParameter(resolved.GetProperty("name").GetString()!, resolved.GetProperty("in").GetString()!, type));
                    }
                }

                // Path parameters the document forgot to declare still vary.
                foreach (var name in TemplateNames(path.Name).Where(n => parameters.All(p => p.Name != n)))
                {
                    parameters.Add(new ApiParameter(name, "path", "string"));
                }

                JsonElement? body = null;
                if (entry.Value.TryGetProperty("requestBody", out var requestBody)
                    && Resolve(openApi, requestBody).TryGetProperty("content", out var content))
                {
                    foreach (var media in content.EnumerateObject())
                    {
                        body = media.Value.TryGetProperty("schema", out var schema) ? schema : default(JsonElement);
                        break;
                    }
                }

                operations.Add(new ApiOperation(entry.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }

        return operations;
    }

    /// <summary>
    /// At least <paramref name="minimum"/> requests, at least <paramref name="perOperation"/> for each operation, the
    /// callers taken in turn so that each operation meets each caller.
    /// </summary>
    public IReadOnlyList<HostileRequest> Generate(IReadOnlyList<ApiOperation> operations, IReadOnlyList<HostileCaller> callers, int minimum, int perOperation)
    {
        var count = Math.Max(minimum, operations.Count * Math.Max(perOperation, callers.Count));
        var requests = new List<HostileRequest>(count);
        for (var i = 0; i < count; i++)
        {
            var operation = operations[i % operations.Count];
            var caller = callers[(i / operations.Count) % callers.Count];
            requests.Add(Build(i, operation, caller));
        }

        return requests;
    }

    private HostileRequest Build(int index, ApiOperation operation, HostileCaller caller)
    {
        var path = new StringBuilder(operation.PathTemplate);
        foreach (var name in TemplateNames(operation.PathTemplate))
        {
            path.Replace("{" + name + "}", PathValue(name, operation.Parameters.FirstOrDefault(p => p.Name == name)?.Type));
        }

        var query = operation.Parameters.Where(p => p.In == "query" && _random.Next(3) > 0)
            .Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(Value(p.Name, p.Type)))
            .ToList();
        if (_random.Next(8) == 0)
        {
            query.Add("unexpected=" + Uri.EscapeDataString(Odd()));
        }

        var target = path + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
        var headers = operation.Parameters.Where(p => p.In == "header").Select(p => (p.Name, Value: HeaderValue(p.Type))).ToList();
        if (_random.Next(4) == 0)
        {
            headers.Add((Pick(["Idempotency-Key", "If-None-Match", "Last-Event-ID", "X-Access-Pass", "X-Queue-Ticket", "X-Forwarded-For", "Accept-Encoding"]), HeaderValue("string")));
        }

        var (variant, body, contentType) = Body(operation);
        var method = new HttpMethod(operation.Method);
        return new HostileRequest(index, operation, caller, target, variant, () =>
        {
            var request = new HttpRequestMessage(method, target);
            caller.Apply(request);
            foreach (var (name, value) in headers)
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }

            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                if (contentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            return request;
        });
    }

    private (string Variant, byte[]? Body, string? ContentType) Body(ApiOperation operation)
    {
        var hasBody = operation.BodySchema is not null;
        var kind = _random.Next(hasBody ? 9 : 3);
        string? json = kind switch
        {
            0 => null,
            1 => Pick(MalformedJson),
            2 => Sample(operation.BodySchema, mistyped: false, depth: 0),
            3 => Sample(operation.BodySchema, mistyped: true, depth: 0),
            4 => Sample(operation.BodySchema, mistyped: true, depth: 0),
            5 => Pick(["null", "[]", "\"text\"", "1", "-1", "1e400", "true", "[{}]", "{}"]),
            6 => new string('[', 300) + new string(']', 300),
            7 => Sample(operation.BodySchema, mistyped: false, depth: 0),
            _ => Sample(operation.BodySchema, mistyped: _random.Next(2) == 0, depth: 0),
        };
        var variant = kind switch
        {
            0 => "no body",
            1 => "malformed JSON",
            2 or 7 => "extreme values",
            3 or 4 => "mistyped JSON",
            5 => "bare JSON value",
            6 => "deeply nested JSON",
            _ => "wrong content type",
        };
        if (json is null)
        {
            return (variant, null, null);
        }

        var contentType = kind == 8 ? Pick(WrongContentTypes) : "application/json";
        if (_random.Next(40) == 0)
        {
            // Over the 1 MB body limit.
            return (HostileRunner.OversizedBody, Encoding.UTF8.GetBytes("{\"x\":\"" + new string('a', 1_100_000) + "\"}"), "application/json");
        }

        return (variant, Encoding.UTF8.GetBytes(json), contentType);
    }

    /// <summary>A JSON value for <paramref name="schema"/>: its fields with extreme values, or with values of the wrong type.</summary>
    private string Sample(JsonElement? schema, bool mistyped, int depth)
    {
        if (schema is not { } given || given.ValueKind != JsonValueKind.Object || depth > 4)
        {
            return Extreme(null);
        }

        var resolved = Resolve(_root, given);
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (resolved.TryGetProperty(combinator, out var options) && options.GetArrayLength() > 0)
            {
                return Sample(options[_random.Next(options.GetArrayLength())], mistyped, depth + 1);
            }
        }

        var type = TypeOf(_root, resolved);
        if (mistyped && _random.Next(3) == 0)
        {
            return WrongType(type);
        }

        switch (type)
        {
            case "object":
                var fields = new List<string>();
                if (resolved.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        if (_random.Next(6) == 0)
                        {
                            continue;
                        }

                        fields.Add(JsonSerializer.Serialize(property.Name) + ":" + Sample(property.Value, mistyped, depth + 1));
                    }
                }

                if (_random.Next(5) == 0)
                {
                    fields.Add("\"unexpected\":" + Extreme(null));
                }

                return "{" + string.Join(',', fields) + "}";
            case "array":
                var items = resolved.TryGetProperty("items", out var itemSchema) ? itemSchema : (JsonElement?)null;
                var length = Pick([0, 1, 2, 3, 50, 2000]);
                return "[" + string.Join(',', Enumerable.Range(0, length).Select(_ => Sample(items, mistyped, depth + 1))) + "]";
            default:
                return mistyped ? WrongType(type) : Extreme(type);
        }
    }

    private string Extreme(string? type) => type switch
    {
        "integer" => Pick(["0", "-1", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "2147483648", "-2147483649", "1.5", "1e30", "100000000000000000000000000"]),
        "number" => Pick(["0", "-1", "1e308", "-1e308", "1e400", "5e-324", "123456789012345678901234567890.5"]),
        "boolean" => Pick(["true", "false"]),
        "string" => JsonSerializer.Serialize(Pick(["", " ", new string('x', 10_000), "ı", "\u0000", "\ud800", "'; DROP TABLE Orders;--", "<script>", "2026-13-45T99:99:99Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "00000000-0000-0000-0000-000000000000", "-1", "NaN", "Concert"])),
        _ => Pick(["null", "0", "\"\"", "[]", "{}", "-1", "1e400"]),
    };

    private string WrongType(string? type) => type switch
    {
        "integer" or "number" => Pick(["\"12\"", "\"abc\"", "true", "[]", "{}", "null", "\"1e3\""]),
        "string" => Pick(["12", "-1", "true", "[]", "{}", "null", "1e400"]),
        "boolean" => Pick(["\"true\"", "1", "0", "[]", "null", "\"yes\""]),
        "array" => Pick(["{}", "\"1,2\"", "1", "null", "true", "[[[]]]"]),
        "object" => Pick(["[]", "\"{}\"", "1", "null", "false"]),
        _ => Pick(["[]", "{}", "\"x\"", "1", "null"]),
    };

    private string PathValue(string name, string? type)
    {
        var value = Value(name, type);
        // A few values go in already percent-encoded (traversal, NUL); the rest are escaped as a client would.
        return value.StartsWith('%') && value.Length > 1 && value != "%ZZ" && value != "%" ? value : Uri.EscapeDataString(value);
    }

    private string Value(string name, string? type)
    {
        if (_knownValues.TryGetValue(name, out var known) && known.Length > 0 && _random.Next(3) == 0)
        {
            return Pick(known);
        }

        return _random.Next(4) switch
        {
            0 => type is "integer" or "number" ? Pick(["1", "2", "3", "4", "999999"]) : RandomGuid().ToString(Pick(["D", "N"])),
            1 when _random.Next(3) == 0 => new string('9', 400),
            _ => Odd(),
        };
    }

    private string HeaderValue(string? type) => Pick(
    [
        "", " ", "x", new string('k', 8000), "null", "-1", "9223372036854775808", "\"etag\"", "W/\"1\"", "*",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "a.b.c", "Bearer x", "1.2.3.4, 5.6.7.8", "gzip, br, identity;q=0", RandomGuid().ToString(),
        type ?? "string",
    ]);

    private string Odd() => Pick(OddValues);

    /// <summary>A Guid from the seeded generator, so that a run is reproduced by its seed.</summary>
    private Guid RandomGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private T Pick<T>(IReadOnlyList<T> values) => values[_random.Next(values.Count)];

    private static IEnumerable<string> TemplateNames(string template)
    {
        for (var start = template.IndexOf('{'); start >= 0; start = template.IndexOf('{', start + 1))
        {
            var end = template.IndexOf('}', start);
            if (end < 0)
            {
                yield break;
            }

            yield return template[(start + 1)..end].Split(':')[0];
        }
    }

    private static JsonElement Resolve(JsonElement root, JsonElement element)
    {
        for (var hops = 0; hops < 10 && element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference); hops++)
        {
            var target = root;
            foreach (var segment in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }

            element = target;
        }

        return element;
    }

    private static string? TypeOf(JsonElement root, JsonElement schema)
    {
        var resolved = Resolve(root, schema);
        if (resolved.ValueKind != JsonValueKind.Object || !resolved.TryGetProperty("type", out var type))
        {
            return resolved.ValueKind == JsonValueKind.Object && resolved.TryGetProperty("properties", out _) ? "object" : null;
        }

        return type.ValueKind switch
        {
            JsonValueKind.String => type.GetString(),
            // OpenAPI 3.1: ["integer", "null"], or "string" beside a number pattern.
            JsonValueKind.Array => type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t is not "null" and not "string")
                ?? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t is not "null"),
            _ => null,
        };
    }
}

/// <summary>Sends the generated requests one after another and checks every answer.</summary>
public static class HostileRunner
{
    /// <summary>The variant of a body over the 1 MB limit.</summary>
    public const string OversizedBody = "oversized body";

    /// <summary>
    /// Sends each request (a timeout or a 5xx is a failure); an event stream is closed once its headers arrive.
    /// </summary>
    public static async Task<HostileRunReport> RunAsync(HttpClient client, IReadOnlyList<HostileRequest> requests, int seed)
    {
        var byStatus = new SortedDictionary<int, int>();
        var byOperation = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var hostile in requests)
        {
            using var request = hostile.Build();
            var oversized = hostile.Variant == OversizedBody;
            if (oversized)
            {
                // The server may answer 413 and close the connection before the body is read: never reuse it.
                request.Headers.ConnectionClose = true;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            int status;
            string body;
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                status = (int)response.StatusCode;
                body = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
                    ? "(event stream)"
                    : await response.Content.ReadAsStringAsync(timeout.Token);
                if (status >= 500)
                {
                    failures.Add($"{hostile} answered {status}: {Excerpt(body)} (seed {seed})");
                }
            }
            catch (OperationCanceledException)
            {
                status = 0;
                failures.Add($"{hostile}: no answer within 20 s (seed {seed})");
            }
            catch (HttpRequestException) when (oversized)
            {
                // Refused before the whole body was sent (the connection closed under the upload): not a fault.
                status = 413;
            }
            catch (HttpRequestException ex)
            {
                status = -1;
                failures.Add($"{hostile}: the connection failed ({ex.Message} {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}) (seed {seed})");
            }

            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            var key = hostile.Operation.ToString();
            byOperation[key] = byOperation.GetValueOrDefault(key) + 1;
        }

        return new HostileRunReport(requests.Count, byStatus, failures, byOperation);
    }

    private static string Excerpt(string body) => body.Length > 300 ? body[..300] + "…" : body;

    /// <summary>A bearer header, or a header that is not one (a forged token).</summary>
    public static void Bearer(HttpRequestMessage request, string token) => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
}
