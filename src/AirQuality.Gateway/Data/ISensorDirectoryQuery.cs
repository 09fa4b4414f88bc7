using AirQuality.Contracts.Index;

namespace AirQuality.Gateway.Data;

/// <summary>
/// List queries over the sensor index (what GET /api/v1/sensors answers). The host implements it over its
/// directory, so the gateway shares the index's query planning and cursors instead of copying them.
/// </summary>
public interface ISensorDirectoryQuery
{
    /// <summary>One page; throws <see cref="SensorQueryException"/> for a query the caller must fix.</summary>
    Task<SensorPage> FindAsync(SensorQuery query, CancellationToken cancellationToken);

    /// <summary>The cursor of one item of <paramref name="query"/>'s results (for Relay edges).</summary>
    string CursorOf(SensorQuery query, string sensorId);
}
