namespace AirQuality.Gateway.Data;

/// <summary>The ids of sensors whose view changed, for sensorUpdated subscriptions. None is registered by default.</summary>
public interface ISensorUpdateSource
{
    /// <summary>The sensor's id each time it changes from now on, until the token is cancelled.</summary>
    IAsyncEnumerable<string> SubscribeAsync(string sensorId, CancellationToken cancellationToken);
}
