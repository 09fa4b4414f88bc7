namespace AirQuality.Domain.Windows;

/// <summary>
/// Everything kept about one quantity of one sensor: the hourly window (default 48 h) and, behind it, daily
/// statistics (default 90 days) that hours fold into as they leave the window. About 2.2 KB at the defaults (48 x 24 B + 90 x 11 B).
/// </summary>
public sealed class QuantityHistory
{
    public QuantityHistory(int hours = 48, int days = 90, int slotsPerHour = 4)
    {
        Daily = new DailySeries(days);
        Hourly = new HourlySeries(hours, slotsPerHour, Daily);
    }

    public HourlySeries Hourly { get; }

    public DailySeries Daily { get; }

    public AddOutcome Add(DateTimeOffset timestamp, double value) => Hourly.Add(timestamp, value);

    /// <summary>Hourly aggregates with data whose hour starts in [from, to), oldest first.</summary>
    public IReadOnlyList<HourlyAggregate> HoursBetween(DateTimeOffset from, DateTimeOffset to) =>
        Hourly.Hours().Where(h => h.PeriodStart >= from && h.PeriodStart < to).ToList();

    /// <summary>
    /// Daily aggregates with data whose day starts in [from, to), oldest first: the folded part of each day
    /// merged with its hours still in the hourly window.
    /// </summary>
    public IReadOnlyList<DailyAggregate> DaysBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var recent = new Dictionary<long, DaySlot>();
        foreach (var hour in Hourly.Hours())
        {
            var day = TimeMath.DayOfHour(TimeMath.HourOf(hour.PeriodStart));
            recent.TryGetValue(day, out var slot);
            slot.Add(hour);
            recent[day] = slot;
        }

        var result = new List<DailyAggregate>();
        var first = TimeMath.DayOfHour(TimeMath.HourOf(from));
        var last = TimeMath.DayOfHour(TimeMath.HourOf(to.AddTicks(-1)));
        for (var day = first; day <= last; day++)
        {
            var folded = Daily.GetSlot(day);
            var inWindow = recent.TryGetValue(day, out var r) ? r : (DaySlot?)null;
            var merged = (folded, inWindow) switch
            {
                ({ } a, { } b) => Merge(a, b),
                ({ } a, null) => a,
                (null, { } b) => b,
                _ => (DaySlot?)null,
            };
            if (merged is { } m && TimeMath.DayStart(day) >= from)
            {
                result.Add(m.ToAggregate(day));
            }
        }

        return result;
    }

    public void WriteTo(BinaryWriter writer)
    {
        Hourly.WriteTo(writer);
        Daily.WriteTo(writer);
    }

    public void ReadFrom(BinaryReader reader)
    {
        Hourly.ReadFrom(reader);
        Daily.ReadFrom(reader);
    }

    private static DaySlot Merge(DaySlot a, DaySlot b) => new()
    {
        SumOfHourlyMeans = a.SumOfHourlyMeans + b.SumOfHourlyMeans,
        Min = Half.Min(a.Min, b.Min),
        Max = Half.Max(a.Max, b.Max),
        Count = (ushort)Math.Min(ushort.MaxValue, a.Count + b.Count),
        Hours = (byte)(a.Hours + b.Hours),
    };
}
