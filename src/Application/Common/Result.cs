namespace Ticketing.Application.Common;

/// <summary>How an expected failure maps to the outside world; the WebApi turns each kind into one HTTP status.</summary>
public enum ErrorKind
{
    Validation,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    TooManyRequests,
    Unavailable,

    /// <summary>The payment provider refused the payment (HTTP 402).</summary>
    PaymentRequired,
}

/// <summary>An expected failure: a stable <paramref name="Code"/>, a sentence for people, and optional details.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Message)
{
    /// <summary>Field path → messages, for validation failures.</summary>
    public IReadOnlyDictionary<string, string[]>? Fields { get; init; }

    /// <summary>Extra machine-readable data (e.g. the seats that were taken).</summary>
    public IReadOnlyDictionary<string, object?>? Data { get; init; }

    /// <summary>For <see cref="ErrorKind.Unavailable"/> and <see cref="ErrorKind.TooManyRequests"/>: when to try again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static Error NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);

    public static Error Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);

    public static Error Forbidden(string code, string message) => new(ErrorKind.Forbidden, code, message);

    public static Error Validation(string code, string message, IReadOnlyDictionary<string, string[]>? fields = null) =>
        new(ErrorKind.Validation, code, message) { Fields = fields };

    public static Error Unauthorized(string code, string message) => new(ErrorKind.Unauthorized, code, message);

    public static Error Unavailable(string code, string message, TimeSpan retryAfter) =>
        new(ErrorKind.Unavailable, code, message) { RetryAfter = retryAfter };
}

/// <summary>A value or an <see cref="Common.Error"/>; handlers return it for every expected outcome.</summary>
public readonly struct Result<T> : IResultWithError
{
    private readonly T? _value;

    private Result(T value)
    {
        _value = value;
        Error = null;
    }

    private Result(Error error)
    {
        _value = default;
        Error = error;
    }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"The result is a failure: {Error!.Code}.");

    public static implicit operator Result<T>(T value) => new(value);

    public static implicit operator Result<T>(Error error) => new(error);

    public static Result<T> Success(T value) => new(value);

    public static Result<T> Failure(Error error) => new(error);
}

/// <summary>Lets cross-cutting code read the failure of any <see cref="Result{T}"/>.</summary>
public interface IResultWithError
{
    Error? Error { get; }
}
