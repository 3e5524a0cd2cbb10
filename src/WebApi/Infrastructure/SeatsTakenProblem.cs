using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Ticketing.Application.Common;

namespace Ticketing.WebApi.Infrastructure;

/// <summary>
/// The hold's <c>409 seats.taken</c>, written straight to the response: in an on-sale nearly every hold request
/// ends here, so it skips building a <see cref="Microsoft.AspNetCore.Mvc.ProblemDetails"/> with an extensions
/// dictionary and serialising it by reflection through the problem-details service. The body is, byte for byte,
/// the one <see cref="ProblemResults.ToProblem"/> and the service would write (the same members in the same order,
/// the same encoder, <c>traceId</c> last as the service's customisation adds it): a test holds the two together.
/// </summary>
internal sealed class SeatsTakenProblem : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string Code = "seats.taken";

    private const string ProblemJson = "application/problem+json";

    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText TitleName = JsonEncodedText.Encode("title");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText DetailName = JsonEncodedText.Encode("detail");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText SeatIdsName = JsonEncodedText.Encode("takenSeatIds");
    private static readonly JsonEncodedText LabelsName = JsonEncodedText.Encode("takenSeatLabels");
    private static readonly JsonEncodedText TraceIdName = JsonEncodedText.Encode("traceId");

    private static readonly string Type = ProblemResults.TypeBase + "seats/taken";
    private static readonly string Title = ProblemResults.TitleOf(StatusCodes.Status409Conflict);

    private readonly string _detail;
    private readonly IReadOnlyList<long> _seatIds;
    private readonly IReadOnlyList<string> _labels;

    private SeatsTakenProblem(string detail, IReadOnlyList<long> seatIds, IReadOnlyList<string> labels)
    {
        _detail = detail;
        _seatIds = seatIds;
        _labels = labels;
    }

    public int? StatusCode => StatusCodes.Status409Conflict;

    public string? ContentType => ProblemJson;

    /// <summary>
    /// The fast answer for <paramref name="error"/> when it is the hold's seats-taken conflict and the client accepts
    /// JSON problem details (the problem-details service writes nothing for a client that does not, and the general
    /// path then answers it); null otherwise.
    /// </summary>
    public static SeatsTakenProblem? For(Error error, HttpContext context)
    {
        if (error is not { Kind: ErrorKind.Conflict, Code: Code, Fields: null or { Count: 0 }, RetryAfter: null, Data: { Count: 2 } data }
            || !data.TryGetValue("takenSeatIds", out var ids) || ids is not IReadOnlyList<long> seatIds
            || !data.TryGetValue("takenSeatLabels", out var names) || names is not IReadOnlyList<string> labels
            || !AcceptsJson(context.Request.Headers.Accept))
        {
            return null;
        }

        return new SeatsTakenProblem(error.Message, seatIds, labels);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var encoder = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions.Encoder;
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status409Conflict;
        response.ContentType = ProblemJson;
        await using (var json = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { Encoder = encoder }))
        {
            json.WriteStartObject();
            json.WriteString(TypeName, Type);
            json.WriteString(TitleName, Title);
            json.WriteNumber(StatusName, StatusCodes.Status409Conflict);
            json.WriteString(DetailName, _detail);
            json.WriteString(CodeName, Code);
            json.WriteStartArray(SeatIdsName);
            foreach (var id in _seatIds)
            {
                json.WriteNumberValue(id);
            }

            json.WriteEndArray();
            json.WriteStartArray(LabelsName);
            foreach (var label in _labels)
            {
                json.WriteStringValue(label);
            }

            json.WriteEndArray();
            json.WriteString(TraceIdName, httpContext.TraceIdentifier);
            json.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>What the problem-details writer accepts: no Accept header, or one that takes JSON or anything.</summary>
    private static bool AcceptsJson(Microsoft.Extensions.Primitives.StringValues accept)
    {
        if (accept.Count == 0)
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }

        foreach (var type in types)
        {
            if (type.MatchesAllTypes || type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || type.MediaType.Equals(ProblemJson, StringComparison.OrdinalIgnoreCase)
                || type.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
