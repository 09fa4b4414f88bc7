using System.Net;
using AirQuality.Alerts;
using AirQuality.Alerts.Outbox;
using AirQuality.Alerts.Webhooks;

namespace AirQuality.Host.Tests.Webhooks;

/// <summary>The delivery loop on a fake clock: it moves only when a test advances it.</summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private WebhookOptions Options(Action<WebhookOptions>? change = null)
    {
        var options = new WebhookOptions
        {
            Urls = [_receiver.Url],
            InitialBackoff = TimeSpan.FromSeconds(10),
            MaxBackoff = TimeSpan.FromSeconds(40),
        };
        change?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task A_new_event_is_delivered_at_once_without_the_clock_moving()
    {
        await using var rig = new DeliveryRig(Options());
        await rig.StartAsync();

        var raised = await rig.RaiseAsync("wake-up");

        var request = await _receiver.NextAsync();
        Assert.Equal(AlertCloudEvent.Id(raised), request.Id);
        Assert.StartsWith("application/cloudevents+json", request.ContentType, StringComparison.Ordinal);
        await rig.Counters.WaitForAsync(AlertCounters.Delivered, 1);
        Assert.Equal(new OutboxCounts(0, 1, 0), await rig.Outbox.CountAsync(WebhookChannel.ChannelName, CancellationToken.None));
    }

    [Fact]
    public async Task Without_urls_the_sink_enqueues_nothing()
    {
        await using var rig = new DeliveryRig(Options(o => o.Urls = []));

        var raised = await rig.RaiseAsync("nowhere");

        Assert.Empty(await rig.Outbox.FindAsync(AlertCloudEvent.Id(raised), CancellationToken.None));
    }

    [Fact]
    public async Task Retry_After_on_503_decides_the_next_attempt()
    {
        _receiver.Answer = n => n == 1 ? new(HttpStatusCode.ServiceUnavailable, RetryAfterSeconds: 120) : new(HttpStatusCode.OK);
        await using var rig = new DeliveryRig(Options());
        await rig.StartAsync();

        await rig.RaiseAsync("busy-receiver");
        await rig.Counters.WaitForAsync(AlertCounters.Retried, 1);

        Assert.Equal(TimeSpan.FromSeconds(120), await rig.NextDueInAsync());
        rig.Time.Advance(TimeSpan.FromSeconds(120));
        await rig.Counters.WaitForAsync(AlertCounters.Delivered, 1);
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], _receiver.Drain().Select(r => r.Answered));
    }

    [Fact]
    public async Task Failures_back_off_exponentially_with_jitter_until_MaxAttempts_dead_letters()
    {
        _receiver.Answer = _ => new(HttpStatusCode.InternalServerError);
        await using var rig = new DeliveryRig(Options(o => o.MaxAttempts = 4));
        await rig.StartAsync();
        await rig.RaiseAsync("always-failing");

        // Full backoffs 10 s, 20 s, then 40 s (capped); each wait lies between half and all of it.
        foreach (var (failures, full) in new[] { (1, 10), (2, 20), (3, 40) })
        {
            await rig.Counters.WaitForAsync(AlertCounters.Retried, failures);
            var wait = await rig.NextDueInAsync();
            Assert.InRange(wait!.Value, TimeSpan.FromSeconds(full / 2.0), TimeSpan.FromSeconds(full));
            rig.Time.Advance(wait.Value);
        }

        await rig.Counters.WaitForAsync(AlertCounters.DeadLettered, 1);
        Assert.Equal(4, _receiver.Drain().Count);
        var dead = Assert.Single(await rig.Outbox.DeadLettersAsync(WebhookChannel.ChannelName, 10, CancellationToken.None));
        Assert.Equal(4, dead.Attempts);
        Assert.Contains("HTTP 500", dead.LastError, StringComparison.Ordinal);
        Assert.Contains("4 attempts", dead.LastError, StringComparison.Ordinal);
        Assert.Null(await rig.NextDueInAsync());
    }

    [Fact]
    public async Task An_event_older_than_MaxAge_is_dead_lettered_without_an_attempt()
    {
        await using var rig = new DeliveryRig(Options(o => o.MaxAge = TimeSpan.FromMinutes(5)));
        var raised = await rig.RaiseAsync("long-outage"); // enqueued while the host was not delivering
        rig.Time.Advance(TimeSpan.FromMinutes(6));

        await rig.StartAsync();
        await rig.Counters.WaitForAsync(AlertCounters.DeadLettered, 1);

        Assert.Empty(_receiver.Drain());
        var dead = Assert.Single(await rig.Outbox.FindAsync(AlertCloudEvent.Id(raised), CancellationToken.None));
        Assert.Contains("MaxAge", dead.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliveries_for_a_url_no_longer_configured_are_dead_lettered()
    {
        await using var rig = new DeliveryRig(Options());
        await rig.Outbox.EnqueueAsync(new OutboxMessage("old-1", "sensor", "{}"), WebhookChannel.ChannelName, ["http://127.0.0.1:9/removed"], CancellationToken.None);

        await rig.StartAsync();
        await rig.Counters.WaitForAsync(AlertCounters.DeadLettered, 1);

        var dead = Assert.Single(await rig.Outbox.FindAsync("old-1", CancellationToken.None));
        Assert.Contains("no longer configured", dead.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sensors_events_arrive_in_order_while_the_first_is_retried_and_other_sensors_go_ahead()
    {
        _receiver.Answer = n => new(n == 1 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK);
        await using var rig = new DeliveryRig(Options(o => o.MaxConcurrentDeliveries = 1));
        var a1 = AlertCloudEvent.Id(await rig.RaiseAsync("sensor-a", "first"));
        var a2 = AlertCloudEvent.Id(await rig.RaiseAsync("sensor-a", "second"));
        var b1 = AlertCloudEvent.Id(await rig.RaiseAsync("sensor-b", "first"));

        await rig.StartAsync();
        await rig.Counters.WaitForAsync(AlertCounters.Retried, 1);
        await rig.Counters.WaitForAsync(AlertCounters.Delivered, 1);
        rig.Time.Advance((await rig.NextDueInAsync())!.Value);
        await rig.Counters.WaitForAsync(AlertCounters.Delivered, 3);

        Assert.Equal([(a1, HttpStatusCode.InternalServerError), (b1, HttpStatusCode.OK), (a1, HttpStatusCode.OK), (a2, HttpStatusCode.OK)],
            _receiver.Drain().Select(r => (r.Id, r.Answered)));
    }

    [Fact]
    public async Task Delivered_events_are_deleted_after_the_retention_and_dead_letters_kept()
    {
        _receiver.Answer = n => new(n == 1 ? HttpStatusCode.OK : n == 2 ? HttpStatusCode.Gone : HttpStatusCode.OK);
        await using var rig = new DeliveryRig(Options(o => o.Retention = TimeSpan.FromHours(1)));
        await rig.StartAsync();
        var delivered = AlertCloudEvent.Id(await rig.RaiseAsync("pruned"));
        await rig.Counters.WaitForAsync(AlertCounters.Delivered, 1);
        var refused = AlertCloudEvent.Id(await rig.RaiseAsync("refused"));
        await rig.Counters.WaitForAsync(AlertCounters.DeadLettered, 1);

        rig.Time.Advance(TimeSpan.FromHours(2));
        // Pruning is checked before every lease of a delivery pass; a new event starts one. The prune is awaited by its
        // counter: the pass that delivers "later" may have begun before the clock moved, and prunes on its next lease.
        await rig.RaiseAsync("later");
        await rig.Counters.WaitForAsync(AlertCounters.Delivered, 2);
        await rig.Counters.WaitForAsync(AlertCounters.Pruned, 1);

        Assert.Empty(await rig.Outbox.FindAsync(delivered, CancellationToken.None));
        Assert.Equal(OutboxState.DeadLettered, Assert.Single(await rig.Outbox.FindAsync(refused, CancellationToken.None)).State);
    }
}
