namespace AirQuality.Domain.Sensors;

public enum SensorStatus : byte
{
    NeverSeen,
    Online,

    /// <summary>No reading for longer than the stale period (default 15 minutes).</summary>
    Stale,
}

/// <summary>The most recent value of one quantity, in 32 bytes (the time kept as UTC ticks).</summary>
public readonly record struct LatestValue
{
    private readonly long _utcTicks;

    public LatestValue(Quantities.Quantity quantity, double value, DateTimeOffset timestamp)
    {
        Quantity = quantity;
        Value = value;
        _utcTicks = timestamp.UtcTicks;
    }

    public Quantities.Quantity Quantity { get; }

    public double Value { get; }

    public DateTimeOffset Timestamp => new(_utcTicks, TimeSpan.Zero);
}

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
