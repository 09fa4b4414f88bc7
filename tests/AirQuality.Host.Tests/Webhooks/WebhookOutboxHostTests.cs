using System.Net;
using System.Text;
using AirQuality.Alerts.Outbox;
using AirQuality.Storage.Local.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Host.Tests.Webhooks;

/// <summary>
/// The real host with its outbox and a scripted receiver: retries, refusals, and an alert raised while the
/// receiver is down that reaches it after the host restarted. Backoffs are tiny; waits end on what the
/// receiver saw or the delivery loop counted, never on a sleep.
/// </summary>
public sealed class WebhookOutboxHostTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private Dictionary<string, string> Settings() => new(HostSettings.Pm25HighRule(severity: null))
    {
        ["Alerts:Webhooks:Urls:0"] = _receiver.Url.AbsoluteUri,
        ["Alerts:Webhooks:InitialBackoff"] = "00:00:00.010",
        ["Alerts:Webhooks:MaxBackoff"] = "00:00:00.050",
    };

    [Fact]
    public async Task A_webhook_failing_twice_gets_the_event_once_after_two_retries()
    {
        _receiver.Answer = n => new(n <= 2 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK);
        await using var host = new HostFactory(HostFactory.NewDataDirectory(), Settings());
        using var counters = new AlertCounters(host.Services);

        await RaiseAlertAsync(host, "retry-twice");
        await counters.WaitForAsync(AlertCounters.Delivered, 1);

        var requests = _receiver.Drain();
        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK], requests.Select(r => r.Answered));
        var id = Assert.Single(requests.Select(r => r.Id).Distinct());
        Assert.Equal((1, 2, 0), (counters[AlertCounters.Delivered], counters[AlertCounters.Retried], counters[AlertCounters.DeadLettered]));
        var record = Assert.Single(await Outbox(host).FindAsync(id, CancellationToken.None));
        Assert.Equal((OutboxState.Delivered, 3), (record.State, record.Attempts));
    }

    [Fact]
    public async Task A_webhook_refusing_with_400_dead_letters_the_event_at_once_with_the_status()
    {
        _receiver.Answer = _ => new(HttpStatusCode.BadRequest);
        await using var host = new HostFactory(HostFactory.NewDataDirectory(), Settings());
        using var counters = new AlertCounters(host.Services);

        await RaiseAlertAsync(host, "refused");
        await counters.WaitForAsync(AlertCounters.DeadLettered, 1);

        var request = Assert.Single(_receiver.Drain());
        Assert.Equal((0, 0), (counters[AlertCounters.Delivered], counters[AlertCounters.Retried]));
        var dead = Assert.Single(await Outbox(host).DeadLettersAsync("webhook", 10, CancellationToken.None));
        Assert.Equal((request.Id, OutboxState.DeadLettered, 1), (dead.EventId, dead.State, dead.Attempts));
        Assert.Contains("400", dead.LastError, StringComparison.Ordinal);
        Assert.Equal(new OutboxCounts(0, 0, 1), await Outbox(host).CountAsync("webhook", CancellationToken.None));
    }

    [Fact]
    public async Task An_alert_raised_while_the_receiver_is_down_is_delivered_after_a_host_restart_with_the_same_id()
    {
        var data = HostFactory.NewDataDirectory();
        _receiver.Answer = _ => new(HttpStatusCode.ServiceUnavailable);
        WebhookRequest refused;
        await using (var first = new HostFactory(data, Settings()))
        {
            await RaiseAlertAsync(first, "across-restart");
            refused = await _receiver.NextAsync();
        } // stopped with the event undelivered

        Assert.Equal("org.airquality.alert.raised", refused.Type);
        await using var second = new HostFactory(data, Settings());
        using var counters = new AlertCounters(second.Services); // the receiver is still down: nothing delivered yet
        _receiver.Answer = _ => new(HttpStatusCode.OK);
        await counters.WaitForAsync(AlertCounters.Delivered, 1);

        var delivered = Assert.Single(_receiver.Drain(), r => r.Answered == HttpStatusCode.OK);
        Assert.Equal(refused.Id, delivered.Id);
        Assert.Equal(refused.Body.GetRawText(), delivered.Body.GetRawText());
        var record = Assert.Single(await Outbox(second).FindAsync(refused.Id, CancellationToken.None));
        Assert.Equal(OutboxState.Delivered, record.State);
        Assert.True(record.Attempts >= 2, $"attempts: {record.Attempts}");
    }

    [Fact]
    public async Task An_unusable_alert_outbox_stops_start_up_naming_the_file()
    {
        var data = HostFactory.NewDataDirectory();
        var path = Path.Combine(data, SqliteAlertOutboxOptions.DefaultFileName);
        await File.WriteAllTextAsync(path, "this is not a SQLite database, and it is long enough to have a header.");
        using var host = new HostFactory(data, Settings());

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains(path, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("cannot be used", error.ToString(), StringComparison.Ordinal);
    }

    private static IAlertOutbox Outbox(HostFactory host) => host.Services.GetRequiredService<IAlertOutbox>();

    /// <summary>Posts a PM2.5 reading over the rule's threshold; the answer comes after the alert is in the outbox.</summary>
    private static async Task RaiseAlertAsync(HostFactory host, string sensorId)
    {
        using var client = host.CreateClient();
        await ReadingPosts.PostReadingAsync(client, sensorId, DateTimeOffset.UtcNow.AddMinutes(-1), 150);
    }
}
