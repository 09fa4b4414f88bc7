using System.Collections.Concurrent;
using AirQuality.Contracts;

namespace AirQuality.Grains.Tests;

/// <summary>Every alert event of the test cluster's silos (both in this process), for tests to look at or wait for.</summary>
public sealed class RecordingAlertSink : IAlertSink
{
    private static readonly ConcurrentQueue<AlertEvent> Recorded = new();
    private static readonly List<(Func<AlertEvent, bool> Match, TaskCompletionSource<AlertEvent> Done)> Waiters = [];

    public static IReadOnlyCollection<AlertEvent> Events => Recorded;

    /// <summary>The first event, past or future, that matches; the timeout is only a guard against a hang.</summary>
    public static Task<AlertEvent> WaitFor(Func<AlertEvent, bool> match)
    {
        lock (Waiters)
        {
            if (Recorded.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<AlertEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            Waiters.Add((match, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public ValueTask PublishAsync(AlertEvent alertEvent, CancellationToken cancellationToken)
    {
        lock (Waiters)
        {
            Recorded.Enqueue(alertEvent);
            foreach (var waiter in Waiters.Where(w => w.Match(alertEvent)).ToList())
            {
                waiter.Done.TrySetResult(alertEvent);
                Waiters.Remove(waiter);
            }
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>A sink that has lost its store: throws for sensors whose id starts with "sink-fails-".</summary>
public sealed class FailingAlertSink : IAlertSink
{
    public ValueTask PublishAsync(AlertEvent alertEvent, CancellationToken cancellationToken) =>
        alertEvent.Alert.SensorId.StartsWith("sink-fails-", StringComparison.Ordinal)
            ? throw new IOException("disk full")
            : ValueTask.CompletedTask;
}
