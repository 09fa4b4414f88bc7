using System.Collections.Concurrent;

namespace AirQuality.Cli.Tests.Ingest;

/// <summary>
/// A clock that never waits: a timer due in d fires at once and moves the clock d ahead. Commands that
/// poll, back off or pace themselves run instantly and deterministically, and the waits they asked for
/// are kept for assertions. No test synchronises on it: nothing else advances it.
/// </summary>
internal sealed class SkippingClock(DateTimeOffset start) : TimeProvider
{
    private long _elapsedTicks;

    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _elapsedTicks));

    public override DateTimeOffset GetUtcNow() => start + Elapsed;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _elapsedTicks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Waits.Enqueue(dueTime);
            Interlocked.Add(ref _elapsedTicks, Math.Max(0, dueTime.Ticks));
            ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
        }

        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
