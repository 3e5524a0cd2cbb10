using Ticketing.Application.Abstractions;
using Ticketing.Application.Common;

namespace Ticketing.Application.Orders;

/// <summary>What a fan is told when a paced performance refuses their pass.</summary>
public static class AccessPassErrors
{
    public static Error For(AccessPassCheck check, string? waitingRoomId)
    {
        var room = new Dictionary<string, object?> { ["waitingRoomId"] = waitingRoomId };
        return check switch
        {
            AccessPassCheck.Missing => Error.Unauthorized("pass.required", "This sale is paced by a waiting room: join it and send the access pass you receive (X-Access-Pass header).") with { Data = room },
            AccessPassCheck.Expired => Error.Unauthorized("pass.expired", "The access pass has expired or is not valid yet. Ask the waiting room for your status again.") with { Data = room },
            AccessPassCheck.WrongSale => Error.Forbidden("pass.wrong_sale", "The access pass is for another sale.") with { Data = room },
            AccessPassCheck.BoundToAnotherAccount => Error.Forbidden("pass.bound_to_another_account", "The access pass is already in use by another account; passes cannot be shared."),
            AccessPassCheck.IssuedToAnotherAccount => Error.Forbidden("pass.other_account", "The access pass was issued to another account; sign in with the account that queued, or join the waiting room with yours."),
            AccessPassCheck.Unavailable => Error.Unavailable("pass.keys_unavailable", "Access passes cannot be checked right now; try again in a moment.", TimeSpan.FromSeconds(2)),
            _ => Error.Unauthorized("pass.invalid", "The access pass is not valid.") with { Data = room },
        };
    }
}
