using AirQuality.Contracts;
using AirQuality.Domain.Alerts;
using Microsoft.Extensions.Logging;

namespace AirQuality.Grains.Alerts;

/// <summary>
/// Hands a sensor's alert transitions to every <see cref="IAlertSink"/>, and logs them. One per silo,
/// shared by all sensor grains (a list of sinks per activation would cost every sensor its own array).
/// </summary>
public sealed partial class AlertPublisher(IEnumerable<IAlertSink> sinks, ILogger<AlertPublisher> logger)
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
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Kind}: rule {Rule} on sensor {SensorId}: {Message}")]
    private partial void LogAlert(string kind, string rule, string sensorId, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert sink {Sink} lost the {Kind} event of alert {AlertId}")]
    private partial void LogSinkFailed(Exception exception, string sink, string alertId, string kind);
}
