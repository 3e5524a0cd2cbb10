namespace Ticketing.Application.Common;

/// <summary>
/// A request on a hot path that checks its own fields by hand instead of through a FluentValidation validator: the
/// validation step of the pipeline asks it first and refuses it exactly as a validator's failures would (the same
/// <see cref="RequestValidationException"/>, so the same 400 ProblemDetails). Only for requests whose rules are a
/// few comparisons, where building a validation context per request costs more than the rules themselves.
/// </summary>
public interface ISelfValidatingRequest
{
    /// <summary>The failures by field (camelCase, as the client sent them), or null when the request is valid.</summary>
    IReadOnlyDictionary<string, string[]>? Validate();
}
