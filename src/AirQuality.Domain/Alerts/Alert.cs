namespace AirQuality.Domain.Alerts;

public enum AlertState : byte
{
    Active,
    Acknowledged,
    Cleared,
}

public enum AlertTransitionKind : byte
{
    Raised,

    /// <summary>Still active after the rule's re-notify interval.</summary>
    Renotified,
    Acknowledged,
    Cleared,
}

/// <summary>One alert of one rule on one sensor, from raised to cleared.</summary>
public sealed record Alert(
    string Id,
    string SensorId,
    string RuleId,
    string Severity,
    AlertState State,
    DateTimeOffset RaisedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ClearedAt,
    double? TriggerValue,
    string Message,
    string? AcknowledgeNote = null);

/// <summary>A change of an alert, for the sinks (log, live feed, webhooks, Event Grid).</summary>
public sealed record AlertTransition(AlertTransitionKind Kind, Alert Alert, DateTimeOffset At);
