namespace AirQuality.Alerts.Outbox;

/// <summary>Where a delivery stands.</summary>
public enum OutboxState
{
    Pending = 0,
    Delivered = 1,
    DeadLettered = 2,
}

/// <summary>
/// A delivery as stored, for inspection. <see cref="LastError"/> is the last failure, and for a dead letter
/// the reason it was given up; <see cref="FinishedAt"/> is when it was delivered or dead-lettered.
/// </summary>
public sealed record OutboxRecord(
    long Id,
    string EventId,
    string Channel,
    string Destination,
    OutboxState State,
    int Attempts,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset DueAt,
    string? LastError,
    DateTimeOffset? FinishedAt);

/// <summary>Deliveries of one channel by state.</summary>
public sealed record OutboxCounts(long Pending, long Delivered, long DeadLettered);
