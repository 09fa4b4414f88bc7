using System.Runtime.CompilerServices;
using AirQuality.Contracts;
using AirQuality.Gateway.Data;
using AirQuality.Host.Alerts;

namespace AirQuality.Browser.Tests;

/// <summary>
/// The host's own alert feed as the gateway's alertChanged source, plus a signal when a subscriber is on
/// it: the graphql-transport-ws protocol does not acknowledge a subscribe, so without this the test could
/// not know when a browser's subscription is live on the server, and an alert raised a moment too early
/// would be missed (the dashboard has no reason to reload alerts while its socket stays up).
/// </summary>
internal sealed class AlertSubscriptionProbe(AlertFeed feed) : IAlertEventSource
{
    private readonly Lock _gate = new();
    private int _live;
    private TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async IAsyncEnumerable<AlertEvent> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var events = feed.SubscribeAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        // The feed registers its subscriber before it first waits for an event, so once this first
        // MoveNextAsync has returned (still pending), every alert published from now on reaches it.
        var next = events.MoveNextAsync();
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
