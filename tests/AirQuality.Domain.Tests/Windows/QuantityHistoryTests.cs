using AirQuality.Domain.Windows;

namespace AirQuality.Domain.Tests.Windows;

public class QuantityHistoryTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Days_merge_folded_hours_with_hours_still_in_the_window()
    {
        var history = new QuantityHistory(hours: 48, days: 90);
        // Four days, every hour at :00 and :30 with the day number as value.
        for (var h = 0; h < 96; h++)
        {
            history.Add(Day0.AddHours(h), h / 24);
            history.Add(Day0.AddHours(h).AddMinutes(30), h / 24);
        }

        var days = history.DaysBetween(Day0, Day0.AddDays(4));
        Assert.Equal(4, days.Count);
        for (var d = 0; d < 4; d++)
        {
            Assert.Equal(Day0.AddDays(d), days[d].PeriodStart);
            Assert.Equal(d, days[d].Mean, 5);
            Assert.Equal(48, days[d].Count);
            Assert.Equal(1.0, days[d].Coverage);
        }

        // Days 0 and 1 have left the 48 h window whole; day 2 and 3 are computed from it.
        Assert.NotNull(history.Daily.Get(Day0));
        Assert.NotNull(history.Daily.Get(Day0.AddDays(1)));
        Assert.Null(history.Daily.Get(Day0.AddDays(2)));
    }

    [Fact]
    public void A_day_split_across_the_window_edge_is_counted_once()
    {
        var history = new QuantityHistory(hours: 12, days: 90);
        for (var h = 0; h < 30; h++)
        {
            history.Add(Day0.AddHours(h), 10);
        }

        var day0 = Assert.Single(history.DaysBetween(Day0, Day0.AddDays(1)));
        Assert.Equal(24, day0.Count);
        Assert.Equal(1.0, day0.Coverage);
    }

    [Fact]
    public void Replaying_everything_changes_nothing()
    {
        var history = new QuantityHistory();
        var readings = Enumerable.Range(0, 2000).Select(i => (Day0.AddSeconds(i * 145), (double)(i % 50))).ToArray();
        foreach (var (t, v) in readings)
        {
            history.Add(t, v);
        }

        var before = history.DaysBetween(Day0, Day0.AddDays(10));
        var hoursBefore = history.HoursBetween(Day0, Day0.AddDays(10));
        foreach (var (t, v) in readings)
        {
            Assert.NotEqual(AddOutcome.Added, history.Add(t, v));
        }

        Assert.Equal(before, history.DaysBetween(Day0, Day0.AddDays(10)));
        Assert.Equal(hoursBefore, history.HoursBetween(Day0, Day0.AddDays(10)));
    }

    [Fact]
    public void Days_older_than_the_daily_window_are_dropped()
    {
        var history = new QuantityHistory(hours: 1, days: 3);
        for (var d = 0; d < 6; d++)
        {
            history.Add(Day0.AddDays(d), d);
        }

        history.Add(Day0.AddDays(6), 6);
        // Three folded days (3, 4, 5) plus day 6, still in the hourly window: "at least" the configured days.
        var days = history.DaysBetween(Day0, Day0.AddDays(7));
        Assert.Equal([3.0, 4.0, 5.0, 6.0], days.Select(d => d.Mean));
    }

    [Fact]
    public void A_snapshot_restores_hours_and_days()
    {
        var history = new QuantityHistory();
        for (var i = 0; i < 3000; i++)
        {
            history.Add(Day0.AddSeconds(i * 145), i % 40);
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            history.WriteTo(writer);
        }

        buffer.Position = 0;
        var restored = new QuantityHistory();
        restored.ReadFrom(new BinaryReader(buffer));
        Assert.Equal(history.DaysBetween(Day0, Day0.AddDays(10)), restored.DaysBetween(Day0, Day0.AddDays(10)));
        Assert.Equal(history.HoursBetween(Day0, Day0.AddDays(10)), restored.HoursBetween(Day0, Day0.AddDays(10)));
    }
}
