using AirQuality.Domain.Aqi;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Sensors;

namespace AirQuality.Domain.Tests.Sensors;

public class SensorStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Readings_set_latest_values_and_first_and_last_seen()
    {
        var state = new SensorState("s1");
        state.Apply(Reading(T0.AddMinutes(10), (Quantity.Pm25, 10), (Quantity.Temperature, 3)));
        state.Apply(Reading(T0, (Quantity.Pm25, 99))); // late: history yes, latest no

        Assert.Equal(T0, state.FirstSeen);
        Assert.Equal(T0.AddMinutes(10), state.LastSeen);
        Assert.Equal(10, state.Latest.Single(l => l.Quantity == Quantity.Pm25).Value);
        Assert.Equal(2, state.History(QuantityKind.Pm25)!.Hourly.Get(T0)!.Value.Count);
    }

    [Fact]
    public void Applying_the_same_reading_twice_changes_nothing()
    {
        var state = new SensorState("s1");
        var reading = Reading(T0, (Quantity.Pm25, 10), (Quantity.Parse("noise_LAeq"), 40));
        var first = state.Apply(reading);
        var snapshot = state.ToSnapshot();
        var second = state.Apply(reading);

        Assert.Equal(new ApplyResult(2, 0, 0), first);
        Assert.Equal(new ApplyResult(0, 2, 0), second);
        Assert.False(second.Changed);
        Assert.Equal(snapshot, state.ToSnapshot());
    }

    [Fact]
    public void Readings_older_than_the_hourly_window_are_counted_as_too_old()
    {
        var state = new SensorState("s1");
        state.Apply(Reading(T0, (Quantity.Pm25, 10)));
        var result = state.Apply(Reading(T0.AddHours(-48), (Quantity.Pm25, 10)));
        Assert.Equal(1, result.TooOld);
        Assert.Equal(T0, state.FirstSeen);
    }

    [Fact]
    public void Status_is_never_seen_then_online_then_stale()
    {
        var state = new SensorState("s1");
        var stale = TimeSpan.FromMinutes(15);
        Assert.Equal(SensorStatus.NeverSeen, state.Status(T0, stale));
        state.Apply(Reading(T0, (Quantity.Pm25, 1)));
        Assert.Equal(SensorStatus.Online, state.Status(T0.AddMinutes(15), stale));
        Assert.Equal(SensorStatus.Stale, state.Status(T0.AddMinutes(15).AddSeconds(1), stale));
    }

    [Fact]
    public void Metadata_follows_the_newest_reading_that_carries_it()
    {
        var state = new SensorState("s1");
        state.Apply(Reading(T0, (Quantity.Pm25, 1)) with { Location = new SensorLocation(51, 13, Country: "DE"), SensorType = "SDS011" });
        state.Apply(Reading(T0.AddMinutes(1), (Quantity.Pm25, 1))); // no metadata: keeps what it had
        Assert.Equal("DE", state.Location!.Country);
        state.Apply(Reading(T0.AddMinutes(2), (Quantity.Pm25, 1)) with { Location = new SensorLocation(52, 14, Country: "PL") });
        Assert.Equal("PL", state.Location!.Country);
        Assert.Equal("SDS011", state.SensorType);
    }

    [Fact]
    public void Us_aqi_is_the_pm_nowcast()
    {
        var state = new SensorState("s1");
        Fill(state, Quantity.Pm25, T0, hours: 3, value: 35.5);
        var aqi = state.ComputeAqi(AqiStandard.UsEpa2024, T0.AddHours(3).AddMinutes(-1));
        Assert.Equal(101, aqi.Overall.Index);
        Assert.Equal(Pollutant.Pm25, aqi.Overall.DominantPollutant);
    }

    [Fact]
    public void Us_aqi_is_insufficient_with_one_recent_hour()
    {
        var state = new SensorState("s1");
        Fill(state, Quantity.Pm25, T0, hours: 1, value: 35.5);
        var aqi = state.ComputeAqi(AqiStandard.UsEpa2024, T0.AddMinutes(59));
        Assert.Equal(AqiStatus.InsufficientData, aqi.Overall.Status);
    }

    [Fact]
    public void Uk_aqi_uses_the_24h_running_mean_with_18_hours()
    {
        var state = new SensorState("s1");
        Fill(state, Quantity.Pm25, T0, hours: 17, value: 36);
        var now = T0.AddHours(24).AddMinutes(-1);
        Assert.Equal(AqiStatus.InsufficientData, state.ComputeAqi(AqiStandard.UkDaqi, now).Overall.Status);

        Fill(state, Quantity.Pm25, T0.AddHours(17), hours: 1, value: 36);
        var aqi = state.ComputeAqi(AqiStandard.UkDaqi, now);
        Assert.Equal(4, aqi.Overall.Index);
        Assert.Equal("Moderate", aqi.Overall.Category!.Name);
    }

    [Fact]
    public void Eu_aqi_uses_the_latest_hour_and_converts_gases_at_20_degrees()
    {
        var state = new SensorState("s1");
        Fill(state, Quantity.Pm25, T0, hours: 2, value: 16);   // band 3
        Fill(state, Quantity.O3, T0, hours: 2, value: 91);     // 91 ppb = 182 µg/m³: band 6
        var aqi = state.ComputeAqi(AqiStandard.EuEaqi2024, T0.AddHours(2).AddMinutes(-1));
        Assert.Equal(6, aqi.Overall.Index);
        Assert.Equal(Pollutant.O3, aqi.Overall.DominantPollutant);
        Assert.Equal(3, aqi.Parts.Single(p => p.Pollutant == Pollutant.Pm25).Index);
    }

    [Fact]
    public void Us_ozone_uses_the_8h_mean_in_ppm()
    {
        var state = new SensorState("s1");
        Fill(state, Quantity.O3, T0, hours: 8, value: 70);
        var aqi = state.ComputeAqi(AqiStandard.UsEpa2024, T0.AddHours(8).AddMinutes(-1));
        Assert.Equal(100, aqi.Overall.Index);
    }

    [Fact]
    public void A_sensor_that_stops_fades_to_insufficient_data()
    {
        var state = new SensorState("s1");
        Fill(state, Quantity.Pm25, T0, hours: 3, value: 20);
        Assert.True(state.ComputeAqi(AqiStandard.UsEpa2024, T0.AddHours(3).AddMinutes(-1)).Overall.HasIndex);
        Assert.False(state.ComputeAqi(AqiStandard.UsEpa2024, T0.AddHours(5)).Overall.HasIndex);
    }

    [Fact]
    public void Snapshot_round_trip_keeps_everything()
    {
        var state = new SensorState("esp8266-1:1");
        state.Apply(Reading(T0, (Quantity.Parse("noise_LAeq"), 40)) with { Location = new SensorLocation(51.04, 13.74, 120, "DE", false), SensorType = "SDS011" });
        Fill(state, Quantity.Pm25, T0, hours: 60, value: 12.5);
        Fill(state, Quantity.Pm10, T0, hours: 60, value: 20.25);

        var restored = SensorState.FromSnapshot(state.ToSnapshot());

        var now = T0.AddHours(60).AddMinutes(-1);
        Assert.Equal(state.SensorId, restored.SensorId);
        Assert.Equal(state.Location, restored.Location);
        Assert.Equal(state.SensorType, restored.SensorType);
        Assert.Equal(state.FirstSeen, restored.FirstSeen);
        Assert.Equal(state.LastSeen, restored.LastSeen);
        Assert.Equal(state.Latest, restored.Latest);
        foreach (var standard in AqiStandard.All)
        {
            Assert.Equal(state.ComputeAqi(standard, now).Overall, restored.ComputeAqi(standard, now).Overall);
        }

        Assert.Equal(state.History(QuantityKind.Pm10)!.DaysBetween(T0, T0.AddDays(3)), restored.History(QuantityKind.Pm10)!.DaysBetween(T0, T0.AddDays(3)));
        Assert.Equal(state.ToSnapshot(), restored.ToSnapshot());
    }

    [Fact]
    public void Snapshot_round_trip_keeps_the_name()
    {
        var state = new SensorState("s1") { Name = "Main St, \"north\" corner" };
        var restored = SensorState.FromSnapshot(state.ToSnapshot());
        Assert.Equal(state.Name, restored.Name);
        Assert.Null(SensorState.FromSnapshot(new SensorState("s2").ToSnapshot()).Name);
    }

    [Fact]
    public void Version_1_snapshots_still_read()
    {
        // Written by the version 1 code (before names): location, type, PM2.5 history, two latest values.
        const string V1 = "AQl2MS1zZW5zb3IBBlNEUzAxMQGF61G4HoVJQHsUrkfheitAAAAAAAAAXkABAkRFAACAorf0SN8IALSE6PhI3wgCBHBtMjUAAAAAAEA0QAC0hOj4SN8IC3RlbXBlcmF0dXJlAAAAAAAACEAAgKK39EjfCAECIJwHAAAAAAABAAAAAAAAAABgQEAAAEhBAACiQQEAAEAAAAAAAAAAAAAAAIAAAA==";
        var settings = new SensorStateSettings(24, 1, new HashSet<QuantityKind> { QuantityKind.Pm25 });

        var state = SensorState.FromSnapshot(Convert.FromBase64String(V1), settings);

        Assert.Equal("v1-sensor", state.SensorId);
        Assert.Null(state.Name);
        Assert.Equal("SDS011", state.SensorType);
        Assert.Equal(new SensorLocation(51.04, 13.74, 120, "DE", false), state.Location);
        Assert.Equal(T0, state.FirstSeen);
        Assert.Equal(T0.AddMinutes(30), state.LastSeen);
        Assert.Equal(20.25, state.Latest.Single(l => l.Quantity == Quantity.Pm25).Value);
        Assert.Equal(2, state.History(QuantityKind.Pm25)!.Hourly.Get(T0)!.Value.Count);

        // And it is written back as version 2, which reads the same.
        var again = SensorState.FromSnapshot(state.ToSnapshot(), settings);
        Assert.Equal(2, state.ToSnapshot()[0]);
        Assert.Equal(state.Location, again.Location);
        Assert.Equal(state.Latest, again.Latest);
    }

    [Fact]
    public void Snapshots_of_another_version_are_refused_clearly()
    {
        var snapshot = new SensorState("s1").ToSnapshot();
        snapshot[0] = 99;
        var error = Assert.Throws<InvalidDataException>(() => SensorState.FromSnapshot(snapshot));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantities_without_history_keep_their_latest_value_only()
    {
        var state = new SensorState("s1", new SensorStateSettings(HistoryKinds: new HashSet<QuantityKind> { QuantityKind.Pm25 }));
        var first = state.Apply(Reading(T0, (Quantity.Pm25, 10), (Quantity.Temperature, 3)));
        var replay = state.Apply(Reading(T0, (Quantity.Pm25, 10), (Quantity.Temperature, 3)));

        Assert.Equal(2, first.Added);
        Assert.Equal(2, replay.Duplicates);
        Assert.Null(state.History(QuantityKind.Temperature));
        Assert.Equal(3, state.Latest.Single(l => l.Quantity == Quantity.Temperature).Value);
        Assert.NotNull(state.History(QuantityKind.Pm25));
    }

    [Fact]
    public void Unknown_quantities_are_bounded()
    {
        var state = new SensorState("s1");
        for (var i = 0; i < 100; i++)
        {
            state.Apply(Reading(T0, (Quantity.Parse($"x{i}"), i)));
        }

        Assert.Equal(SensorState.MaxLatestValues, state.Latest.Count);
    }

    private static Reading Reading(DateTimeOffset at, params (Quantity Q, double V)[] values) =>
        new("s1", at, values.Select(v => new Measurement(v.Q, v.V)).ToArray());

    private static void Fill(SensorState state, Quantity quantity, DateTimeOffset from, int hours, double value)
    {
        for (var minute = 0; minute < hours * 60; minute += 5)
        {
            state.Apply(Reading(from.AddMinutes(minute), (quantity, value)));
        }
    }
}
