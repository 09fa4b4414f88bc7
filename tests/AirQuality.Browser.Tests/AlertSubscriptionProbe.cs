using System.Runtime.CompilerServices;
using AirQuality.Contracts;
using AirQuality.Gateway.Cluster;
using AirQuality.Gateway.Data;

namespace AirQuality.Browser.Tests;

/// <summary>
/// The gateway's cluster-wide alert feed as its alertChanged source, plus a signal once a subscriber's
/// watch is in place: the graphql-transport-ws protocol does not acknowledge a subscribe, so without this the test could
/// not know when a browser's subscription is live on the server, and an alert raised a moment too early
/// would be missed (the dashboard has no reason to reload alerts while its socket stays up).
/// </summary>
internal sealed class AlertSubscriptionProbe(ClusterLiveFeed feed) : IAlertEventSource
{
    private readonly Lock _gate = new();
    private int _live;
    private TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WatchAsync(CancellationToken cancellationToken) => ((IAlertEventSource)feed).WatchAsync(cancellationToken);

    public async IAsyncEnumerable<AlertEvent> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var events = ((IAlertEventSource)feed).SubscribeAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        // The first MoveNextAsync joins the feed's alert watch (synchronously) and asks for it; a renewal
        // that has come back is a watch in place, so every alert published from then on reaches it.
        var next = events.MoveNextAsync();
        await feed.RenewAsync();
        lock (_gate)
        {
            _live++;
            _subscribed.TrySetResult();
        }

        try
        {
            while (await next)
            {
                yield return events.Current;
                next = events.MoveNextAsync();
            }
        }
        finally
        {
            lock (_gate)
            {
                if (--_live == 0)
                {
                    _subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
    }

    /// <summary>Completes once at least one alertChanged subscription is reading the feed.</summary>
    public Task SubscribedAsync(TimeSpan timeout)
    {
        lock (_gate)
        {
            return _subscribed.Task.WaitAsync(timeout);
        }
    }
}
