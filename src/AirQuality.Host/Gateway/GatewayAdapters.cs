using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Gateway.Data;
using AirQuality.Grains;
using AirQuality.Grains.Alerts;
using AirQuality.Grains.Index;
using AirQuality.Host.Alerts;

namespace AirQuality.Host.Gateway;

/// <summary>The gateway's list queries, answered by the same directory as GET /api/v1/sensors.</summary>
internal sealed class DirectorySensorQuery(IGrainFactory grains) : ISensorDirectoryQuery
{
    private readonly SensorDirectory _directory = new(grains);

    public Task<SensorPage> FindAsync(SensorQuery query, CancellationToken cancellationToken) => _directory.FindAsync(query, cancellationToken);

    public string CursorOf(SensorQuery query, string sensorId) => SensorCursor.Encode(query, sensorId);
}

/// <summary>The gateway's alertChanged feed: the host's in-process alert feed.</summary>
internal sealed class AlertFeedEventSource(AlertFeed feed) : IAlertEventSource
{
    public IAsyncEnumerable<AlertEvent> SubscribeAsync(CancellationToken cancellationToken) => feed.SubscribeAsync(cancellationToken);
}

/// <summary>The gateway's sensorUpdated feed: the silo's in-process sensor change feed.</summary>
internal sealed class ChangeFeedUpdateSource(SensorChangeFeed feed) : ISensorUpdateSource
{
    public IAsyncEnumerable<string> SubscribeAsync(string sensorId, CancellationToken cancellationToken) => feed.SubscribeAsync(sensorId, cancellationToken);
}

/// <summary>The gateway's alerts listing across sensors: the cluster's open-alerts index.</summary>
internal sealed class OpenAlertDirectoryQuery(IGrainFactory grains) : IAlertDirectoryQuery
{
    private readonly OpenAlertDirectory _directory = new(grains);

    public Task<AlertPage> ListAsync(string? sensorId, AlertStateView? state, int first, string? after, CancellationToken cancellationToken) =>
        _directory.ListAsync(sensorId, state, first, after, cancellationToken);

    public string CursorOf(string? sensorId, AlertStateView? state, AlertView alert) => OpenAlertDirectory.CursorOf(sensorId, state, alert);
}
