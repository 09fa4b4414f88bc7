using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Gateway.Data;

namespace AirQuality.Gateway.Cluster;

/// <summary>List queries over the cluster's sensor index: the same directory GET /api/v1/sensors answers from.</summary>
internal sealed class ClusterSensorQuery(IGrainFactory grains) : ISensorDirectoryQuery
{
    private readonly SensorDirectory _directory = new(grains);

    public Task<SensorPage> FindAsync(SensorQuery query, CancellationToken cancellationToken) => _directory.FindAsync(query, cancellationToken);

    public string CursorOf(SensorQuery query, string sensorId) => SensorCursor.Encode(query, sensorId);
}

/// <summary>Alerts across sensors: the cluster's open-alerts index.</summary>
internal sealed class ClusterAlertQuery(IGrainFactory grains) : IAlertDirectoryQuery
{
    private readonly OpenAlertDirectory _directory = new(grains);

    public Task<AlertPage> ListAsync(string? sensorId, AlertStateView? state, int first, string? after, CancellationToken cancellationToken) =>
        _directory.ListAsync(sensorId, state, first, after, cancellationToken);

    public string CursorOf(string? sensorId, AlertStateView? state, AlertView alert) => OpenAlertDirectory.CursorOf(sensorId, state, alert);
}
