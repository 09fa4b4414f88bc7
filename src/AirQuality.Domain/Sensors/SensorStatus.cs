namespace AirQuality.Domain.Sensors;

public enum SensorStatus : byte
{
    NeverSeen,
    Online,

    /// <summary>No reading for longer than the stale period (default 15 minutes).</summary>
    Stale,
}

/// <summary>The most recent value of one quantity.</summary>
public readonly record struct LatestValue(Quantities.Quantity Quantity, double Value, DateTimeOffset Timestamp);

/// <summary>
/// What applying a reading did, per value: added; a duplicate (that minute already had a value, or, for
/// quantities kept as latest value only, nothing newer); too old for the hourly window (archived only).
/// </summary>
public readonly record struct ApplyResult(int Added, int Duplicates, int TooOld)
{
    public bool Changed => Added > 0;

    public static ApplyResult operator +(ApplyResult a, ApplyResult b) =>
        new(a.Added + b.Added, a.Duplicates + b.Duplicates, a.TooOld + b.TooOld);
}
