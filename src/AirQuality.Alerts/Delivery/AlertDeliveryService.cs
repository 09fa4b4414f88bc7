using AirQuality.Alerts.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AirQuality.Alerts.Delivery;

/// <summary>
/// The one hosted service of alert delivery: opens the outbox at start, then runs a delivery loop per registered
/// <see cref="IAlertChannel"/> side by side, each leasing only its channel's deliveries and woken by its own signal, so a
/// slow or failing channel never holds another's alerts back.
/// </summary>
public sealed class AlertDeliveryService : BackgroundService
{
    private readonly IAlertOutbox _outbox;
    private readonly AlertDeliveryWorker[] _workers;

    public AlertDeliveryService(
        IEnumerable<IAlertChannel> channels,
        IAlertOutbox outbox,
        AlertDeliverySignals signals,
        AlertMetrics metrics,
        TimeProvider time,
        ILogger<AlertDeliveryService> logger)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(signals);
        IAlertChannel[] all = [.. channels];
        var twice = all.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            // Two loops leasing one channel's rows would send each delivery with the other's destinations and policy.
            throw new InvalidOperationException($"Alert channel names must be unique; registered more than once: {string.Join(", ", twice)}");
        }

        var retention = all.Length == 0 ? TimeSpan.Zero : all.Max(c => c.Delivery.Retention);
        _outbox = outbox;
        _workers = [.. all.Select(c => new AlertDeliveryWorker(c, retention, outbox, signals.For(c.Name), metrics, time, logger))];
    }

    /// <summary>Opens the outbox before anything can publish, so an unusable outbox stops start-up with its location in the message.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _outbox.InitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_workers.Select(w => Task.Run(() => w.RunAsync(stoppingToken), CancellationToken.None)));
}
