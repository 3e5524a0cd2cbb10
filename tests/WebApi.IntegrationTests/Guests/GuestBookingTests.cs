using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Ticketing.Domain.Accounts;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.WebApi.Infrastructure;
using Ticketing.WebApi.IntegrationTests.Payments;

namespace Ticketing.WebApi.IntegrationTests.Guests;

/// <summary>
/// Guest booking over real HTTP on a real SQLite file with a fake Toss and a manual clock: a verified phone's session
/// books only where the organizer opened guest booking; the booking number and phone find the booking, and nothing
/// else does; codes expire and work once; one phone is one account and one place in line.
/// </summary>
public sealed class GuestBookingTests : IAsyncLifetime
{
    private PaymentApi _p = null!;

    public async Task InitializeAsync() => _p = await GuestApi.StartAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task A_guest_books_and_pays_on_a_performance_open_to_guests_and_is_refused_on_others_and_elsewhere()
    {
        var organizer = await _p.Api.OrganizerAsync();
        Assert.False((await organizer.GetFromJsonAsync<JsonElement>("/api/performances/2")).GetProperty("guestBooking").GetBoolean());
        await SetGuestBookingAsync(organizer, 1, false);
        var guest = await GuestApi.GuestAsync(_p, "010-2000-0001");

        var closed = await guest.PostAsJsonAsync("/api/performances/1/holds", new { seatIds = new[] { 4101L } });
        Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
        Assert.Equal("guest.performance_closed", (await PaymentApi.JsonAsync(closed)).GetProperty("code").GetString());

        var opened = await SetGuestBookingAsync(organizer, 1, true);
        Assert.True(opened.GetProperty("guestBooking").GetBoolean());
        var (orderId, number, amount) = await GuestApi.BookAndPayAsync(_p, guest, 4101, 4102);

        var order = await _p.OrderAsync(orderId);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal(amount, order.TotalAmount);
        var me = await guest.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("guest", me.GetProperty("role").GetString());
        Assert.Equal(Guid.Parse(me.GetProperty("id").GetString()!), order.FanId);
        var booking = await _p.QueryAsync(db => db.GuestBookings.SingleAsync(b => b.OrderId == order.Id));
        Assert.Equal("+821020000001", booking.Phone);
        Assert.Equal(number.Replace("-", string.Empty, StringComparison.Ordinal), booking.BookingNumber);
        Assert.Equal(2, (await guest.GetFromJsonAsync<JsonElement>("/api/me/tickets")).GetProperty("items").GetArrayLength());

        // Performance 2 was never opened to guests; organizer and fan-only endpoints stay shut.
        var other = await guest.PostAsJsonAsync("/api/performances/2/holds", new { seatIds = new[] { 5101L } });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("guest.performance_closed", (await PaymentApi.JsonAsync(other)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.GetAsync("/api/organizer/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await guest.PostAsJsonAsync("/api/accounts/login", new { email = "tel:+821020000001", password = User.NoPassword })).StatusCode);

        // A guest session is short: after Guests:SessionMinutes it is refused, even though the bearer token lasts longer.
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(31));
        var late = await guest.GetAsync($"/api/orders/{orderId}");
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        Assert.Equal("guest.session_expired", (await PaymentApi.JsonAsync(late)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_guest_reaches_the_price_step_of_its_own_order_but_not_the_waitlist_or_transfers()
    {
        var organizer = await _p.Api.OrganizerAsync();
        await SetGuestBookingAsync(organizer, 1, true);
        var guest = await GuestApi.GuestAsync(_p, "010-2000-0009");
        var (orderId, _) = await PaymentApi.HoldAsync(guest, [4111L]);

        var step = await guest.GetAsync($"/api/orders/{orderId}/discounts");
        Assert.Equal(HttpStatusCode.OK, step.StatusCode);
        var chosen = await guest.PutAsJsonAsync($"/api/orders/{orderId}/discounts", new { seats = new[] { new { seatId = 4111L, discountId = (long?)null } } });
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);

        foreach (var refused in new[]
        {
            await guest.PostAsJsonAsync("/api/performances/1/waitlist", new { seats = 1 }),
            await guest.GetAsync("/api/me/transfers"),
        })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("guest.not_allowed", (await PaymentApi.JsonAsync(refused)).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task The_number_and_phone_open_the_booking_and_a_wrong_phone_answers_exactly_like_no_such_booking()
    {
        var guest = await GuestApi.GuestAsync(_p, "010-2000-0002");
        var (orderId, number, _) = await GuestApi.BookAndPayAsync(_p, guest, 4111);
        var anyone = _p.Api.CreateClient();

        // Typed the way people type it: lower case, no dash; the phone with +82 and spaces.
        var found = await GuestApi.LookUpAsync(anyone, number.ToLowerInvariant().Replace("-", string.Empty, StringComparison.Ordinal), "+82 10 2000 0002");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var body = await PaymentApi.JsonAsync(found);
        var booking = body.GetProperty("booking");
        Assert.Equal(number, booking.GetProperty("bookingNumber").GetString());
        Assert.Equal(orderId, booking.GetProperty("order").GetProperty("id").GetString());
        Assert.Equal("paid", booking.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal("*********0002", booking.GetProperty("phone").GetString());
        var ticket = Assert.Single(booking.GetProperty("tickets").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(ticket.GetProperty("qrContent").GetString()));
        var token = body.GetProperty("lookupToken").GetString()!;

        var again = await anyone.SendAsync(GuestApi.WithLookupToken(HttpMethod.Get, $"/api/guest/bookings/{number}", token));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var qr = await anyone.SendAsync(GuestApi.WithLookupToken(HttpMethod.Get, $"/api/guest/bookings/{number}/tickets/{ticket.GetProperty("ticket").GetProperty("id").GetString()}/qr", token));
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.Equal("image/png", qr.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.GetAsync($"/api/guest/bookings/{number}")).StatusCode);

        // Wrong phone and an unknown number: same status, same body (but the trace id), the same single query.
        var wrongPhone = await GuestApi.LookUpAsync(anyone, number, "010-2000-0003");
        var noSuch = await GuestApi.LookUpAsync(anyone, "ABCDE-FGHJK", "010-2000-0002");
        var notANumber = await GuestApi.LookUpAsync(anyone, "nope", "not a phone");
        Assert.Equal(HttpStatusCode.NotFound, wrongPhone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noSuch.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notANumber.StatusCode);
        var expected = await GuestApi.ProblemWithoutTraceAsync(wrongPhone);
        Assert.Equal(expected, await GuestApi.ProblemWithoutTraceAsync(noSuch));
        Assert.Equal(expected, await GuestApi.ProblemWithoutTraceAsync(notANumber));
        Assert.Contains("guest.booking_not_found", expected, StringComparison.Ordinal);

        // The token lasts Guests:LookupTokenMinutes.
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.SendAsync(GuestApi.WithLookupToken(HttpMethod.Get, $"/api/guest/bookings/{number}", token))).StatusCode);
    }

    [Fact]
    public async Task Lookups_of_one_number_are_limited_from_any_address_and_the_limit_lifts_with_time()
    {
        var guest = await GuestApi.GuestAsync(_p, "010-2000-0004");
        var (_, number, _) = await GuestApi.BookAndPayAsync(_p, guest, 4121);
        var anyone = _p.Api.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await GuestApi.LookUpAsync(anyone, number, $"010-9999-000{i}")).StatusCode);
        }

        // Now even the right phone waits: a 429 tells nothing about the number (unknown numbers are limited alike).
        var limited = await GuestApi.LookUpAsync(anyone, number, "010-2000-0004");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        for (var i = 0; i < 5; i++)
        {
            await GuestApi.LookUpAsync(anyone, "ZZZZZ-ZZZZZ", "010-2000-0004");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await GuestApi.LookUpAsync(anyone, "ZZZZZ-ZZZZZ", "010-2000-0004")).StatusCode);

        _p.Api.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.OK, (await GuestApi.LookUpAsync(anyone, number, "010-2000-0004")).StatusCode);
    }

    [Fact]
    public async Task A_code_expires_works_once_and_dies_after_five_wrong_tries_and_codes_per_phone_are_limited()
    {
        var client = _p.Api.CreateClient();
        const string phone = "010-2000-0005";
        var first = await GuestApi.AskCodeAsync(client, phone);
        var firstCode = await GuestApi.CodeSentToAsync(client, phone);

        var tooSoon = await client.PostAsJsonAsync("/api/guest/phone-verifications", new { phone });
        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);
        Assert.NotNull(tooSoon.Headers.RetryAfter);

        var wrong = await GuestApi.ConfirmAsync(client, first, firstCode == "000000" ? "111111" : "000000");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(4, (await PaymentApi.JsonAsync(wrong)).GetProperty("attemptsLeft").GetInt32());

        _p.Api.Clock.Advance(TimeSpan.FromMinutes(5));
        var expired = await GuestApi.ConfirmAsync(client, first, firstCode);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Equal("guest.code_expired", (await PaymentApi.JsonAsync(expired)).GetProperty("code").GetString());

        var second = await GuestApi.AskCodeAsync(client, phone);
        var secondCode = await GuestApi.CodeSentToAsync(client, phone);
        Assert.Equal(HttpStatusCode.OK, (await GuestApi.ConfirmAsync(client, second, secondCode)).StatusCode);
        var reused = await GuestApi.ConfirmAsync(client, second, secondCode);
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal("guest.code_used", (await PaymentApi.JsonAsync(reused)).GetProperty("code").GetString());

        _p.Api.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await GuestApi.AskCodeAsync(client, phone);
        var thirdCode = await GuestApi.CodeSentToAsync(client, phone);
        var guess = thirdCode == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await GuestApi.ConfirmAsync(client, third, guess)).StatusCode);
        }

        var dead = await GuestApi.ConfirmAsync(client, third, thirdCode);
        Assert.Equal(HttpStatusCode.Gone, dead.StatusCode);
        Assert.Equal("guest.code_attempts", (await PaymentApi.JsonAsync(dead)).GetProperty("code").GetString());

        // Only a hash is stored.
        var stored = await _p.QueryAsync(db => db.PhoneVerifications.AsNoTracking().Where(v => v.Phone == "+821020000005").ToListAsync());
        Assert.Equal(3, stored.Count);
        Assert.DoesNotContain(stored, v => v.CodeHash.Contains(thirdCode, StringComparison.Ordinal));

        // Five codes an hour per phone.
        for (var i = 0; i < 2; i++)
        {
            _p.Api.Clock.Advance(TimeSpan.FromMinutes(1));
            await GuestApi.AskCodeAsync(client, phone);
        }

        _p.Api.Clock.Advance(TimeSpan.FromMinutes(1));
        var sixth = await client.PostAsJsonAsync("/api/guest/phone-verifications", new { phone });
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Equal("guest.too_many_codes", (await PaymentApi.JsonAsync(sixth)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task One_phone_in_any_spelling_is_one_guest_account_and_one_identity_for_the_waiting_room()
    {
        var local = await GuestApi.GuestAsync(_p, "010-2000-0006");
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(1));
        var international = await GuestApi.GuestAsync(_p, "+82 10-2000-0006");
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(1));

        // Two codes of the same phone confirmed at the same instant still make one account.
        var a = _p.Api.CreateClient();
        var firstId = await GuestApi.AskCodeAsync(a, "01020000007");
        var firstCode = await GuestApi.CodeSentToAsync(a, "01020000007");
        _p.Api.Clock.Advance(TimeSpan.FromMinutes(1));
        var secondId = await GuestApi.AskCodeAsync(a, "010.2000.0007");
        var secondCode = await GuestApi.CodeSentToAsync(a, "010.2000.0007");
        var both = await Task.WhenAll(GuestApi.ConfirmAsync(a, firstId, firstCode), GuestApi.ConfirmAsync(a, secondId, secondCode));
        Assert.All(both, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var localId = (await local.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString();
        Assert.Equal(localId, (await international.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString());
        Assert.Equal(1, await _p.QueryAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == "tel:+821020000006")));
        Assert.Equal(1, await _p.QueryAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == "tel:+821020000007")));

        // The waiting room keys a place by the identity's account: both sessions name the same account, so one place.
        var subjects = new List<string>();
        foreach (var session in new[] { local, international })
        {
            var response = await session.PostAsync("/api/accounts/me/queue-identity", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var jws = (await PaymentApi.JsonAsync(response)).GetProperty("identity").GetString()!;
            using var claims = JsonDocument.Parse(Base64UrlDecode(jws.Split('.')[1]));
            subjects.Add(claims.RootElement.GetProperty("sub").GetString()!);
        }

        Assert.Equal([localId!, localId!], subjects);
    }

    [Fact]
    public async Task A_guest_reads_no_other_guests_or_fans_order_and_a_lookup_token_opens_its_own_booking_only()
    {
        var alice = await GuestApi.GuestAsync(_p, "010-2000-0008");
        var bob = await GuestApi.GuestAsync(_p, "010-2000-0009");
        var (aliceOrder, aliceNumber, _) = await GuestApi.BookAndPayAsync(_p, alice, 4131);
        var (bobOrder, bobNumber, _) = await GuestApi.BookAndPayAsync(_p, bob, 4132);
        var fan = await _p.Api.FanAsync();
        var (fanOrder, _) = await PaymentApi.HoldAsync(fan, 4133);

        foreach (var other in new[] { aliceOrder, fanOrder })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/orders/{other}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsJsonAsync($"/api/orders/{other}/cancellation", new { })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsJsonAsync("/api/guest/bookings", new { orderId = other, name = "Bob", email = "bob@example.com" })).StatusCode);
        }

        var bobTickets = await bob.GetFromJsonAsync<JsonElement>("/api/me/tickets");
        Assert.All(bobTickets.GetProperty("items").EnumerateArray(), t => Assert.Equal(bobOrder, t.GetProperty("orderId").GetString()));

        // Alice's lookup token does not open Bob's booking, nor cancel it; a fan's token is no lookup token.
        var token = (await PaymentApi.JsonAsync(await GuestApi.LookUpAsync(_p.Api.CreateClient(), aliceNumber, "010-2000-0008"))).GetProperty("lookupToken").GetString()!;
        var anyone = _p.Api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.SendAsync(GuestApi.WithLookupToken(HttpMethod.Get, $"/api/guest/bookings/{bobNumber}", token))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.SendAsync(GuestApi.WithLookupToken(HttpMethod.Post, $"/api/guest/bookings/{bobNumber}/cancellation", token, new { }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.SendAsync(GuestApi.WithLookupToken(HttpMethod.Get, $"/api/guest/bookings/{aliceNumber}", token + "x"))).StatusCode);
        Assert.Equal(OrderStatus.Paid, (await _p.OrderAsync(bobOrder)).Status);

        // A fan is no guest: the guest-only buyer check refuses it.
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.PostAsJsonAsync("/api/guest/bookings", new { orderId = fanOrder, name = "Fan", email = "fan@example.com" })).StatusCode);
    }

    [Fact]
    public async Task A_guest_cancels_through_the_lookup_and_is_refunded_by_the_schedule()
    {
        var guest = await GuestApi.GuestAsync(_p, "010-2000-0010");
        var (orderId, number, amount) = await GuestApi.BookAndPayAsync(_p, guest, 4141, 4142);
        var startsAt = await _p.QueryAsync(db => db.Performances.Where(x => x.Id == 1).Select(x => x.StartsAt).SingleAsync());
        _p.Api.Clock.Advance(startsAt - TimeSpan.FromDays(5) - _p.Api.Clock.GetUtcNow());
        var anyone = _p.Api.CreateClient();
        var token = (await PaymentApi.JsonAsync(await GuestApi.LookUpAsync(anyone, number, "01020000010"))).GetProperty("lookupToken").GetString()!;

        var quote = await PaymentApi.JsonAsync(await anyone.SendAsync(GuestApi.WithLookupToken(HttpMethod.Get, $"/api/guest/bookings/{number}/cancellation?seatIds=4141", token)));
        var price = quote.GetProperty("grossAmount").GetInt64();
        Assert.Equal(10, quote.GetProperty("feePercent").GetInt32());
        var partial = await anyone.SendAsync(GuestApi.WithLookupToken(HttpMethod.Post, $"/api/guest/bookings/{number}/cancellation", token, new { seatIds = new[] { 4141L } }));
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        var refund = await PaymentApi.JsonAsync(partial);
        Assert.Equal(price / 10, refund.GetProperty("feeAmount").GetInt64());
        Assert.Equal(price - (price / 10), refund.GetProperty("refundAmount").GetInt64());
        Assert.Equal(quote.GetProperty("refundAmount").GetInt64(), refund.GetProperty("refundAmount").GetInt64());
        Assert.Equal(["PARTIAL_CANCELED"], _p.Toss.Simulator.StatusesOf(orderId));

        var rest = await PaymentApi.JsonAsync(await anyone.SendAsync(GuestApi.WithLookupToken(HttpMethod.Post, $"/api/guest/bookings/{number}/cancellation", token, new { })));
        Assert.Equal("refunded", rest.GetProperty("orderStatus").GetString());
        var order = await _p.OrderAsync(orderId);
        Assert.Equal(OrderStatus.Refunded, order.Status);
        Assert.Equal(amount - (amount / 10), order.RefundedAmount);
        Assert.All(await _p.QueryAsync(db => db.Tickets.AsNoTracking().Where(t => t.OrderId == order.Id).ToListAsync()), t => Assert.Equal(TicketStatus.Voided, t.Status));
        var after = await PaymentApi.JsonAsync(await anyone.SendAsync(GuestApi.WithLookupToken(HttpMethod.Get, $"/api/guest/bookings/{number}", token)));
        Assert.Equal("refunded", after.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await anyone.SendAsync(GuestApi.WithLookupToken(HttpMethod.Post, $"/api/guest/bookings/{number}/cancellation", token, new { }))).StatusCode);
    }

    [Fact]
    public void The_simulated_sms_provider_is_refused_outside_development_unless_a_demo_is_meant()
    {
        static IReadOnlyList<string> Refusals(string environment, params (string Key, string Value)[] settings) =>
            DemoSettingsCheck.Refusals(
                new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(),
                new Environment(environment));

        Assert.Contains(Refusals("Production", ("Sms:Provider", "Simulated")), r => r.StartsWith("Sms:Provider", StringComparison.Ordinal));
        Assert.DoesNotContain(Refusals("Production", ("Sms:Provider", "Simulated"), ("Sms:AllowSimulated", "true")), r => r.StartsWith("Sms:Provider", StringComparison.Ordinal));
        Assert.DoesNotContain(Refusals("Production"), r => r.StartsWith("Sms:Provider", StringComparison.Ordinal));
        Assert.Empty(Refusals("Development", ("Sms:Provider", "Simulated")));
    }

    private static async Task<JsonElement> SetGuestBookingAsync(HttpClient organizer, long performanceId, bool open)
    {
        var performance = await organizer.GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}");
        var response = await organizer.PutAsJsonAsync($"/api/organizer/performances/{performanceId}", new
        {
            startsAt = performance.GetProperty("startsAt").GetDateTimeOffset(),
            salesOpenAt = performance.GetProperty("salesOpenAt").GetDateTimeOffset(),
            salesCloseAt = performance.GetProperty("salesCloseAt").GetDateTimeOffset(),
            requiresQueuePass = performance.GetProperty("requiresQueuePass").GetBoolean(),
            waitingRoomId = performance.GetProperty("waitingRoomId").GetString(),
            guestBooking = open,
        });
        response.EnsureSuccessStatusCode();
        return await PaymentApi.JsonAsync(response);
    }

    private static byte[] Base64UrlDecode(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Ticketing.WebApi";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}

/// <summary>The per-address limits of the anonymous guest endpoints (a fixed window: no clock needs to move).</summary>
public sealed class GuestAddressLimitTests : IAsyncLifetime
{
    private PaymentApi _p = null!;

    public async Task InitializeAsync() => _p = await GuestApi.StartAsync(api => api
        .With("RateLimits:GuestLookupsPerMinute", "3")
        .With("RateLimits:GuestCodesPerHour", "2"));

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task One_address_gets_a_few_lookups_a_minute_and_a_few_codes_an_hour()
    {
        var client = _p.Api.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await GuestApi.LookUpAsync(client, $"ABCDE-FGHJ{i + 2}", "010-3000-0001")).StatusCode);
        }

        var limited = await GuestApi.LookUpAsync(client, "ABCDE-FGHJK", "010-3000-0001");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);

        await GuestApi.AskCodeAsync(client, "010-3000-0002");
        await GuestApi.AskCodeAsync(client, "010-3000-0003");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync("/api/guest/phone-verifications", new { phone = "010-3000-0004" })).StatusCode);
    }
}
