namespace AirQuality.Domain.Windows;

/// <summary>Hourly aggregates of a whole set of irregular readings at once (backfills, exports, tests).</summary>
public static class HourlyAggregation
{
    /// <summary>
    /// Groups (timestamp, value) pairs by clock hour, in any order, with the same one-reading-per-minute
    /// rule as <see cref="HourlySeries"/>, and returns the hours that have data, oldest first.
    /// </summary>
    public static IReadOnlyList<HourlyAggregate> Aggregate(IEnumerable<(DateTimeOffset Timestamp, double Value)> readings, int slotsPerHour = 4)
    {
        ArgumentNullException.ThrowIfNull(readings);
        HourSlot.ValidateSlotsPerHour(slotsPerHour);
        var hours = new SortedDictionary<long, HourSlot>();
        foreach (var (timestamp, value) in readings)
        {
            var hour = TimeMath.HourOf(timestamp);
            hours.TryGetValue(hour, out var slot);
            slot.TryAdd(TimeMath.MinuteOfHour(timestamp), value);
            hours[hour] = slot;
        }

        return hours.Select(h => h.Value.ToAggregate(h.Key, slotsPerHour)).ToList();
    }
}
