using AirQuality.Contracts;

namespace AirQuality.Gateway.Data;

/// <summary>The live feed of alert changes that alertChanged subscriptions read (the host adapts its alert feed).</summary>
public interface IAlertEventSource
{
    /// <summary>Changes from now on, until the token is cancelled.</summary>
    IAsyncEnumerable<AlertEvent> SubscribeAsync(CancellationToken cancellationToken);
}
