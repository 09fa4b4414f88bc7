using AirQuality.Contracts;
using AirQuality.Domain.Alerts;
using Microsoft.Extensions.Logging;

namespace AirQuality.Grains.Alerts;

/// <summary>
/// Hands a sensor's alert transitions to every <see cref="IAlertSink"/>, keeps the cluster's open-alerts
/// index (<see cref="IOpenAlertsGrain"/>) up to date, posts them to the live feed for subscriptions
/// (<see cref="ILiveAlertsGrain"/>), and logs them. One per silo, shared by all sensor
/// grains (a list of sinks per activation would cost every sensor its own array).
/// </summary>
public sealed partial class AlertPublisher(IEnumerable<IAlertSink> sinks, IGrainFactory grains, ILogger<AlertPublisher> logger)
{
    private readonly IAlertSink[] _sinks = [.. sinks];

    public async Task PublishAsync(IReadOnlyList<AlertTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        foreach (var transition in transitions)
        {
            var alertEvent = new AlertEvent(transition.Kind.ToString().ToLowerInvariant(), SensorViews.Of(transition.Alert), transition.At);
            LogAlert(alertEvent.Kind, alertEvent.Alert.Rule, alertEvent.Alert.SensorId, alertEvent.Alert.Message);
            foreach (var sink in _sinks)
            {
                try
                {
                    await sink.PublishAsync(alertEvent, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    // The readings are applied and archived: failing the sensor's call would refuse them for nothing.
                    LogSinkFailed(ex, sink.GetType().Name, alertEvent.Alert.Id, alertEvent.Kind);
                }
            }

            await UpdateOpenAlertsAsync(transition.Kind, alertEvent.Alert);
            PublishLive(alertEvent);
        }
    }

    /// <summary>Every transition is upserted: the shard keeps open alerts, and cleared ones for a while.</summary>
    private async Task UpdateOpenAlertsAsync(AlertTransitionKind kind, AlertView alert)
    {
        try
        {
            var shard = grains.GetGrain<IOpenAlertsGrain>(OpenAlertShards.Of(alert.SensorId));
            await shard.Upsert(alert);
        }
        catch (Exception ex)
        {
            // The alert itself is kept by its sensor and sent to the sinks; only the cluster-wide list misses it.
            LogIndexFailed(ex, alert.Id, kind.ToString());
        }
    }

    private void PublishLive(AlertEvent alertEvent)
    {
        try
        {
            // One-way: the sensor does not wait for the feed, let alone for the gateways behind it.
            _ = grains.GetGrain<ILiveAlertsGrain>(0).Publish(alertEvent);
        }
        catch (Exception ex)
        {
            LogLiveFailed(ex, alertEvent.Alert.Id, alertEvent.Kind);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The live alert feed missed the {Kind} of alert {AlertId}")]
    private partial void LogLiveFailed(Exception exception, string alertId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Kind}: rule {Rule} on sensor {SensorId}: {Message}")]
    private partial void LogAlert(string kind, string rule, string sensorId, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "The open-alerts index missed the {Kind} of alert {AlertId}")]
    private partial void LogIndexFailed(Exception exception, string alertId, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert sink {Sink} lost the {Kind} event of alert {AlertId}")]
    private partial void LogSinkFailed(Exception exception, string sink, string alertId, string kind);
}
