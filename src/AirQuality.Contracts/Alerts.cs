namespace AirQuality.Contracts;

[GenerateSerializer]
[Alias("aq.alert.AlertStateView")]
public enum AlertStateView
{
    Active,
    Acknowledged,
    Cleared,
}

[GenerateSerializer, Immutable]
[Alias("aq.alert.AlertView")]
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
[Alias("aq.alert.AlertEvent")]
public sealed record AlertEvent(
    [property: Id(0)] string Kind,
    [property: Id(1)] AlertView Alert,
    [property: Id(2)] DateTimeOffset At);

/// <summary>
/// Where alert changes go: the log, the in-process live feed, webhooks (CloudEvents 1.0), and later Event
/// Grid. A sink returns once the event is safe with it (the webhook sink: written to its durable outbox),
/// and delivers later on its own; it does not wait for a receiver. A sink that throws has lost the event:
/// the sensor logs that as an error and carries on, its readings are never refused for it.
/// </summary>
public interface IAlertSink
{
    ValueTask PublishAsync(AlertEvent alertEvent, CancellationToken cancellationToken);
}
