namespace Ticketing.Application.Abstractions;

/// <summary>
/// Checks a waiting-room access pass for a performance with the waiting room's public keys alone. A pass whose
/// subject is an account (an account room) is good for that account only; a pass of an anonymous room is bound to the
/// first account that uses it.
/// </summary>
public interface IAccessPassGate
{
    ValueTask<AccessPassCheck> CheckAsync(string? pass, long performanceId, string? waitingRoomId, Guid accountId, CancellationToken cancellationToken);
}

public enum AccessPassCheck
{
    Accepted,

    /// <summary>No pass was presented.</summary>
    Missing,

    /// <summary>Not a pass we issued: malformed, forged, unknown key, wrong issuer or audience.</summary>
    Invalid,

    /// <summary>Expired or not yet valid.</summary>
    Expired,

    /// <summary>A genuine pass, but for another sale (room or performance).</summary>
    WrongSale,

    /// <summary>A genuine pass of an anonymous room already used by another account.</summary>
    BoundToAnotherAccount,

    /// <summary>A genuine pass of an account room, issued to another account (its <c>sub</c> is not the caller).</summary>
    IssuedToAnotherAccount,

    /// <summary>The waiting room's keys could not be fetched to check an unknown key.</summary>
    Unavailable,
}
