namespace AirQuality.Domain.Windows;

/// <summary>What happened to a value offered to an <see cref="HourlySeries"/>.</summary>
public enum AddOutcome : byte
{
    Added,

    /// <summary>A value for the same second was already there: nothing changed.</summary>
    Duplicate,

    /// <summary>Older than the hours the series keeps: nothing changed (the raw archive still has it).</summary>
    TooOld,
}

/// <summary>
/// The recent hours of one quantity: hourly aggregates built from irregular readings that may arrive
/// out of order or twice, kept for a fixed number of hours in a ring, plus the running means and the
/// NowCast inputs the AQI standards need.
/// </summary>
public sealed class HourlySeries
{
    private readonly HourBucket?[] _ring;
    private readonly int _slotsPerHour;
    private long _newestHour = long.MinValue;

    /// <param name="capacityHours">Hours kept, counting back from the newest hour seen.</param>
    /// <param name="slotsPerHour">Coverage resolution: slots per hour, dividing 3600 seconds, at most 64. Default 4 (quarter-hours, the UK's 3-of-4 rule).</param>
    public HourlySeries(int capacityHours = 48, int slotsPerHour = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityHours, 1);
        HourBucket.ValidateSlotsPerHour(slotsPerHour);

        _ring = new HourBucket?[capacityHours];
        _slotsPerHour = slotsPerHour;
    }

    public int CapacityHours => _ring.Length;

    /// <summary>Start of the newest hour that has data; null while empty.</summary>
    public DateTimeOffset? NewestHour => _newestHour == long.MinValue ? null : DateTimeOffset.UnixEpoch.AddHours(_newestHour);

    public AddOutcome Add(DateTimeOffset timestamp, double value)
    {
        var seconds = timestamp.ToUnixTimeSeconds();
        var hour = Math.DivRem(seconds, 3600, out var secondOfHour);
        if (secondOfHour < 0)
        {
            hour--;
            secondOfHour += 3600;
        }

        if (_newestHour != long.MinValue && hour <= _newestHour - _ring.Length)
        {
            return AddOutcome.TooOld;
        }

        _newestHour = Math.Max(_newestHour, hour);
        var slot = (int)(((hour % _ring.Length) + _ring.Length) % _ring.Length);
        var bucket = _ring[slot];
        if (bucket is null)
        {
            bucket = _ring[slot] = new HourBucket(hour);
        }
        else if (bucket.Hour != hour)
        {
            // The slot held an hour that has fallen out of the window: reuse it.
            bucket.Reset(hour);
        }

        return bucket.TryAdd((int)secondOfHour, value, _slotsPerHour) ? AddOutcome.Added : AddOutcome.Duplicate;
    }

    /// <summary>The aggregate of the hour starting at <paramref name="hourStart"/>, or null when it has no data or is not kept.</summary>
    public HourlyAggregate? Get(DateTimeOffset hourStart)
    {
        var bucket = BucketOf(HourNumber(hourStart));
        return bucket is null ? null : bucket.ToAggregate(_slotsPerHour);
    }

    /// <summary>Every kept hour that has data, oldest first.</summary>
    public IReadOnlyList<HourlyAggregate> Hours()
    {
        var result = new List<HourlyAggregate>(_ring.Length);
        if (_newestHour == long.MinValue)
        {
            return result;
        }

        for (var h = _newestHour - _ring.Length + 1; h <= _newestHour; h++)
        {
            if (BucketOf(h) is { } bucket)
            {
                result.Add(bucket.ToAggregate(_slotsPerHour));
            }
        }

        return result;
    }

    /// <summary>
    /// The mean of the hour, or NaN when the hour has no data, is not kept, or its coverage is below
    /// <paramref name="minCoverage"/>.
    /// </summary>
    public double HourlyMean(DateTimeOffset hourStart, double minCoverage = 0.75)
    {
        var bucket = BucketOf(HourNumber(hourStart));
        if (bucket is null)
        {
            return double.NaN;
        }

        var aggregate = bucket.ToAggregate(_slotsPerHour);
        return aggregate.Coverage + 1e-9 >= minCoverage ? aggregate.Mean : double.NaN;
    }

    /// <summary>
    /// Writes hourly means into <paramref name="destination"/>, most recent first, starting with the hour
    /// that ends at <paramref name="periodEnd"/>; NaN for hours without (enough) data. This is the NowCast input.
    /// </summary>
    public void FillHourlyMeans(DateTimeOffset periodEnd, Span<double> destination, double minCoverage = 0.75)
    {
        var latest = HourNumber(periodEnd) - 1;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = HourlyMean(DateTimeOffset.UnixEpoch.AddHours(latest - i), minCoverage);
        }
    }

    /// <summary>
    /// The mean of hourly means over the <paramref name="hours"/> hours ending at <paramref name="periodEnd"/>
    /// (an hour boundary). Valid when at least <paramref name="minWindowCoverage"/> of those hours have a
    /// mean (each hour itself needing <paramref name="minHourCoverage"/>): 18 of 24, 6 of 8 by default.
    /// </summary>
    public RunningMean Running(DateTimeOffset periodEnd, int hours, double minHourCoverage = 0.75, double minWindowCoverage = 0.75)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        var end = HourNumber(periodEnd);
        double sum = 0;
        var withData = 0;
        for (var h = end - hours; h < end; h++)
        {
            var mean = HourlyMean(DateTimeOffset.UnixEpoch.AddHours(h), minHourCoverage);
            if (!double.IsNaN(mean))
            {
                sum += mean;
                withData++;
            }
        }

        var valid = withData > 0 && withData >= Math.Ceiling(minWindowCoverage * hours - 1e-9);
        return new RunningMean(DateTimeOffset.UnixEpoch.AddHours(end), hours, withData, withData == 0 ? double.NaN : sum / withData, valid);
    }

    /// <summary>Hour boundary at or before a time.</summary>
    public static DateTimeOffset HourStartOf(DateTimeOffset time) => DateTimeOffset.UnixEpoch.AddHours(HourNumber(time));

    private static long HourNumber(DateTimeOffset time) => (long)Math.Floor(time.ToUnixTimeSeconds() / 3600.0);

    private HourBucket? BucketOf(long hour)
    {
        if (_newestHour == long.MinValue || hour > _newestHour || hour <= _newestHour - _ring.Length)
        {
            return null;
        }

        var bucket = _ring[(int)(((hour % _ring.Length) + _ring.Length) % _ring.Length)];
        return bucket is not null && bucket.Hour == hour && bucket.Count > 0 ? bucket : null;
    }
}
