namespace AirQuality.Alerts.Outbox;

/// <summary>
/// A leased delivery: one message for one destination, with its history so far: <see cref="Attempts"/>
/// counts this one, <see cref="EnqueuedAt"/> is what its age (and so when it is given up) is measured from,
/// and <see cref="LastError"/> is why the previous attempt failed, if one did.
/// </summary>
public sealed record OutboxDelivery(
    long Id,
    string EventId,
    string OrderingKey,
    string Destination,
    string Payload,
    int Attempts,
    DateTimeOffset EnqueuedAt,
    string? LastError);
