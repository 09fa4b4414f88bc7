using AirQuality.Contracts;
using Microsoft.Extensions.Logging;

namespace AirQuality.Grains;

/// <summary>
/// Tells the silo's <see cref="ISensorChangeSink"/>s that a sensor changed. One per silo, shared by all
/// sensor grains (like the alert publisher: a list of sinks per activation would cost every sensor its own
/// array); with no sink registered a notification is one length check.
/// </summary>
public sealed partial class SensorChangeNotifier(IEnumerable<ISensorChangeSink> sinks, ILogger<SensorChangeNotifier> logger)
{
    private readonly ISensorChangeSink[] _sinks = [.. sinks];

    public ValueTask NotifyAsync(string sensorId)
    {
        if (_sinks.Length == 0)
        {
            return ValueTask.CompletedTask;
        }

        if (_sinks.Length == 1)
        {
            // The usual case (the in-process feed) without an async state machine.
            try
            {
                var pending = _sinks[0].SensorChangedAsync(sensorId, CancellationToken.None);
                return pending.IsCompletedSuccessfully ? ValueTask.CompletedTask : AwaitOneAsync(pending, _sinks[0], sensorId);
            }
            catch (Exception ex)
            {
                LogSinkFailed(ex, _sinks[0].GetType().Name, sensorId);
                return ValueTask.CompletedTask;
            }
        }

        return NotifyAllAsync(sensorId);
    }

    private async ValueTask AwaitOneAsync(ValueTask pending, ISensorChangeSink sink, string sensorId)
    {
        try
        {
            await pending;
        }
        catch (Exception ex)
        {
            LogSinkFailed(ex, sink.GetType().Name, sensorId);
        }
    }

    private async ValueTask NotifyAllAsync(string sensorId)
    {
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.SensorChangedAsync(sensorId, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // A live view missing one update is not worth refusing readings that are already applied.
                LogSinkFailed(ex, sink.GetType().Name, sensorId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor change sink {Sink} failed for sensor {SensorId}")]
    private partial void LogSinkFailed(Exception exception, string sink, string sensorId);
}
