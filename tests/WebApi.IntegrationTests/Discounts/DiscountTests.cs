using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Application.Orders;
using Ticketing.WebApi.IntegrationTests.Holds;
using Ticketing.WebApi.IntegrationTests.Payments;

namespace Ticketing.WebApi.IntegrationTests.Discounts;

/// <summary>
/// Discounts over HTTP on a real SQLite file with the fake Toss server: the server's prices and totals, what confirm
/// accepts, refunds at the price paid, coupons, quantities given back, and who may do what.
/// Demo grades: VIP 198,000 (seats 1–500), R 165,000 (501–2300), S 132,000, A 99,000.
/// </summary>
public sealed class DiscountTests : IAsyncLifetime
{
    private PaymentApi _p = null!;

    public async Task InitializeAsync() => _p = await PaymentApi.StartAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task Percent_and_fixed_discounts_per_grade_price_each_seat_and_the_order_total_on_the_server()
    {
        var organizer = await _p.Api.OrganizerAsync();
        var early = await DiscountApi.CreateIdAsync(organizer, new { name = "Early bird", kind = "percent", value = 10 });
        var youth = await DiscountApi.CreateIdAsync(organizer, new { name = "Youth", kind = "amount", value = 20_000, grade = "R", rule = "Proof of age at the door" });
        var fan = await _p.Api.FanAsync();
        var (orderId, face) = await PaymentApi.HoldAsync(fan, 1, 600);
        Assert.Equal(198_000 + 165_000, face);

        var step = await DiscountApi.StepAsync(fan, orderId);

        Assert.Equal(178_200, DiscountApi.OptionPrice(step, 1, early));
        Assert.Null(DiscountApi.OptionPrice(step, 1, youth));
        Assert.Equal(148_500, DiscountApi.OptionPrice(step, 600, early));
        Assert.Equal(145_000, DiscountApi.OptionPrice(step, 600, youth));
        var shown = step.GetProperty("discounts").EnumerateArray().Single(d => d.GetProperty("id").GetInt64() == youth);
        Assert.Equal("Proof of age at the door", shown.GetProperty("rule").GetString());
        Assert.Equal(face, step.GetProperty("totalAmount").GetInt64());

        var priced = await DiscountApi.ChooseOkAsync(fan, orderId, new { seats = new object[] { new { seatId = 1, discountId = early }, new { seatId = 600, discountId = youth } } });

        Assert.Equal(178_200 + 145_000, priced.GetProperty("totalAmount").GetInt64());
        Assert.Equal(face, priced.GetProperty("faceAmount").GetInt64());
        Assert.Equal(face - 178_200 - 145_000, priced.GetProperty("discountAmount").GetInt64());
        var order = await fan.GetFromJsonAsync<OrderDto>($"/api/orders/{orderId}");
        Assert.Equal(178_200 + 145_000, order!.TotalAmount);
        var lines = (await _p.OrderAsync(orderId)).Lines.OrderBy(l => l.SeatId).ToList();
        Assert.Equal([(198_000L, 178_200L, (long?)early), (165_000L, 145_000L, youth)], lines.Select(l => (l.FacePrice, l.Price, l.DiscountId)));

        // The youth discount is for R seats only; the seats not named go back to the grade's price.
        var wrongGrade = await DiscountApi.ChooseAsync(fan, orderId, new { seats = new object[] { new { seatId = 1, discountId = youth } } });
        await Api.AssertProblemAsync(wrongGrade, HttpStatusCode.BadRequest, "discount.not_applicable");
        var reset = await DiscountApi.ChooseOkAsync(fan, orderId, new { seats = Array.Empty<object>() });
        Assert.Equal(face, reset.GetProperty("totalAmount").GetInt64());
    }

