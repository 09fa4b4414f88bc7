using System.Text.Json;
using AirQuality.Contracts;
using AirQuality.Alerts.Outbox;
using Microsoft.Extensions.Options;

namespace AirQuality.Host.Alerts;

/// <summary>
/// Sends alert changes to webhooks as CloudEvents 1.0 (application/cloudevents+json) through the durable
/// alert outbox. Publishing writes the event once per configured URL to the outbox and returns when that
/// write is on disk, so a sensor's await means "will be delivered"; the <see cref="WebhookDeliveryService"/>
/// then POSTs it, retrying with backoff across receiver outages and host restarts.
/// </summary>
/// <remarks>
/// Delivery is at-least-once: a host stopped between a receiver's 2xx and the outbox recording it sends that
/// event again after the restart. The CloudEvent (its id included) is serialized once, at enqueue, and sent
/// byte for byte the same on every attempt, so receivers dedupe on <c>id</c>. With no URLs configured nothing
/// is enqueued.
/// </remarks>
public sealed partial class WebhookAlertSink : IAlertSink
{
    /// <summary>The outbox channel of webhook deliveries; a destination is a URL (<see cref="Uri.AbsoluteUri"/>).</summary>
    public const string Channel = "webhook";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IAlertOutbox _outbox;
    private readonly AlertDeliverySignal _signal;
    private readonly AlertMetrics _metrics;
    private readonly ILogger<WebhookAlertSink> _logger;
    private readonly string[] _destinations;

    public WebhookAlertSink(IAlertOutbox outbox, AlertDeliverySignal signal, AlertMetrics metrics, IOptions<WebhookOptions> options, ILogger<WebhookAlertSink> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _signal = signal;
        _metrics = metrics;
        _logger = logger;
        _destinations = Destinations(options.Value);
    }

    /// <summary>The outbox destinations of the configured URLs, each once.</summary>
    public static string[] Destinations(WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Urls.Select(u => u.AbsoluteUri).Distinct(StringComparer.Ordinal).ToArray();
    }

    public async ValueTask PublishAsync(AlertEvent alertEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        if (_destinations.Length == 0)
        {
            return;
        }

        var id = CloudEventId(alertEvent);
        var message = new OutboxMessage(id, alertEvent.Alert.SensorId, JsonSerializer.Serialize(ToCloudEvent(alertEvent), Json));
        try
        {
            await _outbox.EnqueueAsync(message, Channel, _destinations, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotStored(e, id);
            throw;
        }

        _metrics.Enqueued(Channel, _destinations.Length);
        _signal.Pulse();
    }

    /// <summary>The CloudEvent id: the same for the same alert change, whenever and however often it is sent.</summary>
    public static string CloudEventId(AlertEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return $"{e.Alert.Id}/{e.Kind}/{e.At.UtcTicks}";
    }

    /// <summary>The CloudEvents 1.0 structured-mode envelope of an alert change.</summary>
    public static object ToCloudEvent(AlertEvent e) => new Dictionary<string, object?>
    {
        ["specversion"] = "1.0",
        ["type"] = $"org.airquality.alert.{e.Kind}",
        ["source"] = $"/sensors/{Uri.EscapeDataString(e.Alert.SensorId)}",
        ["subject"] = e.Alert.Rule,
        ["id"] = CloudEventId(e),
        ["time"] = e.At.UtcDateTime.ToString("O"),
        ["datacontenttype"] = "application/json",
        ["data"] = e.Alert,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert event {EventId} could not be written to the outbox and will not be delivered to the webhooks")]
    private partial void LogNotStored(Exception exception, string eventId);
}
