using AirQuality.Contracts;

namespace AirQuality.Gateway.Data;

/// <summary>Sensor views as they change, for sensorUpdated subscriptions (by default the cluster's live feed).</summary>
public interface ISensorUpdateSource
{
    /// <summary>
    /// Makes sure the sensor's changes reach this process, and completes once they do: a subscription set up
    /// after this misses nothing that changes afterwards (the transport answers the client's next message
    /// only then).
    /// </summary>
    Task WatchAsync(string sensorId, CancellationToken cancellationToken);

    /// <summary>The sensor's new view each time it changes from now on, until the token is cancelled.</summary>
    IAsyncEnumerable<SensorView> SubscribeAsync(string sensorId, CancellationToken cancellationToken);
}
