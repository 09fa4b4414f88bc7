namespace AirQuality.Domain.Tests;

/// <summary>A clock that always says the same time, so that tests about "now" are deterministic.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
