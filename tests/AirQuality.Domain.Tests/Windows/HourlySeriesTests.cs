using AirQuality.Domain.Windows;

namespace AirQuality.Domain.Tests.Windows;

public class HourlySeriesTests
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Irregular_readings_aggregate_per_clock_hour()
    {
        var series = new HourlySeries();
        series.Add(Ten.AddSeconds(5), 10);
        series.Add(Ten.AddMinutes(20), 20);
        series.Add(Ten.AddMinutes(59).AddSeconds(59), 30);
        series.Add(Ten.AddHours(1), 7); // the next hour starts exactly on the boundary

        var hour = series.Get(Ten)!.Value;
        Assert.Equal(Ten, hour.PeriodStart);
        Assert.Equal(Ten.AddHours(1), hour.PeriodEnd);
        Assert.Equal(20, hour.Mean);
        Assert.Equal(10, hour.Min);
        Assert.Equal(30, hour.Max);
        Assert.Equal(3, hour.Count);
        Assert.Equal(0.75, hour.Coverage); // quarters 1, 2 and 4 have data
        Assert.Equal(1, series.Get(Ten.AddHours(1))!.Value.Count);
    }

    [Theory]
    [InlineData(35.4)]
    [InlineData(35.45)]
    [InlineData(225.4)]
    [InlineData(9.1)]
    [InlineData(0.055)]
    [InlineData(899.9)]
    [InlineData(1013.25)]
    public void Hourly_means_of_decimal_values_come_back_exactly_despite_float_storage(double value)
    {
        // Band edges are decimal: a mean of 35.4 that came back as 35.39999 would truncate to 35.3.
        var series = new HourlySeries();
        for (var minute = 0; minute < 60; minute++)
        {
            series.Add(Ten.AddMinutes(minute), value);
        }

        var hour = series.Get(Ten)!.Value;
        Assert.Equal(value, hour.Mean);
        // Extremes are half-precision: within one part in 1024, never more.
        Assert.Equal(value, hour.Min, value / 1024);
        Assert.Equal(value, hour.Max, value / 1024);
    }

    [Theory]
    [InlineData(35.4)]
    [InlineData(225.4)]
    [InlineData(9.1)]
    [InlineData(0.055)]
    [InlineData(12.3)]
    [InlineData(-7.5)]
    public void Extremes_with_three_significant_digits_come_back_as_written(double value)
    {
        var series = new HourlySeries();
        series.Add(Ten, value);
        series.Add(Ten.AddMinutes(1), value + 100);

        var hour = series.Get(Ten)!.Value;
        Assert.Equal(value, hour.Min); // not the binary 35.40625
    }

    [Fact]
    public void Extremes_beyond_half_precision_range_are_clamped_not_infinite()
    {
        var series = new HourlySeries();
        series.Add(Ten, 1e6);
        series.Add(Ten.AddMinutes(1), -1e6);

        var hour = series.Get(Ten)!.Value;
        Assert.Equal(65500, hour.Max); // Half.MaxValue (65504), shown as its shortest decimal
        Assert.Equal(-65500, hour.Min);
        Assert.Equal(0, hour.Mean); // the mean keeps full precision
    }

    [Fact]
    public void Duplicates_and_replays_change_nothing_and_the_first_value_wins()
    {
        var series = new HourlySeries();
        Assert.Equal(AddOutcome.Added, series.Add(Ten.AddMinutes(1), 10));
        Assert.Equal(AddOutcome.Duplicate, series.Add(Ten.AddMinutes(1), 10));
        Assert.Equal(AddOutcome.Duplicate, series.Add(Ten.AddMinutes(1), 99));

        var hour = series.Get(Ten)!.Value;
        Assert.Equal(1, hour.Count);
        Assert.Equal(10, hour.Mean);
    }

    [Fact]
    public void A_second_reading_in_the_same_minute_is_sampled_out_and_reported_as_a_duplicate()
    {
        var series = new HourlySeries();
        Assert.Equal(AddOutcome.Added, series.Add(Ten.AddSeconds(10), 10));
        Assert.Equal(AddOutcome.Duplicate, series.Add(Ten.AddSeconds(50), 20));
        Assert.Equal(AddOutcome.Added, series.Add(Ten.AddSeconds(60), 30));
        Assert.Equal(2, series.Get(Ten)!.Value.Count);
    }

    [Fact]
    public void Hours_leaving_the_window_are_handed_on_once_oldest_first()
    {
        var series = new HourlySeries(capacityHours: 3);
        var evicted = new List<HourlyAggregate>();
        series.HourEvicted += evicted.Add;
        series.Add(Ten, 1);
        series.Add(Ten.AddHours(1), 2);
        series.Add(Ten.AddHours(2), 3);
        Assert.Empty(evicted);

        series.Add(Ten.AddHours(5), 4); // Ten, Ten+1h and Ten+2h leave; the empty Ten+3h and Ten+4h never held data
        Assert.Equal([Ten, Ten.AddHours(1), Ten.AddHours(2)], evicted.Select(e => e.PeriodStart));
        Assert.Equal([1.0, 2.0, 3.0], evicted.Select(e => e.Mean));

        series.Add(Ten.AddHours(5).AddMinutes(1), 5); // same hour: nothing more leaves
        Assert.Equal(3, evicted.Count);
    }

    [Fact]
    public void A_snapshot_restores_every_kept_hour()
    {
        var series = new HourlySeries();
        for (var i = 0; i < 300; i++)
        {
            series.Add(Ten.AddMinutes(i * 7), i % 13);
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            series.WriteTo(writer);
        }

        buffer.Position = 0;
        var restored = new HourlySeries();
        restored.ReadFrom(new BinaryReader(buffer));
        Assert.Equal(series.Hours(), restored.Hours());
        Assert.Equal(series.NewestHour, restored.NewestHour);
        Assert.Equal(AddOutcome.Duplicate, restored.Add(Ten.AddMinutes(7), 99));
    }

    [Fact]
    public void Out_of_order_readings_give_the_same_aggregates_as_in_order()
    {
        var readings = Enumerable.Range(0, 200).Select(i => (Ten.AddSeconds(i * 145), Value: (double)(i % 17))).ToArray();
        var inOrder = new HourlySeries();
        var shuffled = new HourlySeries();
        foreach (var (t, v) in readings)
        {
            inOrder.Add(t, v);
        }

        foreach (var (t, v) in readings.OrderBy(r => (r.Item1.Ticks * 7919) % 1009))
        {
            shuffled.Add(t, v);
        }

        Assert.Equal(inOrder.Hours(), shuffled.Hours());
        Assert.Equal(9, inOrder.Hours().Count);
    }

    [Fact]
    public void Readings_older_than_the_window_are_refused_and_old_hours_fall_out()
    {
        var series = new HourlySeries(capacityHours: 48);
        series.Add(Ten, 1);
        series.Add(Ten.AddHours(47), 2);
        Assert.NotNull(series.Get(Ten));

        series.Add(Ten.AddHours(48), 3); // Ten is now the 49th hour back
        Assert.Null(series.Get(Ten));
        Assert.Equal(AddOutcome.TooOld, series.Add(Ten.AddMinutes(5), 4));
        Assert.Equal(AddOutcome.Added, series.Add(Ten.AddHours(1), 5)); // a late reading inside the window
        Assert.Equal(3, series.Hours().Count);
    }

    [Fact]
    public void A_reused_ring_slot_does_not_keep_the_old_hours_values()
    {
        var series = new HourlySeries(capacityHours: 2);
        series.Add(Ten, 100);
        series.Add(Ten.AddHours(2), 1); // same slot as Ten
        var hour = series.Get(Ten.AddHours(2))!.Value;
        Assert.Equal(1, hour.Count);
        Assert.Equal(1, hour.Max);
    }

    [Fact]
    public void Running_24h_mean_needs_18_hours_with_75_percent_coverage()
    {
        var series = new HourlySeries();
        var end = Ten.AddHours(24);
        for (var h = 0; h < 18; h++)
        {
            FillHour(series, Ten.AddHours(h), 10 + h);
        }

        var mean = series.Running(end, 24);
        Assert.True(mean.IsValid);
        Assert.Equal(18, mean.HoursWithData);
        Assert.Equal(0.75, mean.Coverage);
        Assert.Equal(Enumerable.Range(10, 18).Average(), mean.Mean, 12);

        var series17 = new HourlySeries();
        for (var h = 0; h < 17; h++)
        {
            FillHour(series17, Ten.AddHours(h), 10);
        }

        Assert.False(series17.Running(end, 24).IsValid);
    }

    [Fact]
    public void Hours_with_less_than_75_percent_coverage_do_not_count()
    {
        var series = new HourlySeries();
        for (var h = 0; h < 8; h++)
        {
            // Two quarters only: 50 % coverage.
            series.Add(Ten.AddHours(h), 10);
            series.Add(Ten.AddHours(h).AddMinutes(20), 10);
        }

        Assert.True(double.IsNaN(series.HourlyMean(Ten)));
        Assert.Equal(10, series.HourlyMean(Ten, minCoverage: 0.5));
        var eight = series.Running(Ten.AddHours(8), 8);
        Assert.False(eight.IsValid);
        Assert.Equal(0, eight.HoursWithData);
        Assert.True(double.IsNaN(eight.Mean));
    }

    [Fact]
    public void Running_8h_mean_needs_6_of_8_hours()
    {
        var series = new HourlySeries();
        for (var h = 0; h < 6; h++)
        {
            FillHour(series, Ten.AddHours(h), 40);
        }

        var mean = series.Running(Ten.AddHours(8), 8);
        Assert.True(mean.IsValid);
        Assert.Equal(40, mean.Mean);
    }

    [Fact]
    public void Hourly_means_for_the_nowcast_come_most_recent_first_with_gaps_as_nan()
    {
        var series = new HourlySeries();
        FillHour(series, Ten, 1);
        FillHour(series, Ten.AddHours(2), 3);

        Span<double> hours = stackalloc double[12];
        series.FillHourlyMeans(Ten.AddHours(3), hours);

        Assert.Equal(3, hours[0]);
        Assert.True(double.IsNaN(hours[1]));
        Assert.Equal(1, hours[2]);
        Assert.True(double.IsNaN(hours[3]));
    }

    [Fact]
    public void Batch_aggregation_dedupes_and_sorts()
    {
        var readings = new[] { (Ten.AddHours(1), 5.0), (Ten, 1.0), (Ten, 1.0), (Ten.AddMinutes(30), 3.0) };
        var hours = HourlyAggregation.Aggregate(readings);
        Assert.Equal(2, hours.Count);
        Assert.Equal(Ten, hours[0].PeriodStart);
        Assert.Equal(2, hours[0].Count);
        Assert.Equal(2, hours[0].Mean);
        Assert.Equal(0.5, hours[0].Coverage);
    }

    [Fact]
    public void Times_before_the_epoch_land_in_the_right_hour()
    {
        var series = new HourlySeries();
        var early = new DateTimeOffset(1969, 12, 31, 23, 30, 0, TimeSpan.Zero);
        series.Add(early, 1);
        Assert.Equal(1, series.Get(new DateTimeOffset(1969, 12, 31, 23, 0, 0, TimeSpan.Zero))!.Value.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(65)]
    public void Slots_per_hour_must_divide_the_hour(int slots) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HourlySeries(48, slots));

    private static void FillHour(HourlySeries series, DateTimeOffset hourStart, double value)
    {
        for (var minute = 0; minute < 60; minute += 5)
        {
            series.Add(hourStart.AddMinutes(minute), value);
        }
    }
}
