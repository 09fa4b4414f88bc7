using System.Threading.Channels;
using AirQuality.Contracts;

namespace AirQuality.Host.Alerts;

/// <summary>
/// The in-process live feed of alert changes, for subscriptions (the GraphQL gateway's alertChanged). Each
/// subscriber has a bounded queue; a subscriber that does not keep up loses its oldest events, never the
/// sensors' time.
/// </summary>
public sealed class AlertFeed : IAlertSink
{
    private readonly Lock _gate = new();
    private readonly List<Channel<AlertEvent>> _subscribers = [];

    public ValueTask PublishAsync(AlertEvent alertEvent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(alertEvent);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Events from now on, until the token is cancelled.</summary>
    public async IAsyncEnumerable<AlertEvent> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<AlertEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
