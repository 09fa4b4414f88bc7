using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AirQuality.Alerts.Outbox;

namespace AirQuality.Alerts.Delivery;

/// <summary>Alert delivery's OpenTelemetry instruments (meter "AirQuality.Alerts"), each measurement tagged with its channel.</summary>
public sealed class AlertMetrics : IDisposable
{
    public const string MeterName = "AirQuality.Alerts";

    private readonly Meter _meter;
    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _pruned;
    private readonly ConcurrentDictionary<string, OutboxCounts> _counts = new(StringComparer.Ordinal);

    public AlertMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _enqueued = _meter.CreateCounter<long>("airq.alerts.enqueued", "{delivery}", "Deliveries written to the outbox (one per event and destination).");
        _delivered = _meter.CreateCounter<long>("airq.alerts.delivered", "{delivery}", "Deliveries a destination accepted.");
        _retried = _meter.CreateCounter<long>("airq.alerts.retried", "{attempt}", "Failed attempts scheduled to be tried again.");
        _deadLettered = _meter.CreateCounter<long>("airq.alerts.dead_lettered", "{delivery}", "Deliveries given up (kept in the outbox with the reason).");
        _pruned = _meter.CreateCounter<long>("airq.alerts.pruned", "{delivery}", "Delivered deliveries deleted from the outbox once older than the retention.");
        _ = _meter.CreateObservableGauge("airq.alerts.outbox.pending", () => Gauge(c => c.Pending), "{delivery}", "Deliveries waiting in the outbox (as of the last delivery pass).");
        _ = _meter.CreateObservableGauge("airq.alerts.outbox.dead_letters", () => Gauge(c => c.DeadLettered), "{delivery}", "Dead letters kept in the outbox (as of the last delivery pass).");
    }

    public void Enqueued(string channel, int count) => _enqueued.Add(count, Tag(channel));

    public void Delivered(string channel) => _delivered.Add(1, Tag(channel));

    public void Retried(string channel) => _retried.Add(1, Tag(channel));

    public void DeadLettered(string channel) => _deadLettered.Add(1, Tag(channel));

    public void Pruned(string channel, int count) => _pruned.Add(count, Tag(channel));

    /// <summary>Takes a channel's outbox counts for the gauges (read from the database by its delivery loop, not on collection).</summary>
    public void Observe(string channel, OutboxCounts counts)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(counts);
        _counts[channel] = counts;
    }

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string channel) => new("channel", channel);

    private Measurement<long>[] Gauge(Func<OutboxCounts, long> count) =>
        _counts.Select(c => new Measurement<long>(count(c.Value), Tag(c.Key))).ToArray();
}