    [Fact]
    public async Task A_discount_is_offered_only_inside_its_window_and_a_seat_never_costs_less_than_the_floor()
    {
        var organizer = await _p.Api.OrganizerAsync();
        var now = _p.Api.Clock.GetUtcNow();
        var flash = await DiscountApi.CreateIdAsync(organizer, new { name = "Flash sale", kind = "percent", value = 50, startsAt = now.AddMinutes(2), endsAt = now.AddMinutes(4) });
        var huge = await DiscountApi.CreateIdAsync(organizer, new { name = "Sponsor", kind = "amount", value = 500_000 });
        var fan = await _p.Api.FanAsync();
        var (orderId, _) = await PaymentApi.HoldAsync(fan, 4201, 4202);

        Assert.Null(DiscountApi.OptionPrice(await DiscountApi.StepAsync(fan, orderId), 4201, flash));
        var early = await DiscountApi.ChooseAsync(fan, orderId, new { seats = new object[] { new { seatId = 4201, discountId = flash } } });
        await Api.AssertProblemAsync(early, HttpStatusCode.BadRequest, "discount.not_applicable");

        _p.Api.Clock.Advance(TimeSpan.FromMinutes(2));
        var inside = await DiscountApi.ChooseOkAsync(fan, orderId, new { seats = new object[] { new { seatId = 4201, discountId = flash }, new { seatId = 4202, discountId = huge } } });
        Assert.Equal(49_500, DiscountApi.Seat(inside, 4201).GetProperty("price").GetInt64());
        Assert.Equal(100, DiscountApi.Seat(inside, 4202).GetProperty("price").GetInt64());
        Assert.Equal(49_600, inside.GetProperty("totalAmount").GetInt64());

        // Past the window the seat that took it keeps its price; no other seat may take it now.
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(2));
        var kept = await DiscountApi.ChooseOkAsync(fan, orderId, new { seats = new object[] { new { seatId = 4201, discountId = flash } } });
        Assert.Equal(49_500 + 99_000, kept.GetProperty("totalAmount").GetInt64());
        var late = await DiscountApi.ChooseAsync(fan, orderId, new { seats = new object[] { new { seatId = 4202, discountId = flash } } });
        await Api.AssertProblemAsync(late, HttpStatusCode.BadRequest, "discount.not_applicable");
    }

    [Fact]
    public async Task Confirm_refuses_the_undiscounted_amount_once_a_discount_is_chosen_and_charges_the_discounted_total()
    {
        var organizer = await _p.Api.OrganizerAsync();
        var early = await DiscountApi.CreateIdAsync(organizer, new { name = "Early bird", kind = "percent", value = 20 });
        var fan = await _p.Api.FanAsync();
        var (orderId, face) = await PaymentApi.HoldAsync(fan, 2301, 2302);
        var priced = await DiscountApi.ChooseOkAsync(fan, orderId, new { seats = new object[] { new { seatId = 2301, discountId = early } } });
        var total = priced.GetProperty("totalAmount").GetInt64();
        Assert.Equal(face - (132_000 / 5), total);

        var undiscounted = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, face), orderId, face);
        var problem = await Api.AssertProblemAsync(undiscounted, HttpStatusCode.BadRequest, "payment.amount_mismatch");
        Assert.Contains(total.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("errors").GetProperty("amount")[0].GetString(), StringComparison.Ordinal);

        var paid = await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, total), orderId, total);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var payment = await _p.QueryAsync(db => db.Payments.SingleAsync(x => x.OrderId == Guid.Parse(orderId)));
        Assert.Equal(total, payment.Amount);
        var tickets = await _p.QueryAsync(db => db.Tickets.Where(t => t.OrderId == Guid.Parse(orderId)).OrderBy(t => t.SeatId).Select(t => t.Price).ToListAsync());
        Assert.Equal([132_000 - 26_400, 132_000], tickets);

        // A paid order's prices are final.
        var after = await DiscountApi.ChooseAsync(fan, orderId, new { seats = Array.Empty<object>() });
        await Api.AssertProblemAsync(after, HttpStatusCode.Conflict, "order.not_discountable");
    }

    [Fact]
    public async Task A_refund_pays_back_the_price_paid_and_returns_the_discount_to_its_quantity()
    {
        var organizer = await _p.Api.OrganizerAsync();
        var single = await DiscountApi.CreateIdAsync(organizer, new { name = "One lucky seat", kind = "amount", value = 50_000, quantityLimit = 1 });
        var fan = await _p.Api.FanAsync();
        var (orderId, _) = await PaymentApi.HoldAsync(fan, 2401, 2402);
        var total = (await DiscountApi.ChooseOkAsync(fan, orderId, new { seats = new object[] { new { seatId = 2401, discountId = single } } })).GetProperty("totalAmount").GetInt64();
        Assert.Equal(82_000 + 132_000, total);
        Assert.Equal(HttpStatusCode.OK, (await PaymentApi.ConfirmAsync(fan, _p.Checkout(orderId, total), orderId, total)).StatusCode);

        var other = await _p.Api.FanAsync();
        var (otherOrder, _) = await PaymentApi.HoldAsync(other, 2403);
        var soldOut = await DiscountApi.ChooseAsync(other, otherOrder, new { seats = new object[] { new { seatId = 2403, discountId = single } } });
        await Api.AssertProblemAsync(soldOut, HttpStatusCode.Conflict, "discount.sold_out");

        var quote = await PaymentApi.JsonAsync(await fan.GetAsync($"/api/orders/{orderId}/cancellation?seatIds=2401"));
        Assert.Equal(82_000, quote.GetProperty("grossAmount").GetInt64());
        var refund = await PaymentApi.JsonAsync(await fan.PostAsJsonAsync($"/api/orders/{orderId}/cancellation", new { seatIds = new[] { 2401L } }));
        Assert.Equal(82_000, refund.GetProperty("grossAmount").GetInt64());
        Assert.Equal(82_000, refund.GetProperty("refundAmount").GetInt64());
        var payment = await _p.QueryAsync(db => db.Payments.SingleAsync(x => x.OrderId == Guid.Parse(orderId)));
        Assert.Equal(132_000, payment.BalanceAmount);

        // The refunded seat gave its discount back.
        var retaken = await DiscountApi.ChooseOkAsync(other, otherOrder, new { seats = new object[] { new { seatId = 2403, discountId = single } } });
        Assert.Equal(82_000, retaken.GetProperty("totalAmount").GetInt64());
    }

    [Fact]
    public async Task Expired_and_cancelled_holds_give_their_discounts_back()
    {
        var organizer = await _p.Api.OrganizerAsync();
        var two = await DiscountApi.CreateIdAsync(organizer, new { name = "Two seats", kind = "percent", value = 30, quantityLimit = 2 });
        var a = await _p.Api.FanAsync();
        var b = await _p.Api.FanAsync();
        var c = await _p.Api.FanAsync();
        var (orderA, _) = await PaymentApi.HoldAsync(a, 2501);
        var (orderB, _) = await PaymentApi.HoldAsync(b, 2502);
        await DiscountApi.ChooseOkAsync(a, orderA, new { seats = new object[] { new { seatId = 2501, discountId = two } } });
        await DiscountApi.ChooseOkAsync(b, orderB, new { seats = new object[] { new { seatId = 2502, discountId = two } } });
        Assert.Equal(2, (await DiscountsOfOrganizerAsync(organizer)).Single(d => d.GetProperty("id").GetInt64() == two).GetProperty("inUse").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await a.DeleteAsync($"/api/orders/{orderA}")).StatusCode);
        var (orderC, _) = await PaymentApi.HoldAsync(c, 2503, 2504);
        Assert.Equal(1, (await DiscountApi.StepAsync(c, orderC)).GetProperty("discounts")[0].GetProperty("remaining").GetInt32());
        await DiscountApi.ChooseOkAsync(c, orderC, new { seats = new object[] { new { seatId = 2503, discountId = two } } });
        var third = await DiscountApi.ChooseAsync(c, orderC, new { seats = new object[] { new { seatId = 2503, discountId = two }, new { seatId = 2504, discountId = two } } });
        await Api.AssertProblemAsync(third, HttpStatusCode.Conflict, "discount.sold_out");

        _p.Api.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(2, (await _p.SendAsync(new ExpireDueOrders())).Expired);
        Assert.Equal(0, (await DiscountsOfOrganizerAsync(await _p.Api.OrganizerAsync())).Single(d => d.GetProperty("id").GetInt64() == two).GetProperty("inUse").GetInt32());
        var d = await _p.Api.FanAsync();
        var (orderD, _) = await PaymentApi.HoldAsync(d, 2505, 2506);
        var both = await DiscountApi.ChooseOkAsync(d, orderD, new { seats = new object[] { new { seatId = 2505, discountId = two }, new { seatId = 2506, discountId = two } } });
        Assert.Equal(2 * 92_400, both.GetProperty("totalAmount").GetInt64());
    }

    [Fact]
    public async Task A_coupon_is_unlocked_only_by_its_code_and_stops_at_its_use_limit()
    {
        var organizer = await _p.Api.OrganizerAsync();
        var coupon = await DiscountApi.CreateAsync(organizer, new { name = "Fan club", kind = "amount", value = 10_000, quantityLimit = 2, generateCode = true });
        var code = coupon.GetProperty("couponCode").GetString()!;
        var id = coupon.GetProperty("id").GetInt64();
        Assert.Equal(10, code.Length);
        var fan = await _p.Api.FanAsync();
        var (orderId, face) = await PaymentApi.HoldAsync(fan, 2601, 2602);

        var listed = await DiscountApi.StepAsync(fan, orderId);
        Assert.DoesNotContain(listed.GetProperty("discounts").EnumerateArray(), d => d.GetProperty("id").GetInt64() == id);
        await Api.AssertProblemAsync(await fan.GetAsync($"/api/orders/{orderId}/discounts?coupon=WRONGCODE1"), HttpStatusCode.BadRequest, "coupon.invalid");
        var noCode = await DiscountApi.ChooseAsync(fan, orderId, new { seats = new object[] { new { seatId = 2601, discountId = id } } });
        await Api.AssertProblemAsync(noCode, HttpStatusCode.BadRequest, "coupon.invalid");

        var unlocked = await DiscountApi.StepAsync(fan, orderId, code.ToLowerInvariant());
        Assert.Equal(122_000, DiscountApi.OptionPrice(unlocked, 2601, id));
        var both = await DiscountApi.ChooseOkAsync(fan, orderId, new { coupon = code, seats = new object[] { new { seatId = 2601, discountId = id }, new { seatId = 2602, discountId = id } } });
        Assert.Equal(face - 20_000, both.GetProperty("totalAmount").GetInt64());

        // Keeping the coupon on the seats that have it needs no code again; its two uses are taken.
        var kept = await DiscountApi.ChooseOkAsync(fan, orderId, new { seats = new object[] { new { seatId = 2601, discountId = id }, new { seatId = 2602, discountId = id } } });
        Assert.Equal(face - 20_000, kept.GetProperty("totalAmount").GetInt64());
        var other = await _p.Api.FanAsync();
        var (otherOrder, _) = await PaymentApi.HoldAsync(other, 2603);
        var used = await DiscountApi.ChooseAsync(other, otherOrder, new { coupon = code, seats = new object[] { new { seatId = 2603, discountId = id } } });
        await Api.AssertProblemAsync(used, HttpStatusCode.Conflict, "discount.sold_out");

        // The organizer closes the coupon: its code no longer unlocks anything.
        using var closed = await organizer.PutAsJsonAsync($"/api/organizer/discounts/{id}", new { name = "Fan club", kind = "amount", value = 10_000, quantityLimit = 2, couponCode = code, active = false });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        await Api.AssertProblemAsync(await other.GetAsync($"/api/orders/{otherOrder}/discounts?coupon={code}"), HttpStatusCode.BadRequest, "coupon.invalid");
    }

    [Fact]
    public async Task No_one_prices_another_fans_order_and_only_the_performances_organizer_defines_its_discounts()
    {
        var organizer = await _p.Api.OrganizerAsync();
        var early = await DiscountApi.CreateIdAsync(organizer, new { name = "Early bird", kind = "percent", value = 10 });
        var owner = await _p.Api.FanAsync();
        var stranger = await _p.Api.FanAsync();
        var (orderId, face) = await PaymentApi.HoldAsync(owner, 2701);

        await Api.AssertProblemAsync(await stranger.GetAsync($"/api/orders/{orderId}/discounts"), HttpStatusCode.NotFound, "order.not_found");
        var foreign = await DiscountApi.ChooseAsync(stranger, orderId, new { seats = new object[] { new { seatId = 2701, discountId = early } } });
        await Api.AssertProblemAsync(foreign, HttpStatusCode.NotFound, "order.not_found");
        Assert.Equal(face, (await _p.OrderAsync(orderId)).TotalAmount);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _p.Api.CreateClient().GetAsync($"/api/orders/{orderId}/discounts")).StatusCode);

        // Bad choices are 400s naming the field, never a 500.
        await Api.AssertValidationAsync(await owner.PutAsync($"/api/orders/{orderId}/discounts", new StringContent("{\"seats\":[null]}", System.Text.Encoding.UTF8, "application/json")), "seats");
        await Api.AssertValidationAsync(await DiscountApi.ChooseAsync(owner, orderId, new { seats = new object[] { new { seatId = 2701, discountId = early }, new { seatId = 2701, discountId = (long?)null } } }), "seats");
        await Api.AssertValidationAsync(await DiscountApi.ChooseAsync(owner, orderId, new { seats = new object[] { new { seatId = 2701, discountId = 999_999 } } }), "seats");
        await Api.AssertValidationAsync(await DiscountApi.ChooseAsync(owner, orderId, new { seats = new object[] { new { seatId = 1, discountId = early } } }), "seats");
        await Api.AssertProblemAsync(await DiscountApi.ChooseAsync(owner, "nope", new { seats = Array.Empty<object>() }), HttpStatusCode.NotFound, "order.not_found");

        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PostAsJsonAsync("/api/organizer/performances/1/discounts", new { name = "Mine", kind = "percent", value = 90 })).StatusCode);
        var otherOrganizer = await NewOrganizerAsync();
        await Api.AssertProblemAsync(await otherOrganizer.GetAsync("/api/organizer/performances/1/discounts"), HttpStatusCode.NotFound);
        await Api.AssertProblemAsync(await otherOrganizer.PutAsJsonAsync($"/api/organizer/discounts/{early}", new { name = "Mine", kind = "percent", value = 90 }), HttpStatusCode.NotFound);
        await Api.AssertValidationAsync(await organizer.PostAsJsonAsync("/api/organizer/performances/1/discounts", new { name = "Free", kind = "percent", value = 100 }), "value");
        await Api.AssertValidationAsync(await organizer.PostAsJsonAsync("/api/organizer/performances/1/discounts", new { name = "X", kind = "gift", value = 1, grade = "Z" }), "kind", "grade");
    }

    private static async Task<List<System.Text.Json.JsonElement>> DiscountsOfOrganizerAsync(HttpClient organizer) =>
        (await organizer.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/organizer/performances/1/discounts")).EnumerateArray().ToList();

    private async Task<HttpClient> NewOrganizerAsync()
    {
        var email = $"organizer-{Guid.NewGuid():N}@test.ticketing";
        var fan = await _p.Api.FanAsync(email);
        var me = await fan.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/me");
        var admin = await BookingApiFactory.LogInAsync(_p.Api.CreateClient(), "admin@test.ticketing", "admin-test-1");
        (await admin.PutAsJsonAsync($"/api/admin/users/{me.GetProperty("id").GetGuid()}/role", new { role = "organizer" })).EnsureSuccessStatusCode();
        return await BookingApiFactory.LogInAsync(_p.Api.CreateClient(), email, "fan-password-1");
    }
}
