using System.Threading.Channels;

namespace AirQuality.Host.Alerts;

/// <summary>
/// Wakes the delivery loop when an event has been enqueued, so a new alert goes out at once instead of
/// waiting for the loop's next timer. A pulse while the loop is busy is remembered (one is enough).
/// </summary>
public sealed class AlertDeliverySignal
{
    private readonly Channel<bool> _pulses = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Pulse() => _pulses.Writer.TryWrite(true);

    /// <summary>Returns at the next pulse or when <paramref name="timeout"/> (on <paramref name="time"/>'s clock; null: none) runs out.</summary>
    public async Task WaitAsync(TimeSpan? timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_pulses.Reader.TryRead(out _) || timeout <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = timeout is { } t ? new CancellationTokenSource(t, time) : new CancellationTokenSource();
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
