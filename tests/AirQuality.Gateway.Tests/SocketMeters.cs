using System.Diagnostics.Metrics;
using AirQuality.Gateway.Transport.WebSockets;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// Listens to one host's WebSocket instruments (meter "AirQuality.Gateway" of that host's meter factory, so
/// hosts of other test classes in the process do not mix in) and keeps their running sums and peaks.
/// </summary>
public sealed class SocketMeters : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<int, long> _closes = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SocketMeters(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == WebSocketMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    public long Connections { get; private set; }

    public long QueuedBytes { get; private set; }

    public long QueuedMessages { get; private set; }

    public long PeakQueuedBytes { get; private set; }

    public long PeakQueuedMessages { get; private set; }

    public long ClosedWith(int code)
    {
        lock (_gate)
        {
            return _closes.GetValueOrDefault(code);
        }
    }

    /// <summary>Waits (a minute at most, as a failure guard) until <paramref name="condition"/> holds.</summary>
    public async Task WaitUntilAsync(Func<SocketMeters, bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(this))
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no {what} within {Guard}: {this}");
            }
        }
    }

    /// <summary>True (without waiting) when the condition holds now.</summary>
    public bool Now(Func<SocketMeters, bool> condition)
    {
        lock (_gate)
        {
            return condition(this);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return $"connections {Connections}, queued {QueuedBytes} bytes / {QueuedMessages} messages (peak {PeakQueuedBytes} / {PeakQueuedMessages}), "
                + $"closes [{string.Join(", ", _closes.Select(c => $"{c.Key}: {c.Value}"))}]";
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var code = 0;
        foreach (var tag in tags)
        {
            if (tag.Key == "code" && tag.Value is int c)
            {
                code = c;
            }
        }

        TaskCompletionSource changed;
        lock (_gate)
        {
            switch (instrument.Name)
            {
                case WebSocketMetrics.ConnectionsName:
                    Connections += value;
                    break;
                case WebSocketMetrics.QueuedBytesName:
                    QueuedBytes += value;
                    PeakQueuedBytes = Math.Max(PeakQueuedBytes, QueuedBytes);
                    break;
                case WebSocketMetrics.QueuedMessagesName:
                    QueuedMessages += value;
                    PeakQueuedMessages = Math.Max(PeakQueuedMessages, QueuedMessages);
                    break;
                case WebSocketMetrics.ClosedName:
                    _closes[code] = _closes.GetValueOrDefault(code) + value;
                    break;
                default:
                    break;
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
