using Mapster;
using MapsterMapper;
using Ticketing.Application.Common;
using Ticketing.Application.Orders;
using Ticketing.Application.Payments;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;

namespace Ticketing.Application.UnitTests;

public sealed class MappingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Mapper Mapper = new(Mapping.CreateConfig());

    [Fact]
    public void The_mapping_configuration_compiles_with_every_rule_filling_every_member()
    {
        var config = Mapping.CreateConfig();

        config.Compile();
        Assert.True(config.RequireDestinationMemberSource);
        Assert.NotSame(TypeAdapterConfig.GlobalSettings, config);
    }

    [Fact]
    public void An_order_maps_with_seats_sorted_and_its_number_as_id()
    {
        var order = Place();

        var dto = Mapper.ToOrderDto(order, Now);

        Assert.Equal(order.Id.ToString("N"), dto.Id);
        Assert.Equal("pending", dto.Status);
        Assert.Equal(7, dto.PerformanceId);
        Assert.Equal(250_000, dto.TotalAmount);
        Assert.Equal(Now + TimeSpan.FromMinutes(5), dto.ExpiresAt);
        Assert.Equal([new OrderSeatDto(3, "A-3", "R", 100_000), new OrderSeatDto(9, "A-9", "VIP", 150_000)], dto.Seats);
    }

    [Fact]
    public void A_pending_order_past_its_deadline_reads_as_expired()
    {
        var dto = Mapper.ToOrderDto(Place(), Now + TimeSpan.FromMinutes(5));

        Assert.Equal("expired", dto.Status);
    }

    [Fact]
    public void An_order_mapped_without_the_time_is_refused()
    {
        Assert.ThrowsAny<Exception>(() => Mapper.Map<OrderDto>(Place()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void The_holds_hand_written_answer_equals_the_mapped_one(int minutesLater)
    {
        var order = Place();
        var at = Now + TimeSpan.FromMinutes(minutesLater);

        var byHand = order.ToHeldOrderDto(at);
        var mapped = Mapper.ToOrderDto(order, at);

        Assert.Equal(mapped with { Seats = [] }, byHand with { Seats = [] });
        Assert.Equal(mapped.Seats, byHand.Seats);
    }

    [Fact]
    public void A_paid_result_carries_the_payment_and_the_tickets_by_seat()
    {
        var order = Place();
        order.BeginPayment("pk_1", Now, Now + TimeSpan.FromMinutes(1));
        var tickets = order.MarkPaid(Now, Now + TimeSpan.FromDays(30), RefundSchedule.Standard);
        var payment = Payment.Approved(order.Id, "pk_1", 250_000, "card", Now);

        var dto = Mapper.Paid(order, payment, tickets.Reverse());

        Assert.Equal(order.Number, dto.OrderId);
        Assert.Equal("paid", dto.Status);
        Assert.Equal("pk_1", dto.PaymentKey);
        Assert.Equal(250_000, dto.Amount);
        Assert.Equal(Now, dto.ApprovedAt);
        Assert.Equal([3L, 9L], dto.Tickets.Select(t => t.SeatId));
        var ticket = dto.Tickets[0];
        Assert.Equal((order.Number, "R", 100_000L, "valid", "A-3"), (ticket.OrderId, ticket.Grade, ticket.Price, ticket.Status, ticket.Label));
    }

    [Fact]
    public void A_pending_result_has_no_tickets_and_the_order_total()
    {
        var order = Place();
        order.BeginPayment("pk_1", Now, Now + TimeSpan.FromMinutes(1));

        var dto = Mapper.Pending(order);

        Assert.Equal(new PaymentResultDto(order.Number, "paymentPending", "pk_1", 250_000, null, []), dto with { Tickets = [] });
        Assert.Empty(dto.Tickets);
    }

    private static Order Place() => Order.Place(
        Guid.NewGuid(), 7, [new OrderLineDraft(9, "A-9", "VIP", 150_000), new OrderLineDraft(3, "A-3", "R", 100_000)], Now, TimeSpan.FromMinutes(5));
}
