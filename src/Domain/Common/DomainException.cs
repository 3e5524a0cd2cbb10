namespace Ticketing.Domain.Common;

/// <summary>
/// An invariant of the domain was broken. <see cref="Code"/> is stable and machine-readable;
/// <see cref="Errors"/> names each violated rule (field path → message) when there are several.
/// </summary>
public sealed class DomainException : Exception
{
    public DomainException(string code, string message)
        : this(code, message, new Dictionary<string, string[]>())
    {
    }

    public DomainException(string code, string message, IReadOnlyDictionary<string, string[]> errors)
        : base(message)
    {
        Code = code;
        Errors = errors;
    }

    public string Code { get; }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
