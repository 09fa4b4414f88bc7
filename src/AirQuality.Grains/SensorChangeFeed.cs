using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AirQuality.Contracts;

namespace AirQuality.Grains;

/// <summary>
/// The in-process feed of sensor changes for live subscriptions: ids of sensors that changed in this silo.
/// A change nobody subscribed to costs a dictionary lookup. Each subscriber has a bounded queue that drops
/// its oldest ids when the subscriber falls behind (counted in <see cref="Dropped"/>), so a slow consumer
/// never holds up a sensor. It sees the sensors activated in this silo: with several silos, a subscriber
/// needs every silo's feed, or a cluster-wide sink.
/// </summary>
public sealed class SensorChangeFeed : ISensorChangeSink
{
    /// <summary>Ids queued per subscriber before the oldest are dropped.</summary>
    public const int SubscriberCapacity = 256;

    private const string AllSensors = "";

    private readonly ConcurrentDictionary<string, Subscriber[]> _subscribers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _delivered;
    private long _dropped;
    private int _subscriberCount;

    /// <summary>Ids put on a subscriber's queue (work done for subscribers).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Ids lost because a subscriber's queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int SubscriberCount => Volatile.Read(ref _subscriberCount);

    public ValueTask SensorChangedAsync(string sensorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sensorId);
        if (Volatile.Read(ref _subscriberCount) == 0)
        {
            return ValueTask.CompletedTask;
        }

        if (_subscribers.TryGetValue(sensorId, out var forSensor))
        {
            Deliver(forSensor, sensorId);
        }

        if (_subscribers.TryGetValue(AllSensors, out var forAll))
        {
            Deliver(forAll, sensorId);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The ids of the sensors that change from now on (only <paramref name="sensorId"/>'s, or every
    /// sensor's when null), until the token is cancelled or the enumeration is disposed. The subscription
    /// starts at the first MoveNextAsync.
    /// </summary>
    public async IAsyncEnumerable<string> SubscribeAsync(string? sensorId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = sensorId ?? AllSensors;
        var subscriber = new Subscriber(this);
        Add(key, subscriber);
        try
        {
            await foreach (var id in subscriber.Channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return id;
            }
        }
        finally
        {
            Remove(key, subscriber);
        }
    }

    private void Deliver(Subscriber[] subscribers, string sensorId)
    {
        foreach (var subscriber in subscribers)
        {
            // Never false: a full queue drops its oldest (counted by the channel's callback).
            subscriber.Channel.Writer.TryWrite(sensorId);
            Interlocked.Increment(ref _delivered);
        }
    }

    // Copy-on-write arrays: subscribing is rare, delivering is not, and delivery then takes no lock.
    private void Add(string key, Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers[key] = _subscribers.TryGetValue(key, out var known) ? [.. known, subscriber] : [subscriber];
            _subscriberCount++;
        }
    }

    private void Remove(string key, Subscriber subscriber)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(key, out var known))
            {
                return;
            }

            var left = Array.FindAll(known, s => !ReferenceEquals(s, subscriber));
            if (left.Length == 0)
            {
                _subscribers.TryRemove(key, out _);
            }
            else
            {
                _subscribers[key] = left;
            }

            _subscriberCount--;
        }
    }

    private sealed class Subscriber(SensorChangeFeed feed)
    {
        public Channel<string> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<string>(
            new BoundedChannelOptions(SubscriberCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref feed._dropped));
    }
}
