using MediatR;
using Ticketing.Application.Abstractions;

namespace Ticketing.Application.Maintenance;

/// <summary>
/// Deletes the bindings of waiting-room passes that expired more than <see cref="Grace"/> ago. An expired pass is
/// refused before its binding is read, so its binding can no longer decide anything; the grace outlasts the
/// verifier's clock skew, so a pass still accepted at the edge of its expiry keeps its first account.
/// </summary>
public sealed record PurgeExpiredPassBindings(TimeSpan Grace, int BatchSize = PurgeExpiredPassBindings.DefaultBatchSize) : IRequest<int>
{
    public const int DefaultBatchSize = 500;
}

public sealed class PurgeExpiredPassBindingsHandler(IAccessPassBindings bindings, TimeProvider clock) : IRequestHandler<PurgeExpiredPassBindings, int>
{
    public async Task<int> Handle(PurgeExpiredPassBindings request, CancellationToken cancellationToken)
    {
        var expiredBefore = clock.GetUtcNow() - request.Grace;
        var deleted = 0;
        int batch;
        do
        {
            batch = await bindings.DeleteExpiredAsync(expiredBefore, request.BatchSize, cancellationToken);
            deleted += batch;
        }
        while (batch == request.BatchSize && !cancellationToken.IsCancellationRequested);

        return deleted;
    }
}
