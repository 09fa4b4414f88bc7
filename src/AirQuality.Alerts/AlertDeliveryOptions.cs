namespace AirQuality.Alerts;

/// <summary>
/// The delivery policy every alert channel has (attempts, age, backoff, retention, batching, concurrency, timeout),
/// bound from the channel's own configuration section together with its destinations.
/// </summary>
public abstract class AlertDeliveryOptions
{
    /// <summary>
    /// Attempts per event and destination before it is dead-lettered. Default 100: with the default backoff that is
    /// most of a day, so <see cref="MaxAge"/> is normally what ends a long outage.
    /// </summary>
    public int MaxAttempts { get; set; } = 100;

    /// <summary>An event not delivered this long after it was enqueued is dead-lettered (an alert a day late helps nobody). Default 1 day.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The wait after the first failed attempt; it doubles with each further failure, with jitter. Default 1 s.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts, unless the receiver asks for longer (Retry-After). Default 15 min.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long delivered events stay in the outbox before they are deleted. Default 7 days. Dead letters are kept. The
    /// outbox prunes all channels together, so with several the longest Retention among them holds for all.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Deliveries taken from the outbox at a time. Default 100.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Sends in flight at once (never two for the same sensor and destination). Default 4.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 4;

    /// <summary>How long one send may take before it counts as a failed attempt. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What is wrong with the policy, each problem naming the setting under <paramref name="section"/> ("Alerts:Webhooks:MaxAttempts must be ...").</summary>
    protected IEnumerable<string> DeliveryProblems(string section)
    {
        if (MaxAttempts is < 1 or > 10_000)
        {
            yield return $"{section}:MaxAttempts must be 1-10000, got {MaxAttempts}";
        }

        if (MaxAge <= TimeSpan.Zero || MaxAge > TimeSpan.FromDays(365))
        {
            yield return $"{section}:MaxAge must be positive and at most 365 days, got {MaxAge}";
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff || MaxBackoff > TimeSpan.FromDays(1))
        {
            yield return $"{section}: InitialBackoff must be positive and at most MaxBackoff, MaxBackoff at most 1 day; got {InitialBackoff} and {MaxBackoff}";
        }

        if (Retention < TimeSpan.Zero || Retention > TimeSpan.FromDays(3650))
        {
            yield return $"{section}:Retention must be 0-3650 days, got {Retention}";
        }

        if (BatchSize is < 1 or > 10_000 || MaxConcurrentDeliveries is < 1 or > 256)
        {
            yield return $"{section}: BatchSize must be 1-10000 and MaxConcurrentDeliveries 1-256, got {BatchSize} and {MaxConcurrentDeliveries}";
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"{section}:RequestTimeout must be positive and at most 5 minutes, got {RequestTimeout}";
        }
    }
}
