using AirQuality.Domain.Readings;

namespace AirQuality.Gateway.Data;

/// <summary>Alert ids are "{sensorId}/{rule}/{ticks}"; the sensor part routes a mutation to the grain that owns the alert.</summary>
public static class AlertId
{
    /// <summary>The sensor id of an alert id, or null when the id is not shaped like one.</summary>
    public static string? SensorOf(string alertId)
    {
        ArgumentNullException.ThrowIfNull(alertId);
        var slash = alertId.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return null;
        }

        var sensorId = alertId[..slash];
        return SensorId.IsValid(sensorId) ? sensorId : null;
    }
}
