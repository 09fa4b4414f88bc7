using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AirQuality.Contracts;
using AirQuality.Gateway.Data;
using Microsoft.Extensions.Logging;

namespace AirQuality.Gateway.Cluster;

/// <summary>
/// The live feeds of one gateway process, from the whole cluster. The process has one observer; a sensor
/// is watched (<see cref="ISensorGrain.Watch"/>) while at least one subscriber here wants it, and the alert
/// feed (<see cref="ILiveAlertsGrain"/>) while anyone wants alerts, so a thousand browsers on one sensor
/// cost the sensor one message per change. Watches are renewed every <see cref="LiveFeed.RenewEvery"/>,
/// which also re-establishes them on a sensor whose grain moved; one nobody wants lapses with its lease. The same code serves a gateway mounted in
/// a silo and a gateway running on its own as an Orleans client.
/// </summary>
public sealed partial class ClusterLiveFeed : ISensorUpdateSource, IAlertEventSource, IDisposable
{
    /// <summary>
    /// Views queued per subscriber: only the newest matter, so a subscriber that falls behind loses the
    /// oldest. Alert events are each worth keeping, so their queue is longer.
    /// </summary>
    private const int ViewsPerSubscriber = 16;

    private const int AlertsPerSubscriber = 1_000;

    /// <summary>Watches renewed at once; a gateway watching thousands of sensors renews them in rounds.</summary>
    private const int RenewInParallel = 64;

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterLiveFeed> _logger;
    private readonly Receiver _receiver;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Watched<SensorView>> _sensors = new(StringComparer.Ordinal);
    private Watched<AlertEvent>? _alerts;
    private ILiveFeedObserver? _reference;
    private ITimer? _renewal;

    public ClusterLiveFeed(IGrainFactory grains, TimeProvider time, ILogger<ClusterLiveFeed> logger)
    {
        _grains = grains;
        _time = time;
        _logger = logger;
        _receiver = new Receiver(this);
    }

