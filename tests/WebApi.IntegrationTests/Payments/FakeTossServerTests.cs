using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Hangfire;
using Hangfire.Storage;
using Ticketing.Domain.Orders;
using Ticketing.Infrastructure.IntegrationTests.Support;
using Ticketing.Infrastructure.Scheduling;
using Ticketing.WebApi.IntegrationTests.Holds;

namespace Ticketing.WebApi.IntegrationTests.Payments;

/// <summary>The fake Toss server itself behaves as TOSS.md says, so the client tests against it mean something.</summary>
public sealed class FakeTossServerTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private FakeTossServer _toss = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _toss = await FakeTossServer.StartAsync(_clock);
        _http = new HttpClient { BaseAddress = new Uri(_toss.BaseUrl) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(FakeTossServer.SecretKey + ":")));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _toss.DisposeAsync();
    }

    [Fact]
    public async Task Wrong_or_missing_basic_auth_is_401_unauthorized_key()
    {
        using var noColon = new HttpClient { BaseAddress = new Uri(_toss.BaseUrl) };
        noColon.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(FakeTossServer.SecretKey)));
        using var anonymous = new HttpClient { BaseAddress = new Uri(_toss.BaseUrl) };

        foreach (var client in new[] { noColon, anonymous })
        {
            var response = await client.GetAsync("/v1/payments/orders/order-1");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("UNAUTHORIZED_KEY", await CodeAsync(response));
        }
    }

    [Fact]
    public async Task Confirm_approves_once_and_a_repeat_with_the_same_key_replays_without_a_second_charge()
    {
        var key = _toss.Simulator.Authorize("order-0001", 15_000, "Test");

        var first = await ConfirmAsync(key, "order-0001", 15_000, "confirm:order-0001");
        var replay = await ConfirmAsync(key, "order-0001", 15_000, "confirm:order-0001");
        var newKey = await ConfirmAsync(key, "order-0001", 15_000, "confirm:other");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var payment = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("DONE", payment.GetProperty("status").GetString());
        Assert.Equal(15_000, payment.GetProperty("totalAmount").GetInt64());
        Assert.EndsWith("+09:00", payment.GetProperty("approvedAt").GetString(), StringComparison.Ordinal);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, newKey.StatusCode);
        Assert.Equal("ALREADY_PROCESSED_PAYMENT", await CodeAsync(newKey));
        Assert.Equal(1, _toss.Simulator.Charges);
    }

    [Fact]
    public async Task A_repeat_while_the_first_is_in_flight_gets_409_idempotent_request_processing()
    {
        var key = _toss.Simulator.Authorize("order-0002", 15_000, "Test");
        _toss.Faults = _ => new Fault(FaultKind.Delay, TimeSpan.FromMilliseconds(500));
        var first = ConfirmAsync(key, "order-0002", 15_000, "confirm:order-0002");
        await _toss.WhenRequestsAsync(1, TimeSpan.FromSeconds(10));
        _toss.Faults = null;

        var second = await ConfirmAsync(key, "order-0002", 15_000, "confirm:order-0002");

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("IDEMPOTENT_REQUEST_PROCESSING", await CodeAsync(second));
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
    }

    [Fact]
    public async Task The_merchant_has_ten_minutes_to_confirm()
    {
        var key = _toss.Simulator.Authorize("order-0003", 15_000, "Test");
        _clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        var late = await ConfirmAsync(key, "order-0003", 15_000, "confirm:order-0003");

        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        Assert.Equal("NOT_FOUND_PAYMENT_SESSION", await CodeAsync(late));
        Assert.Equal("EXPIRED", (await _http.GetFromJsonAsync<JsonElement>("/v1/payments/orders/order-0003")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Test_code_header_declines_and_the_payment_is_aborted()
    {
        var key = _toss.Simulator.Authorize("order-0004", 15_000, "Test");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payments/confirm") { Content = JsonContent.Create(new { paymentKey = key, orderId = "order-0004", amount = 15_000 }) };
        request.Headers.Add("TossPayments-Test-Code", "EXCEED_MAX_ONE_DAY_AMOUNT");

        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("EXCEED_MAX_ONE_DAY_AMOUNT", await CodeAsync(response));
        Assert.Equal(["ABORTED"], _toss.Simulator.StatusesOf("order-0004"));
        Assert.Equal(0, _toss.Simulator.Charges);
    }

    [Fact]
    public async Task Cancel_follows_the_status_flow_with_partial_amounts()
    {
        var key = _toss.Simulator.Authorize("order-0005", 15_000, "Test");
        await ConfirmAsync(key, "order-0005", 15_000, "confirm:order-0005");

        var partial = await CancelAsync(key, "cancel:r1", new { cancelReason = "fan", cancelAmount = 5_000 });
        var tooMuch = await CancelAsync(key, "cancel:r2", new { cancelReason = "fan", cancelAmount = 50_000 });
        var rest = await CancelAsync(key, "cancel:r3", new { cancelReason = "fan" });
        var again = await CancelAsync(key, "cancel:r4", new { cancelReason = "fan" });
        var noReason = await CancelAsync(key, "cancel:r5", new { });

        var body = await partial.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PARTIAL_CANCELED", body.GetProperty("status").GetString());
        Assert.Equal(10_000, body.GetProperty("balanceAmount").GetInt64());
        Assert.Equal(5_000, body.GetProperty("cancels")[0].GetProperty("cancelAmount").GetInt64());
        Assert.Equal("NOT_CANCELABLE_AMOUNT", await CodeAsync(tooMuch));
        Assert.Equal("CANCELED", (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("ALREADY_CANCELED_PAYMENT", await CodeAsync(again));
        Assert.Equal("INVALID_REQUEST", await CodeAsync(noReason));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/v1/payments/orders/no-such-order")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_secret_key_is_a_configuration_error_and_the_order_stays_payable()
    {
        await using var p = await PaymentApi.StartAsync(api => api.With("Payments:Toss:SecretKey", "test_sk_wrong"));
        var fan = await p.Api.FanAsync();
        var (orderId, amount) = await PaymentApi.HoldAsync(fan, 4601);

        var response = await PaymentApi.ConfirmAsync(fan, p.Checkout(orderId, amount), orderId, amount);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("UNAUTHORIZED_KEY", (await PaymentApi.JsonAsync(response)).GetProperty("tossCode").GetString());
        Assert.Equal(OrderStatus.Pending, (await p.OrderAsync(orderId)).Status);
    }

    [Fact]
    public void Reconciliation_is_a_recurring_job_every_ten_seconds()
    {
        using var api = new BookingApiFactory(jobs: true);
        api.CreateClient();
        using var connection = api.Services.GetRequiredService<JobStorage>().GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs([RecurringJobIds.ReconcilePayments]));
        Assert.Equal("*/10 * * * * *", job.Cron);
        Assert.Equal(typeof(ReconcilePaymentsJob), job.Job.Type);
    }

    private Task<HttpResponseMessage> ConfirmAsync(string paymentKey, string orderId, long amount, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payments/confirm") { Content = JsonContent.Create(new { paymentKey, orderId, amount }) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return _http.SendAsync(request);
    }

    private Task<HttpResponseMessage> CancelAsync(string paymentKey, string idempotencyKey, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/payments/{paymentKey}/cancel") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return _http.SendAsync(request);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
}
