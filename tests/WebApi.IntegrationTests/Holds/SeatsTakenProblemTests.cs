using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Application.Common;
using Ticketing.WebApi.Infrastructure;

namespace Ticketing.WebApi.IntegrationTests.Holds;

/// <summary>
/// The hold's hand-written 409 must be exactly what the general ProblemDetails path writes for the same error in the
/// same application (its JSON options, its problem-details customisation), or the general path must answer.
/// </summary>
public sealed class SeatsTakenProblemTests : IDisposable
{
    private readonly BookingApiFactory _api = new();

    public void Dispose() => _api.Dispose();

    public static TheoryData<string?> AcceptHeaders => new() { null, "application/json", "application/problem+json", "*/*", "application/json, text/plain, */*", "application/*;q=0.5" };

    [Theory]
    [MemberData(nameof(AcceptHeaders))]
    public async Task The_fast_409_is_byte_for_byte_the_problem_details_answer(string? accept)
    {
        // Labels with characters the JSON encoder escapes (Korean, HTML-sensitive), as venues name seats.
        var error = SeatsTaken([7L, 8L], ["R석 1층 A-7", "<Box> & 'B'+8"]);

        var (general, generalType, generalStatus) = await WriteAsync(error, accept, fast: false);
        var (fast, fastType, fastStatus) = await WriteAsync(error, accept, fast: true);

        Assert.Equal(409, fastStatus);
        Assert.Equal(generalStatus, fastStatus);
        Assert.Equal(generalType, fastType);
        Assert.Equal(general, fast);
        Assert.Contains("\"traceId\":\"trace-1\"", fast, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_errors_and_clients_that_take_no_json_are_left_to_the_general_path()
    {
        var context = new DefaultHttpContext();
        Assert.Null(SeatsTakenProblem.For(Error.Conflict("sales.closed", "Sales for this performance have closed."), context));
        Assert.Null(SeatsTakenProblem.For(SeatsTaken([7L], ["A-7"]) with { Kind = ErrorKind.Validation }, context));
        context.Request.Headers.Accept = "text/html";
        Assert.Null(SeatsTakenProblem.For(SeatsTaken([7L], ["A-7"]), context));
    }

    private static Error SeatsTaken(long[] ids, List<string> labels) =>
        new(ErrorKind.Conflict, "seats.taken", "Some of the seats were just taken by another fan. Nothing was held; choose again.")
        {
            Data = new Dictionary<string, object?> { ["takenSeatIds"] = ids, ["takenSeatLabels"] = labels },
        };

    private async Task<(string Body, string? ContentType, int Status)> WriteAsync(Error error, string? accept, bool fast)
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, TraceIdentifier = "trace-1" };
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        IResult result = fast
            ? SeatsTakenProblem.For(error, context) ?? throw new Xunit.Sdk.XunitException($"No fast answer for Accept: {accept}")
            : error.ToProblem(context);
        await result.ExecuteAsync(context);
        await context.Response.BodyWriter.FlushAsync();
        return (Encoding.UTF8.GetString(body.ToArray()), context.Response.ContentType, context.Response.StatusCode);
    }
}
