using AirQuality.Contracts;

namespace AirQuality.Gateway.Data;

/// <summary>Open alerts across sensors (Query.alerts without a sensor id), newest raised first, by opaque cursor.</summary>
public interface IAlertDirectoryQuery
{
    /// <exception cref="ArgumentException">A bad sensor id or cursor, or a state the directory does not hold (CLEARED).</exception>
    Task<AlertPage> ListAsync(string? sensorId, AlertStateView? state, int first, string? after, CancellationToken cancellationToken);

    /// <summary>The cursor that continues the same listing after this alert.</summary>
    string CursorOf(string? sensorId, AlertStateView? state, AlertView alert);
}
