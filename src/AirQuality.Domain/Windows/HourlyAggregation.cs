namespace AirQuality.Domain.Windows;

/// <summary>Hourly aggregates of a whole set of irregular readings at once (backfills, exports, tests).</summary>
public static class HourlyAggregation
{
    /// <summary>
    /// Groups (timestamp, value) pairs by clock hour, in any order, counting a duplicate timestamp once,
    /// and returns the hours that have data, oldest first.
    /// </summary>
    public static IReadOnlyList<HourlyAggregate> Aggregate(IEnumerable<(DateTimeOffset Timestamp, double Value)> readings, int slotsPerHour = 4)
    {
        ArgumentNullException.ThrowIfNull(readings);
        HourBucket.ValidateSlotsPerHour(slotsPerHour);
        var buckets = new SortedDictionary<long, HourBucket>();
        foreach (var (timestamp, value) in readings)
        {
            var seconds = timestamp.ToUnixTimeSeconds();
            var hour = (long)Math.Floor(seconds / 3600.0);
            if (!buckets.TryGetValue(hour, out var bucket))
            {
                buckets[hour] = bucket = new HourBucket(hour);
            }

            bucket.TryAdd((int)(seconds - hour * 3600), value, slotsPerHour);
        }

        return buckets.Values.Select(b => b.ToAggregate(slotsPerHour)).ToList();
    }
}