    public Task WatchAsync(string sensorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sensorId);
        return StartedAsync(() => SensorWatch(sensorId), () => WatchSensor(sensorId), cancellationToken);
    }

    public IAsyncEnumerable<SensorView> SubscribeAsync(string sensorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sensorId);
        return ReadAsync(() => SensorWatch(sensorId), () => WatchSensor(sensorId), cancellationToken);
    }

    Task IAlertEventSource.WatchAsync(CancellationToken cancellationToken) =>
        StartedAsync(AlertWatch, WatchAlerts, cancellationToken);

    IAsyncEnumerable<AlertEvent> IAlertEventSource.SubscribeAsync(CancellationToken cancellationToken) =>
        ReadAsync(AlertWatch, WatchAlerts, cancellationToken);

    /// <summary>Renews every watch now (the timer does this every <see cref="LiveFeed.RenewEvery"/>).</summary>
    public async Task RenewAsync()
    {
        string[] sensors;
        bool alerts;
        lock (_gate)
        {
            // A watch nobody here wants any more is not renewed: its lease ends it. (An explicit unwatch could
            // overtake a new subscriber's watch of the same sensor; a lease cannot.)
            foreach (var (id, watched) in _sensors)
            {
                if (watched.Count == 0)
                {
                    _sensors.Remove(id);
                }
            }

            if (_alerts is { Count: 0 })
            {
                _alerts = null;
            }

            sensors = [.. _sensors.Keys];
            alerts = _alerts is not null;
        }

        if (alerts)
        {
            await RenewOneAsync(AlertFeed.Watch(Reference), "alerts");
        }

        foreach (var round in sensors.Chunk(RenewInParallel))
        {
            await Task.WhenAll(round.Select(id => RenewOneAsync(_grains.GetGrain<ISensorGrain>(id).Watch(Reference), id)));
        }
    }

    public void Dispose()
    {
        // The observer reference is not deleted: the feed lives as long as its process, and at shutdown the
        // silo's or client's runtime may already be gone. Watches lapse with their leases.
        _renewal?.Dispose();
    }

    private ILiveAlertsGrain AlertFeed => _grains.GetGrain<ILiveAlertsGrain>(0);

    // The join functions run under the lock.
    private Watched<AlertEvent> AlertWatch() => _alerts ??= new Watched<AlertEvent>(AlertsPerSubscriber);

    private Watched<SensorView> SensorWatch(string sensorId) =>
        _sensors.TryGetValue(sensorId, out var watched) ? watched : _sensors[sensorId] = new Watched<SensorView>(ViewsPerSubscriber);

    private Task WatchSensor(string sensorId) => _grains.GetGrain<ISensorGrain>(sensorId).Watch(Reference);

    private Task WatchAlerts() => AlertFeed.Watch(Reference);

    private ILiveFeedObserver Reference
    {
        get
        {
            lock (_gate)
            {
                // Created on first use: in the embedded host the grain factory works only once the silo runs.
                _reference ??= _grains.CreateObjectReference<ILiveFeedObserver>(_receiver);
                _renewal ??= _time.CreateTimer(_ => _ = RenewAsync(), null, LiveFeed.RenewEvery, LiveFeed.RenewEvery);
                return _reference;
            }
        }
    }

    /// <summary>Waits for the shared watch, asking for it when nobody has yet (or the last request failed).</summary>
    private Task StartedAsync<T>(Func<Watched<T>> join, Func<Task> watch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Start(join(), watch).WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// One subscriber's reads: joins the shared watch and waits until it is in place, so events flow once
    /// the enumeration has begun. The first subscriber, or the first after the watch lapsed or failed, asks
    /// for it; the others wait on the same request.
    /// </summary>
    private async IAsyncEnumerable<T> ReadAsync<T>(Func<Watched<T>> join, Func<Task> watch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Watched<T> watched;
        Channel<T> subscriber;
        Task started;
        lock (_gate)
        {
            watched = join();
            subscriber = watched.Add();
            started = Start(watched, watch);
        }

        try
        {
            await started.WaitAsync(cancellationToken);
            await foreach (var item in subscriber.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            lock (_gate)
            {
                // The last one out leaves the watch to lapse; the next one in asks again.
                if (watched.Remove(subscriber) == 0)
                {
                    watched.Started = null;
                }
            }
        }
    }

    /// <summary>Under the lock: the watch request in flight or done, or a new one.</summary>
    private static Task Start<T>(Watched<T> watched, Func<Task> watch)
    {
        if (watched.Started is null || watched.Started.IsFaulted || watched.Started.IsCanceled)
        {
            watched.Started = watch();
        }

        return watched.Started;
    }

    private async Task RenewOneAsync(Task renewal, string what)
    {
        try
        {
            await renewal;
        }
        catch (Exception ex)
        {
            // Tried again at the next round, well inside the lease.
            LogRenewFailed(ex, what);
        }
    }

    private void Deliver(SensorView view)
    {
        lock (_gate)
        {
            if (_sensors.TryGetValue(view.Id, out var watched))
            {
                watched.Write(view);
            }
        }
    }

    private void Deliver(AlertEvent alertEvent)
    {
        lock (_gate)
        {
            _alerts?.Write(alertEvent);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the live watch of {What} failed")]
    private partial void LogRenewFailed(Exception exception, string what);

    /// <summary>The subscribers of one watched thing, under the feed's lock.</summary>
    private sealed class Watched<T>(int capacity)
    {
        private readonly List<Channel<T>> _subscribers = [];

        public Task? Started { get; set; }

        public int Count => _subscribers.Count;

        public Channel<T> Add()
        {
            var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
            _subscribers.Add(channel);
            return channel;
        }

        public int Remove(Channel<T> channel)
        {
            _subscribers.Remove(channel);
            return _subscribers.Count;
        }

        public void Write(T item)
        {
            foreach (var subscriber in _subscribers)
            {
                // Never false: a full queue drops its oldest.
                subscriber.Writer.TryWrite(item);
            }
        }
    }

    /// <summary>The process's one observer; Orleans holds it weakly, the feed holds it for good.</summary>
    private sealed class Receiver(ClusterLiveFeed feed) : ILiveFeedObserver
    {
        public Task SensorChanged(SensorView view)
        {
            feed.Deliver(view);
            return Task.CompletedTask;
        }

        public Task AlertChanged(AlertEvent alertEvent)
        {
            feed.Deliver(alertEvent);
            return Task.CompletedTask;
        }
    }
}
