using AirQuality.Contracts;

namespace AirQuality.Grains.Live;

/// <summary>
/// The cluster-wide alert feed (key 0). It holds nothing durable: a watcher that misses its renewal, or
/// that watched when this grain moved, is back within <see cref="LiveFeed.RenewEvery"/>.
/// </summary>
[GrainType("livealerts")]
public sealed class LiveAlertsGrain(TimeProvider time) : Grain, ILiveAlertsGrain
{
    private readonly LiveWatchers _watchers = new();

    public Task Watch(ILiveFeedObserver observer)
    {
        _watchers.Watch(observer, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task Publish(AlertEvent alertEvent)
    {
        _watchers.Send(alertEvent, time.GetUtcNow());
        return Task.CompletedTask;
    }
}
