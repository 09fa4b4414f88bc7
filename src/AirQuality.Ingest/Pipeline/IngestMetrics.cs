using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AirQuality.Ingest.Pipeline;

/// <summary>The ingest path's OpenTelemetry instruments (meter "AirQuality.Ingest").</summary>
public sealed class IngestMetrics : IDisposable
{
    public const string MeterName = "AirQuality.Ingest";

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _refused;

    public IngestMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _accepted = _meter.CreateCounter<long>("airq.ingest.readings.accepted", "{reading}", "Readings accepted and handed to sensor grains.");
        _rejected = _meter.CreateCounter<long>("airq.ingest.records.rejected", "{record}", "Records rejected whole, with a reason.");
        _latency = _meter.CreateHistogram<double>("airq.ingest.duration", "s", "Time from a decoded request to its readings being durable and applied.");
        _refused = _meter.CreateCounter<long>("airq.ingest.requests.refused", "{request}", "Requests refused at the door, by reason (rate_limited, busy, too_large, bad_encoding).");
    }

    public void Record(string source, int accepted, int rejected, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("source", source);
        _accepted.Add(accepted, tag);
        _rejected.Add(rejected, tag);
        _latency.Record(duration.TotalSeconds, tag);
    }

    public void Refused(string source, string reason) =>
        _refused.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("reason", reason));

    public static ActivitySource Tracing { get; } = new(MeterName);

    public void Dispose() => _meter.Dispose();
}
