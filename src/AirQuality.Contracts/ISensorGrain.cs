using AirQuality.Domain.Readings;

namespace AirQuality.Contracts;

/// <summary>
/// One sensor, keyed by its sensor id (see <see cref="SensorId"/> for the rules: ids are bounded so that
/// attacker-chosen ids cannot create unbounded activations or storage keys).
/// </summary>
public interface ISensorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a batch of this sensor's readings (readings for other sensors are refused). Idempotent: a
    /// reading applied twice changes nothing. One call per sensor per batch.
    /// </summary>
    Task<IngestResult> Ingest(IReadOnlyList<Reading> readings);

    /// <summary>The sensor's current state: metadata, status, latest values and AQI under every standard.</summary>
    Task<SensorView> GetView();

    /// <summary>The sensor's open alerts (ACTIVE, ACKNOWLEDGED).</summary>
    Task<IReadOnlyList<AlertView>> GetOpenAlerts();

    /// <summary>Evaluates the alert rules now (the alert clock calls it when a time-based rule may have changed).</summary>
    Task CheckAlerts();

    /// <summary>ACTIVE -> ACKNOWLEDGED; null when the sensor has no such active alert.</summary>
    Task<AlertView?> AcknowledgeAlert(string alertId, string? note);

    /// <summary>Aggregates of one quantity with their period start in [periodStart, periodEnd), hourly or daily.</summary>
    Task<IReadOnlyList<AggregateView>> GetHistory(string quantity, DateTimeOffset periodStart, DateTimeOffset periodEnd, HistoryInterval interval);
}

/// <summary>What an ingest call did, per value.</summary>
[GenerateSerializer, Immutable]
public sealed record IngestResult(
    [property: Id(0)] int Added,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] int TooOld,
    [property: Id(3)] int Refused);

[GenerateSerializer]
public enum HistoryInterval
{
    Hour,
    Day,
}
