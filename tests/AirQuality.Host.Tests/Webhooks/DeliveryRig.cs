using AirQuality.Alerts;
using AirQuality.Alerts.Delivery;
using AirQuality.Alerts.Outbox;
using AirQuality.Alerts.Webhooks;
using AirQuality.Alerts.Webhooks.Hosting;
using AirQuality.Contracts;
using AirQuality.Storage.Local.Hosting;
using AirQuality.Storage.Local.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AirQuality.Host.Tests.Webhooks;

/// <summary>
/// The outbox sink and delivery service with the webhook channel, without a silo: a real outbox on a temp file, a
/// real HttpClient, and a fake clock that only the test moves, so backoff and Retry-After are exact.
/// </summary>
public sealed class DeliveryRig : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("airq-delivery-test-");
    private readonly ServiceProvider _services;
    private bool _started;

    /// <param name="options">The webhook channel's options.</param>
    /// <param name="addServices">More registrations, e.g. a second channel.</param>
    public DeliveryRig(WebhookOptions options, Action<IServiceCollection>? addServices = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddWebhookAlerts()
            // The test's options object as it is, in place of the "Alerts:Webhooks" section.
            .AddSingleton(Options.Create(options))
            .AddSqliteAlertOutbox(o => o.DatabasePath = _directory.Combine(SqliteAlertOutboxOptions.DefaultFileName));
        addServices?.Invoke(services);
        _services = services.BuildServiceProvider();
        Counters = new AlertCounters(_services);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    public AlertCounters Counters { get; }

    public IAlertOutbox Outbox => _services.GetRequiredService<IAlertOutbox>();

    public OutboxAlertSink Sink => _services.GetRequiredService<OutboxAlertSink>();

    private AlertDeliveryService Delivery => _services.GetServices<IHostedService>().OfType<AlertDeliveryService>().Single();

    public Task StartAsync()
    {
        var delivery = Delivery; // a service that cannot be made was never started, and is not stopped
        _started = true;
        return delivery.StartAsync(CancellationToken.None);
    }

    /// <summary>An alert raised for <paramref name="sensorId"/> now (by the fake clock), published through the sink.</summary>
    public async Task<AlertEvent> RaiseAsync(string sensorId, string rule = "pm25-high")
    {
        var at = Time.GetUtcNow();
        var alert = new AlertView($"{sensorId}/{rule}/{at.UtcTicks}", sensorId, rule, AlertStateView.Active, "warning", at, null, null, 150, "PM2.5 over 100");
        var raised = new AlertEvent("raised", alert, at);
        await Sink.PublishAsync(raised, CancellationToken.None);
        return raised;
    }

    /// <summary>How long until the next delivery is due, by the fake clock.</summary>
    public async Task<TimeSpan?> NextDueInAsync() =>
        await Outbox.NextDueAsync(WebhookChannel.ChannelName, CancellationToken.None) - Time.GetUtcNow();

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await Delivery.StopAsync(CancellationToken.None);
        }

        Counters.Dispose();
        await _services.DisposeAsync();
        _directory.Dispose();
    }
}
