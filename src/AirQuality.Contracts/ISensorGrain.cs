using AirQuality.Domain.Readings;

namespace AirQuality.Contracts;

/// <summary>
/// One sensor, keyed by its sensor id (see <see cref="SensorId"/> for the rules: ids are bounded so that
/// attacker-chosen ids cannot create unbounded activations or storage keys).
/// </summary>
[Alias("aq.sensor.ISensorGrain")]
public interface ISensorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a batch of this sensor's readings (readings for other sensors are refused). Idempotent: a
    /// reading applied twice changes nothing. One call per sensor per batch.
    /// </summary>
    [Alias("Ingest")]
    Task<IngestResult> Ingest(IReadOnlyList<Reading> readings);

    /// <summary>
    /// Writes the sensor's state now if it changed since its last write; completes once it is stored. The
    /// ingest checkpoint calls it before it lets the log forget the readings this sensor took.
    /// </summary>
    [Alias("Persist")]
    Task Persist();

    /// <summary>
    /// Whether the sensor exists: it was registered or has taken a reading. An unknown sensor's activation ends
    /// right after the call, so asking about random ids leaves nothing behind.
    /// </summary>
    [Alias("IsKnown")]
    Task<bool> IsKnown();

    /// <summary>The sensor's current state: metadata, status, latest values and AQI under every standard.</summary>
    [Alias("GetView")]
    Task<SensorView> GetView();

    /// <summary>The sensor's open alerts (ACTIVE, ACKNOWLEDGED).</summary>
    [Alias("GetOpenAlerts")]
    Task<IReadOnlyList<AlertView>> GetOpenAlerts();

    /// <summary>Evaluates the alert rules now (the alert clock calls it when a time-based rule may have changed).</summary>
    [Alias("CheckAlerts")]
    Task CheckAlerts();

    /// <summary>ACTIVE -> ACKNOWLEDGED; null when the sensor has no such active alert.</summary>
    [Alias("AcknowledgeAlert")]
    Task<AlertView?> AcknowledgeAlert(string alertId, string? note);

    /// <summary>
    /// Sets metadata a person registers, for sensors that push readings without it (Sensor.Community
    /// devices): see <see cref="SensorRegistration"/> for what each field does. Written at once and indexed
    /// at once. <see cref="ArgumentException"/> with a message for the caller when a field is invalid.
    /// </summary>
    [Alias("Register")]
    Task<SensorView> Register(SensorRegistration registration);

    /// <summary>Aggregates of one quantity with their period start in [periodStart, periodEnd), hourly or daily.</summary>
    [Alias("GetHistory")]
    Task<IReadOnlyList<AggregateView>> GetHistory(string quantity, DateTimeOffset periodStart, DateTimeOffset periodEnd, HistoryInterval interval);

    /// <summary>
    /// Starts or renews a watch, held for <see cref="LiveFeed.Lease"/>: the observer is sent the sensor's view
    /// each time it changes. Watches are kept in memory only (renewal re-establishes them).
    /// </summary>
    [Alias("Watch")]
    Task Watch(ILiveFeedObserver observer);
}

/// <summary>
/// Metadata registered for a sensor. Null fields leave what the sensor has unchanged. The location is one
/// unit: <see cref="Latitude"/> and <see cref="Longitude"/> come together and replace the whole location
/// (<see cref="Altitude"/>, <see cref="Country"/> and <see cref="Indoor"/> belong to it and need them).
/// A registered location serves readings that carry none; a later reading that carries a location moves
/// the sensor (the newest wins). An empty <see cref="Name"/> removes the name.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("aq.sensor.SensorRegistration")]
public sealed record SensorRegistration
{
    public const int MaxNameLength = AirQuality.Domain.Sensors.SensorState.MaxNameLength;
    public const int MaxSensorTypeLength = 64;

    /// <summary>At most <see cref="MaxNameLength"/> characters, no control characters; trimmed.</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>-90..90 degrees.</summary>
    [Id(1)] public double? Latitude { get; init; }

    /// <summary>-180..180 degrees.</summary>
    [Id(2)] public double? Longitude { get; init; }

    /// <summary>Metres above sea level, -500..9000.</summary>
    [Id(3)] public double? Altitude { get; init; }

    /// <summary>ISO 3166-1 alpha-2, either case ("de" is stored as "DE").</summary>
    [Id(4)] public string? Country { get; init; }

    [Id(5)] public bool? Indoor { get; init; }

    /// <summary>The sensor model, e.g. "SDS011"; at most <see cref="MaxSensorTypeLength"/> characters.</summary>
    [Id(6)] public string? SensorType { get; init; }
}

/// <summary>
/// What an ingest call did: per value (<see cref="Added"/>, <see cref="Duplicates"/>, <see cref="TooOld"/>),
/// and per reading for those that changed nothing (<see cref="DuplicateReadings"/>: every value was known
/// already, a replay; <see cref="TooOldReadings"/>: every value older than the state keeps).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("aq.sensor.IngestResult")]
public sealed record IngestResult(
    [property: Id(0)] int Added,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] int TooOld,
    [property: Id(3)] int Refused,
    [property: Id(4)] int DuplicateReadings = 0,
    [property: Id(5)] int TooOldReadings = 0);

[GenerateSerializer]
[Alias("aq.sensor.HistoryInterval")]
public enum HistoryInterval
{
    Hour,
    Day,
}
