namespace AirQuality.Alerts;

/// <summary>
/// One way alert changes leave the host (webhooks, Event Grid). The <see cref="OutboxAlertSink"/> stores each change once
/// per <see cref="Destinations"/> entry under the channel's <see cref="Name"/>, and the delivery engine hands each stored
/// delivery to <see cref="SendAsync"/> under the channel's <see cref="Delivery"/> policy: retries, Retry-After, dead
/// letters, ordering per sensor and destination, pruning and metrics are the engine's, the channel only sends once.
/// Register one with <c>services.AddAlertChannel&lt;TChannel&gt;()</c>.
/// </summary>
public interface IAlertChannel
{
    /// <summary>
    /// The outbox channel its deliveries are stored under and the metrics' <c>channel</c> tag ("webhook"). Unique among
    /// the host's channels, and kept across releases: deliveries stored under a name are only ever sent by that channel.
    /// </summary>
    string Name { get; }

    /// <summary>
    /// Where every alert change goes, each once (a webhook: its absolute URL). Read when the host starts; a stored delivery
    /// whose destination is no longer among these is dead-lettered.
    /// </summary>
    IReadOnlyCollection<string> Destinations { get; }

    /// <summary>The channel's delivery policy, from its own configuration section.</summary>
    AlertDeliveryOptions Delivery { get; }

    /// <summary>
    /// One attempt to hand <paramref name="cloudEventJson"/> (a structured-mode CloudEvent, see <see cref="AlertCloudEvent"/>)
    /// to <paramref name="destination"/>, classified. Failures of the destination are outcomes, not exceptions; one that
    /// throws all the same counts as a failed attempt to retry.
    /// </summary>
    Task<SendOutcome> SendAsync(string destination, string cloudEventJson, CancellationToken cancellationToken);
}
