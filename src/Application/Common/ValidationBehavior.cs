using FluentValidation;
using MediatR;

namespace Ticketing.Application.Common;

/// <summary>
/// Runs every validator of the request (and a self-validating request's own check) and reports all failures at once,
/// before the handler runs.
/// </summary>
public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    private readonly IValidator<TRequest>[] _validators = validators.ToArray();

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is ISelfValidatingRequest self && self.Validate() is { } failures)
        {
            throw new RequestValidationException(failures);
        }

        if (_validators.Length == 0)
        {
            return await next();
        }

        Dictionary<string, List<string>>? errors = null;
        foreach (var validator in _validators)
        {
            // One context per validator: a shared context accumulates failures, so each later result would repeat the earlier ones.
            var result = await validator.ValidateAsync(new ValidationContext<TRequest>(request), cancellationToken);
            foreach (var failure in result.Errors)
            {
                errors ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
                var field = ToCamelPath(failure.PropertyName);
                if (!errors.TryGetValue(field, out var list))
                {
                    errors[field] = list = [];
                }

                list.Add(failure.ErrorMessage);
            }
        }

        if (errors is not null)
        {
            throw new RequestValidationException(errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
        }

        return await next();
    }

    /// <summary><c>Sections[0].Rows[2].Name</c> → <c>sections[0].rows[2].name</c>, matching the JSON the client sent.</summary>
    internal static string ToCamelPath(string propertyName)
    {
        if (string.IsNullOrEmpty(propertyName))
        {
            return string.Empty;
        }

        var chars = propertyName.ToCharArray();
        var startOfSegment = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (startOfSegment && char.IsUpper(chars[i]))
            {
                chars[i] = char.ToLowerInvariant(chars[i]);
            }

            startOfSegment = chars[i] == '.';
        }

        return new string(chars);
    }
}
