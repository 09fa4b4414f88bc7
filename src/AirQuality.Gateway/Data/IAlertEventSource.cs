using AirQuality.Contracts;

namespace AirQuality.Gateway.Data;

/// <summary>The live feed of alert changes that alertChanged subscriptions read (by default the cluster's).</summary>
public interface IAlertEventSource
{
    /// <summary>Makes sure alert changes reach this process, and completes once they do.</summary>
    Task WatchAsync(CancellationToken cancellationToken);

    /// <summary>Changes from now on, until the token is cancelled.</summary>
    IAsyncEnumerable<AlertEvent> SubscribeAsync(CancellationToken cancellationToken);
}
