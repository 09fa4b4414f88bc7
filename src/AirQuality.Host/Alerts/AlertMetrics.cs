using System.Diagnostics.Metrics;
using AirQuality.Alerts.Outbox;

namespace AirQuality.Host.Alerts;

/// <summary>Alert delivery's OpenTelemetry instruments (meter "AirQuality.Alerts"), tagged with the outbox channel.</summary>
public sealed class AlertMetrics : IDisposable
{
    public const string MeterName = "AirQuality.Alerts";

    private readonly Meter _meter;
    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;
    private long _pending;
    private long _deadLetters;

    public AlertMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _enqueued = _meter.CreateCounter<long>("airq.alerts.enqueued", "{delivery}", "Deliveries written to the outbox (one per event and destination).");
        _delivered = _meter.CreateCounter<long>("airq.alerts.delivered", "{delivery}", "Deliveries a destination accepted.");
        _retried = _meter.CreateCounter<long>("airq.alerts.retried", "{attempt}", "Failed attempts scheduled to be tried again.");
        _deadLettered = _meter.CreateCounter<long>("airq.alerts.dead_lettered", "{delivery}", "Deliveries given up (kept in the outbox with the reason).");
        _ = _meter.CreateObservableGauge("airq.alerts.outbox.pending", () => Interlocked.Read(ref _pending), "{delivery}", "Deliveries waiting in the outbox (as of the last delivery pass).");
        _ = _meter.CreateObservableGauge("airq.alerts.outbox.dead_letters", () => Interlocked.Read(ref _deadLetters), "{delivery}", "Dead letters kept in the outbox (as of the last delivery pass).");
    }

    public void Enqueued(string channel, int count) => _enqueued.Add(count, Tag(channel));

    public void Delivered(string channel) => _delivered.Add(1, Tag(channel));

    public void Retried(string channel) => _retried.Add(1, Tag(channel));

    public void DeadLettered(string channel) => _deadLettered.Add(1, Tag(channel));

    /// <summary>Takes the outbox's counts for the gauges (read from the database by the delivery loop, not on collection).</summary>
    public void Observe(OutboxCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        Interlocked.Exchange(ref _pending, counts.Pending);
        Interlocked.Exchange(ref _deadLetters, counts.DeadLettered);
    }

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string channel) => new("channel", channel);
}
