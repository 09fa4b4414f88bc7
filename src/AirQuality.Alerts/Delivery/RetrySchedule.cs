using AirQuality.Alerts.Outbox;

namespace AirQuality.Alerts.Delivery;

/// <summary>What to do with a delivery after a failed attempt: try again at a time, or give it up with a reason.</summary>
public readonly record struct RetryDecision(DateTimeOffset? RetryAt, string? GiveUpReason);

/// <summary>
/// Exponential backoff with jitter, bounded by <see cref="AlertDeliveryOptions.MaxAttempts"/> and
/// <see cref="AlertDeliveryOptions.MaxAge"/>. A receiver's Retry-After replaces the backoff: it said when.
/// </summary>
/// <param name="options">MaxAttempts, MaxAge and the backoff bounds.</param>
/// <param name="random">A number in [0, 1) per call; the jitter spreads retries of many deliveries that failed together.</param>
public sealed class RetrySchedule(AlertDeliveryOptions options, Func<double> random)
{
    public RetrySchedule(AlertDeliveryOptions options)
        : this(options, Random.Shared.NextDouble)
    {
    }

    /// <summary>
    /// The wait after the <paramref name="attempts"/>-th failure: InitialBackoff doubled per earlier failure, at
    /// most MaxBackoff, then between half and all of that ("equal jitter": never retries at once, still spreads).
    /// </summary>
    public TimeSpan Backoff(int attempts)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempts);
        var doublings = Math.Min(attempts - 1, 62);
        var full = Math.Min(options.MaxBackoff.TotalMilliseconds, options.InitialBackoff.TotalMilliseconds * Math.Pow(2, doublings));
        return TimeSpan.FromMilliseconds(full * (0.5 + (random() / 2)));
    }

    /// <summary>Whether a delivery is too old to be tried again at all.</summary>
    public bool Expired(OutboxDelivery delivery, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return now - delivery.EnqueuedAt > options.MaxAge;
    }

    public RetryDecision After(OutboxDelivery delivery, DateTimeOffset now, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.Attempts >= options.MaxAttempts)
        {
            return new(null, $"gave up after {delivery.Attempts} attempts (MaxAttempts)");
        }

        var next = now + (retryAfter is { } asked && asked > TimeSpan.Zero ? asked : Backoff(delivery.Attempts));
        return next - delivery.EnqueuedAt > options.MaxAge
            ? new(null, $"not delivered within MaxAge {options.MaxAge} after {delivery.Attempts} attempts")
            : new(next, null);
    }
}
