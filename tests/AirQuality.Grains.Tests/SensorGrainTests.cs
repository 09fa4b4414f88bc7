using AirQuality.Contracts;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;

namespace AirQuality.Grains.Tests;

[Collection(ClusterDefinition.Name)]
public class SensorGrainTests(ClusterFixture fixture)
{
    private static DateTimeOffset Now => ClusterFixture.Clock.GetUtcNow();

    [Fact]
    public async Task Aqi_after_three_hours_of_readings_is_the_nowcast()
    {
        var sensor = Sensor();
        var start = HourStart(Now).AddHours(-2);
        await sensor.Ingest(Series(sensor, start, minutes: 180, pm25: 35.5));

        var view = await sensor.GetView();
        var us = view.Aqi.Single(a => a.Standard == "us-epa-2024");
        Assert.Equal(101, us.Index);
        Assert.Equal("pm25", us.DominantPollutant);
        Assert.Equal("Unhealthy for Sensitive Groups", us.Category);
        Assert.Equal(SensorStatusView.Online, view.Status);
        Assert.Equal(35.5, view.Latest.Single(m => m.Quantity == "pm25").Value);
    }

    [Fact]
    public async Task Nowcast_over_a_gap_is_insufficient_until_two_of_three_hours_have_data()
    {
        var sensor = Sensor();
        var start = HourStart(Now).AddHours(-2);
        await sensor.Ingest(Series(sensor, start, minutes: 60, pm25: 20)); // hour -2 only
        Assert.Null((await sensor.GetView()).Aqi.Single(a => a.Standard == "us-epa-2024").Index);

        await sensor.Ingest(Series(sensor, start.AddHours(2), minutes: 60, pm25: 20)); // the current hour: 2 of 3
        Assert.NotNull((await sensor.GetView()).Aqi.Single(a => a.Standard == "us-epa-2024").Index);
    }

    [Fact]
    public async Task The_same_batch_twice_changes_nothing()
    {
        var sensor = Sensor();
        var batch = Series(sensor, HourStart(Now), minutes: 30, pm25: 12);
        var first = await sensor.Ingest(batch);
        var before = await sensor.GetView();
        var second = await sensor.Ingest(batch);

        Assert.Equal(6, first.Added);
        Assert.Equal(new IngestResult(0, 6, 0, 0, DuplicateReadings: 6, TooOldReadings: 0), second);
        Assert.Equal(Json(before), Json(await sensor.GetView()));
    }

    [Fact]
    public async Task Out_of_order_batches_give_the_same_history_as_in_order()
    {
        var inOrder = Sensor();
        var shuffled = Sensor();
        var start = HourStart(Now).AddHours(-5);
        var readings = Series(inOrder, start, minutes: 300, pm25: 0).Select((r, i) => r with { Values = [new Measurement(Quantity.Pm25, i % 23)] }).ToArray();

        await inOrder.Ingest(readings);
        foreach (var chunk in readings.Reverse().Chunk(7))
        {
            await shuffled.Ingest(chunk.Select(r => r with { SensorId = shuffled.GetPrimaryKeyString() }).ToArray());
        }

        var a = await inOrder.GetHistory("pm25", start, start.AddHours(6), HistoryInterval.Hour);
        var b = await shuffled.GetHistory("pm25", start, start.AddHours(6), HistoryInterval.Hour);
        Assert.Equal(5, a.Count);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Late_readings_land_in_their_hour_and_too_old_ones_are_reported()
    {
        var sensor = Sensor();
        await sensor.Ingest(Series(sensor, HourStart(Now), minutes: 10, pm25: 5));
        var late = await sensor.Ingest(Series(sensor, HourStart(Now).AddHours(-3), minutes: 10, pm25: 50));
        var tooOld = await sensor.Ingest(Series(sensor, HourStart(Now).AddHours(-60), minutes: 10, pm25: 50));

        Assert.Equal(2, late.Added);
        Assert.Equal(2, tooOld.TooOld);
        var hours = await sensor.GetHistory("pm25", HourStart(Now).AddHours(-4), HourStart(Now).AddHours(1), HistoryInterval.Hour);
        Assert.Equal([HourStart(Now).AddHours(-3), HourStart(Now)], hours.Select(h => h.PeriodStart));
        Assert.Equal(50, hours[0].Mean);
    }

    [Fact]
    public async Task Readings_for_another_sensor_are_refused()
    {
        var sensor = Sensor();
        var other = Series(Sensor(), HourStart(Now), minutes: 10, pm25: 5);
        var result = await sensor.Ingest(other);
        Assert.Equal(2, result.Refused);
        Assert.Equal(SensorStatusView.NeverSeen, (await sensor.GetView()).Status);
    }

    [Fact]
    public async Task Invalid_sensor_ids_never_activate()
    {
        var bad = fixture.Client.GetGrain<ISensorGrain>("../../etc/passwd");
        await Assert.ThrowsAnyAsync<Exception>(() => bad.GetView());
        var huge = fixture.Client.GetGrain<ISensorGrain>(new string('x', 129));
        await Assert.ThrowsAnyAsync<Exception>(() => huge.GetView());
    }

    [Fact]
    public async Task State_survives_deactivation()
    {
        var sensor = Sensor();
        await sensor.Ingest(Series(sensor, HourStart(Now).AddHours(-2), minutes: 180, pm25: 22).Select(r => r with { Location = new SensorLocation(51.04, 13.74, 120, "DE", false) }).ToArray());
        var before = Json(await sensor.GetView());

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(before, Json(await sensor.GetView()));
        Assert.Equal(0, (await sensor.Ingest(Series(sensor, HourStart(Now).AddHours(-2), minutes: 180, pm25: 22))).Added);
    }

    [Fact]
    public async Task Daily_history_covers_days_behind_the_hourly_window()
    {
        var sensor = Sensor();
        var start = HourStart(Now).AddHours(-40);
        await sensor.Ingest(Series(sensor, start, minutes: 41 * 60, pm25: 10));

        var days = await sensor.GetHistory("pm25", start.Date, Now.AddDays(1), HistoryInterval.Day);
        Assert.NotEmpty(days);
        Assert.All(days, d => Assert.Equal(10, d.Mean!.Value, 5));
        Assert.Equal(41 * 12, days.Sum(d => d.Count)); // one reading every 5 minutes
        await Assert.ThrowsAnyAsync<ArgumentException>(() => sensor.GetHistory("pm25", Now, Now.AddDays(500), HistoryInterval.Day));
        Assert.Empty(await sensor.GetHistory("radon", start, Now, HistoryInterval.Hour));
    }

    private ISensorGrain Sensor() => fixture.Client.GetGrain<ISensorGrain>($"test-{Guid.NewGuid():N}");

    private static DateTimeOffset HourStart(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);

    private static Reading[] Series(ISensorGrain sensor, DateTimeOffset start, int minutes, double pm25) =>
        Enumerable.Range(0, minutes / 5)
            .Select(i => new Reading(sensor.GetPrimaryKeyString(), start.AddMinutes(i * 5), [new Measurement(Quantity.Pm25, pm25)]))
            .ToArray();

    private static string Json(SensorView view) => System.Text.Json.JsonSerializer.Serialize(view);
}
