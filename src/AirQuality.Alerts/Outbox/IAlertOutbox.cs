namespace AirQuality.Alerts.Outbox;

/// <summary>
/// A durable outbox of alert deliveries: each message is stored once per destination it must reach, and a
/// delivery worker leases the due ones, tries them and records the outcome. Delivery is at-least-once: a
/// worker that stops between sending and recording sends again after a restart, so receivers dedupe on
/// <see cref="OutboxMessage.EventId"/>.
/// </summary>
/// <remarks>
/// Destinations are grouped by <c>channel</c> (e.g. "webhook", later "eventgrid"); each channel has its own
/// worker, which leases only its channel's rows, so another sink can share the outbox by using a channel of
/// its own. Within a channel, deliveries to one destination with the same <see cref="OutboxMessage.OrderingKey"/>
/// are leased one at a time in enqueue order: a later message waits until the earlier one is delivered or
/// dead-lettered.
/// </remarks>
public interface IAlertOutbox
{
    /// <summary>Opens the store and checks it; fails with a message naming the file when it cannot be used.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="message"/> for each destination, due at once. Completes only when the rows are
    /// durable. Enqueuing the same event id for the same channel and destination again changes nothing.
    /// </summary>
    Task EnqueueAsync(OutboxMessage message, string channel, IReadOnlyCollection<string> destinations, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="maxCount"/> due deliveries of a channel (oldest first, at most one per
    /// destination and ordering key) for <paramref name="leaseFor"/>, counting an attempt for each. A lease
    /// that runs out makes the delivery due again.
    /// </summary>
    Task<IReadOnlyList<OutboxDelivery>> LeaseDueAsync(string channel, int maxCount, TimeSpan leaseFor, CancellationToken cancellationToken);

    /// <summary>Records that a leased delivery reached its destination.</summary>
    Task MarkDeliveredAsync(long deliveryId, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt: the delivery is due again at <paramref name="nextAttemptAt"/>.</summary>
    Task MarkFailedAsync(long deliveryId, DateTimeOffset nextAttemptAt, string failure, CancellationToken cancellationToken);

    /// <summary>Gives a delivery up for good. Dead letters are kept, with the reason, and never leased again.</summary>
    Task DeadLetterAsync(long deliveryId, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// When the next delivery of a channel that is waiting its turn becomes due: null when none is pending, a
    /// time in the past when one is due now.
    /// </summary>
    Task<DateTimeOffset?> NextDueAsync(string channel, CancellationToken cancellationToken);

    /// <summary>Deletes deliveries recorded as delivered before <paramref name="deliveredBefore"/>; returns how many.</summary>
    Task<int> PruneDeliveredAsync(DateTimeOffset deliveredBefore, CancellationToken cancellationToken);

    /// <summary>How many deliveries of a channel are pending, delivered (not yet pruned) and dead-lettered.</summary>
    Task<OutboxCounts> CountAsync(string channel, CancellationToken cancellationToken);

    /// <summary>Every delivery of one event, in any state.</summary>
    Task<IReadOnlyList<OutboxRecord>> FindAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>The newest dead letters of a channel, newest first.</summary>
    Task<IReadOnlyList<OutboxRecord>> DeadLettersAsync(string channel, int maxCount, CancellationToken cancellationToken);
}
