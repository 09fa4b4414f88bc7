using Orleans.Concurrency;

namespace AirQuality.Contracts;

/// <summary>
/// A process that serves live subscriptions (a GraphQL gateway, in a silo or in its own app as an Orleans
/// client). It watches sensors and the alert feed; they push changes to it, one way, so a slow or vanished
/// watcher never holds up a sensor.
/// </summary>
[Alias("aq.live.ILiveFeedObserver")]
public interface ILiveFeedObserver : IGrainObserver
{
    /// <summary>A watched sensor's view changed (readings applied, a registration, an alert transition).</summary>
    [OneWay]
    [Alias("SensorChanged")]
    Task SensorChanged(SensorView view);

    /// <summary>An alert was raised, re-notified, acknowledged or cleared somewhere in the cluster.</summary>
    [OneWay]
    [Alias("AlertChanged")]
    Task AlertChanged(AlertEvent alertEvent);
}

/// <summary>
/// The cluster-wide alert feed (key 0): every silo's alert publisher posts each transition here, and it
/// passes them on to the watching gateways. Alerts are rare next to readings, so one grain carries them all.
/// </summary>
[Alias("aq.live.ILiveAlertsGrain")]
public interface ILiveAlertsGrain : IGrainWithIntegerKey
{
    /// <summary>Starts or renews a watch, held for <see cref="LiveFeed.Lease"/>.</summary>
    [Alias("Watch")]
    Task Watch(ILiveFeedObserver observer);

    [OneWay]
    [Alias("Publish")]
    Task Publish(AlertEvent alertEvent);
}

/// <summary>
/// How long watches last. A watcher renews every <see cref="RenewEvery"/>, well inside its lease, and
/// stops watching by no longer renewing (there is no unwatch message that could overtake a later watch).
/// </summary>
public static class LiveFeed
{
    /// <summary>
    /// A watch not renewed within this long is dropped: a gateway that went away without saying so stops
    /// costing messages. Watches live in memory only, so renewal also re-establishes them after a sensor's
    /// grain moved or was reactivated.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(3);

    public static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);
}
