namespace AirQuality.Gateway.Data;

/// <summary>The ids of sensors whose view changed, for sensorUpdated subscriptions. None is registered by default.</summary>
public interface ISensorUpdateSource
{
    /// <summary>Ids of changed sensors from now on, until the token is cancelled.</summary>
    IAsyncEnumerable<string> SubscribeAsync(CancellationToken cancellationToken);
}
