namespace AirQuality.Contracts;

[GenerateSerializer]
public enum AlertStateView
{
    Active,
    Acknowledged,
    Cleared,
}

[GenerateSerializer, Immutable]
public sealed record AlertView(
    [property: Id(0)] string Id,
    [property: Id(1)] string SensorId,
    [property: Id(2)] string Rule,
    [property: Id(3)] AlertStateView State,
    [property: Id(4)] string Severity,
    [property: Id(5)] DateTimeOffset RaisedAt,
    [property: Id(6)] DateTimeOffset? AcknowledgedAt,
    [property: Id(7)] DateTimeOffset? ClearedAt,
    [property: Id(8)] double? TriggerValue,
    [property: Id(9)] string Message);

/// <summary>One change of an alert (raised, renotified, acknowledged, cleared), as the sinks receive it.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertEvent(
    [property: Id(0)] string Kind,
    [property: Id(1)] AlertView Alert,
    [property: Id(2)] DateTimeOffset At);

/// <summary>
/// Where alert changes go: the log, the in-process live feed, webhooks (CloudEvents 1.0), and later Event
/// Grid. Publishing must not block or fail the sensor: a sink that cannot deliver now keeps the event and
/// retries (see the host's implementations).
/// </summary>
public interface IAlertSink
{
    ValueTask PublishAsync(AlertEvent alertEvent, CancellationToken cancellationToken);
}
