using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using Ticketing.Application.Abstractions;
using Ticketing.Application.Payments;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.UnitTests.Support;

/// <summary>
/// The ports the payment handlers share, substituted, with the database and clock of one test. The seat lock
/// answers "still yours" to extend and sell unless a test says otherwise.
/// </summary>
public sealed class PaymentPorts : IDisposable
{
    public PaymentPorts()
    {
        SeatLock.ExtendAsync(default, default!, default!, default, default).ReturnsForAnyArgs(true);
        SeatLock.MarkSoldAsync(default, default!, default!, default).ReturnsForAnyArgs(true);
    }

    public HandlerDatabase Database { get; } = new();

    public IPaymentGateway Gateway { get; } = Substitute.For<IPaymentGateway>();

    public ISeatLock SeatLock { get; } = Substitute.For<ISeatLock>();

    public PaymentPolicy Policy { get; } = new();

    public IOptions<PaymentPolicy> Options => Microsoft.Extensions.Options.Options.Create(Policy);

    public ManualTimeProvider Clock => Database.Clock;

    public PaymentCompletion Completion() =>
        new(Database.Db, Gateway, SeatLock, TestMapper.Instance, Clock, Options, NullLogger<PaymentCompletion>.Instance);

    /// <summary>The refund settlement shared by the fan's cancellation and the refund retry job.</summary>
    public RefundSettlement Settlement() =>
        new(Database.Db, Gateway, SeatLock, Clock, Options, NullLogger<RefundSettlement>.Instance, ReturnedSeats());

    /// <summary>The waitlist's hook where seats come back (a plain save while nobody waits).</summary>
    public Ticketing.Application.Waitlist.ReturnedSeatsOffering ReturnedSeats() =>
        new(Database.Db, SeatLock, new Ticketing.Application.Waitlist.WaitlistNotifications(), Clock, NullLogger<Ticketing.Application.Waitlist.ReturnedSeatsOffering>.Instance);

    /// <summary>What Toss answers for an approved payment of <paramref name="order"/> (amount and orderId as given).</summary>
    public static GatewayPayment Approved(Order order, string paymentKey = "pk_1", long? amount = null, string? orderId = null) =>
        new(paymentKey, orderId ?? order.Number, "DONE", amount ?? order.TotalAmount, amount ?? order.TotalAmount, "CARD", HandlerDatabase.Start);

    public static GatewayOutcome ApprovedOutcome(Order order, string paymentKey = "pk_1") =>
        new(GatewayOutcomeKind.Approved, Approved(order, paymentKey));

    public static GatewayOutcome Cancelled { get; } = new(GatewayOutcomeKind.Cancelled);

    public static GatewayOutcome UnknownOutcome { get; } = GatewayOutcome.Unknown("TIMEOUT", "no answer");

    /// <summary>Seat-id lists compare by content in argument matchers.</summary>
    public static IReadOnlyList<long> Seats(params long[] ids) => Arg.Is<IReadOnlyList<long>>(x => x.Order().SequenceEqual(ids.Order()));

    public void Dispose() => Database.Dispose();
}
