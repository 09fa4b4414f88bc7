using AirQuality.Contracts;

namespace AirQuality.Gateway.Data;

/// <summary>Sensor views as they change, for sensorUpdated subscriptions (by default the cluster's live feed).</summary>
public interface ISensorUpdateSource
{
    /// <summary>
    /// The sensor's new view each time it changes from now on, until the token is cancelled. The watch is in
    /// place by the time the first MoveNextAsync has started waiting.
    /// </summary>
    IAsyncEnumerable<SensorView> SubscribeAsync(string sensorId, CancellationToken cancellationToken);
}
