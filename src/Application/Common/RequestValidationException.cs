namespace Ticketing.Application.Common;

/// <summary>A request broke its validator's rules; carries every failure by field.</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("One or more fields are not valid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
