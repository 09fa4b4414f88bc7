using System.Collections.Concurrent;
using System.Threading.Channels;

namespace AirQuality.Alerts.Delivery;

/// <summary>
/// Wakes a channel's delivery loop when an event has been enqueued for it, so a new alert goes out at once instead
/// of waiting for the loop's next timer. A pulse while the loop is busy is remembered (one is enough).
/// </summary>
public sealed class AlertDeliverySignal
{
    private readonly Channel<bool> _pulses = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Pulse() => _pulses.Writer.TryWrite(true);

    /// <summary>
    /// Returns at the next pulse or once <paramref name="time"/>'s clock reaches <paramref name="until"/> (null: only
    /// a pulse). A moment, not a duration: a clock that moves on while the caller is still on its way here
    /// (a test's fake clock, a slow pass) must not push the wake-up later.
    /// </summary>
    public async Task WaitAsync(DateTimeOffset? until, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (_pulses.Reader.TryRead(out _) || until <= time.GetUtcNow())
        {
            return;
        }

        using var timer = until is { } u ? new CancellationTokenSource(u - time.GetUtcNow() is { Ticks: > 0 } left ? left : TimeSpan.Zero, time) : new CancellationTokenSource();
        if (until <= time.GetUtcNow())
        {
            return; // the clock passed the moment while the timer was being set up
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            _ = await _pulses.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timer ran out: time to look at the outbox again.
        }
    }
}

/// <summary>
/// One <see cref="AlertDeliverySignal"/> per channel, so an enqueue wakes only the loops that have something new:
/// shared by the sink, which pulses, and the delivery service, which waits.
/// </summary>
public sealed class AlertDeliverySignals
{
    private readonly ConcurrentDictionary<string, AlertDeliverySignal> _signals = new(StringComparer.Ordinal);

    /// <summary>The signal of the channel named <paramref name="channel"/>.</summary>
    public AlertDeliverySignal For(string channel)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        return _signals.GetOrAdd(channel, _ => new AlertDeliverySignal());
    }
}
