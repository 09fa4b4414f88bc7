using AirQuality.Alerts.Delivery;
using AirQuality.Alerts.Outbox;
using AirQuality.Contracts;
using Microsoft.Extensions.Logging;

namespace AirQuality.Alerts;

/// <summary>
/// Sends alert changes to every registered <see cref="IAlertChannel"/> as CloudEvents 1.0 through the durable alert
/// outbox. Publishing writes the event once per destination of each channel to the outbox and returns when those writes
/// are on disk, so a sensor's await means "will be delivered"; the <see cref="AlertDeliveryService"/> then hands it to
/// the channel, retrying with backoff across receiver outages and host restarts.
/// </summary>
/// <remarks>
/// Delivery is at-least-once: a host stopped between a destination's acceptance and the outbox recording it sends that
/// event again after the restart. The CloudEvent (its id included) is serialised once, at enqueue, and sent byte for byte
/// the same on every attempt and by every channel, so receivers dedupe on <c>id</c>. A channel without destinations gets
/// nothing. The channels are written side by side and one's failure does not keep the event from the others; the
/// publish still fails then, so the sensor logs the loss.
/// </remarks>
public sealed partial class OutboxAlertSink : IAlertSink
{
    private readonly IAlertOutbox _outbox;
    private readonly AlertDeliverySignals _signals;
    private readonly AlertMetrics _metrics;
    private readonly ILogger<OutboxAlertSink> _logger;
    private readonly (string Name, string[] Destinations)[] _channels;

    public OutboxAlertSink(IEnumerable<IAlertChannel> channels, IAlertOutbox outbox, AlertDeliverySignals signals, AlertMetrics metrics, ILogger<OutboxAlertSink> logger)
    {
        ArgumentNullException.ThrowIfNull(channels);
        _outbox = outbox;
        _signals = signals;
        _metrics = metrics;
        _logger = logger;
        _channels = [.. channels
            .Select(c => (c.Name, Destinations: c.Destinations.Distinct(StringComparer.Ordinal).ToArray()))
            .Where(c => c.Destinations.Length > 0)];
    }

    public async ValueTask PublishAsync(AlertEvent alertEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        if (_channels.Length == 0)
        {
            return;
        }

        var cloudEvent = AlertCloudEvent.From(alertEvent);
        var message = new OutboxMessage(cloudEvent.Id, alertEvent.Alert.SensorId, AlertCloudEvent.ToJson(cloudEvent));
        await Task.WhenAll(_channels.Select(c => EnqueueAsync(message, c.Name, c.Destinations, cancellationToken)));
    }

    private async Task EnqueueAsync(OutboxMessage message, string channel, string[] destinations, CancellationToken cancellationToken)
    {
        try
        {
            await _outbox.EnqueueAsync(message, channel, destinations, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotStored(e, message.EventId, channel);
            throw;
        }

        _metrics.Enqueued(channel, destinations.Length);
        _signals.For(channel).Pulse();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert event {EventId} could not be written to the outbox and will not be delivered over {Channel}")]
    private partial void LogNotStored(Exception exception, string eventId, string channel);
}
