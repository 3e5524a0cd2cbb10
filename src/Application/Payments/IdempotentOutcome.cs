using Ticketing.Application.Common;

namespace Ticketing.Application.Payments;

/// <summary>
/// Which answers of the confirmation an <c>Idempotency-Key</c> keeps and replays: only those that the same request
/// would get again forever. Anything that may change on a retry (a dependency down, a pass that expired or is not
/// the caller's, a race with another request, an outcome still unknown) is forgotten, so the retry does the work.
/// </summary>
public static class IdempotentOutcome
{
    /// <summary>Conflicts that no later request can undo: the order is paid, or it can no longer be paid.</summary>
    private static readonly HashSet<string> FinalConflicts = new(StringComparer.Ordinal) { "payment.already_paid", "order.not_payable" };

    public static bool IsFinal(Result<PaymentResultDto> result) => result.IsSuccess
        ? result.Value.Status == "paid"
        : result.Error!.Kind switch
        {
            // A declined card stays declined for this paymentKey; the fan pays again with another key.
            ErrorKind.PaymentRequired => true,

            // The same body is as wrong next time (the amount does not match the order's total, which never changes).
            ErrorKind.Validation => true,
            ErrorKind.Conflict => FinalConflicts.Contains(result.Error.Code),
            _ => false,
        };
}
