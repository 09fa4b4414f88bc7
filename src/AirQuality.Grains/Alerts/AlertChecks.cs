using AirQuality.Contracts;
using Microsoft.Extensions.Logging;

namespace AirQuality.Grains.Alerts;

/// <summary>One tick of the alert clock: checks the sensors of every minute that has come.</summary>
public static partial class AlertChecks
{
    /// <summary>Checks in flight at once: enough to keep the silo busy, few enough not to crowd out ingest.</summary>
    private const int Parallelism = 32;

    /// <summary>Minutes taken per tick; a backlog is worked off over the following ticks.</summary>
    private const int MinutesPerTick = 10;

    /// <summary>
    /// Leases the due minutes, checks each one's sensors, and only then tells the minute and the clock
    /// they are done: a crash midway checks some sensors twice (which changes nothing), never none.
    /// Returns how many sensors were checked.
    /// </summary>
    public static async Task<int> RunDueAsync(IGrainFactory grains, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var clock = grains.GetGrain<IAlertClockGrain>(0);
        var checkedSensors = 0;
        foreach (var minute in await clock.LeaseDue(MinutesPerTick))
        {
            var due = grains.GetGrain<IAlertDueGrain>(minute);
            var sensors = await due.Sensors();
            await Parallel.ForEachAsync(sensors, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (id, _) =>
            {
                try
                {
                    await grains.GetGrain<ISensorGrain>(id).CheckAlerts();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One sensor's failure must not hold up the others' alerts; it is checked again when it reports.
                    LogCheckFailed(logger, ex, id);
                }
            });
            checkedSensors += sensors.Count;
            if (await due.Remove(sensors) == 0)
            {
                await clock.Done(minute);
            }
        }

        return checkedSensors;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert check of sensor {SensorId} failed")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string sensorId);
}
