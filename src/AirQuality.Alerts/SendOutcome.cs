namespace AirQuality.Alerts;

/// <summary>How an attempt ended.</summary>
public enum SendResult
{
    /// <summary>The destination accepted it (a webhook: 2xx).</summary>
    Delivered,

    /// <summary>Worth trying again: unreachable, timed out, throttled, failing on its side (anything not plainly refused).</summary>
    Retry,

    /// <summary>The destination refused it for good (a webhook: 4xx other than 408 and 429): trying again cannot help.</summary>
    Rejected,
}

/// <summary>An attempt's result, why it failed, and when the destination asked to be tried again (Retry-After).</summary>
public sealed record SendOutcome(SendResult Result, string? Reason = null, TimeSpan? RetryAfter = null);
