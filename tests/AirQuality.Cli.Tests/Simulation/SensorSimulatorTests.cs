using AirQuality.Cli.Simulation;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;

namespace AirQuality.Cli.Tests.Simulation;

public class SensorSimulatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(145);

    /// <summary>Two days of 200 sensors, shared by the tests that look at statistics (about 240,000 readings).</summary>
    private static readonly Lazy<(SensorSimulator Simulator, Reading[] Readings)> TwoDays = new(() =>
    {
        var simulator = new SensorSimulator(200, Interval, seed: 7);
        return (simulator, simulator.Generate(Start, Start.AddDays(2)).ToArray());
    });

    [Fact]
    public void The_same_seed_gives_the_same_sensors_and_readings_and_another_seed_does_not()
    {
        var a = new SensorSimulator(40, Interval, seed: 42).Generate(Start, Start.AddHours(3)).Select(Text).ToList();
        var b = new SensorSimulator(40, Interval, seed: 42).Generate(Start, Start.AddHours(3)).Select(Text).ToList();
        var c = new SensorSimulator(40, Interval, seed: 43).Generate(Start, Start.AddHours(3)).Select(Text).ToList();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.True(a.Count > 40 * 3 * 3600 / 145 * 0.8, $"only {a.Count} readings");
    }

    [Fact]
    public void Enumerating_twice_gives_the_same_readings_in_timestamp_order()
    {
        var simulator = new SensorSimulator(30, Interval, seed: 1);
        var first = simulator.Generate(Start, Start.AddHours(2)).ToList();
        var second = simulator.Generate(Start, Start.AddHours(2)).ToList();

        Assert.Equal(first.Select(Text), second.Select(Text));
        Assert.All(first.Zip(first.Skip(1)), pair => Assert.True(pair.First.Timestamp <= pair.Second.Timestamp));
        Assert.All(first, r => Assert.True(r.Timestamp >= Start && r.Timestamp < Start.AddHours(2)));
        Assert.All(first, r => Assert.Equal(0, r.Timestamp.Millisecond));
    }

    [Fact]
    public void Pm10_is_never_below_pm25_and_the_validator_accepts_every_value_and_timestamp()
    {
        var validator = new ReadingValidator(time: new FixedClock(Start.AddDays(2)));
        var (_, readings) = TwoDays.Value;

        foreach (var reading in readings)
        {
            Assert.Null(SensorId.Problem(reading.SensorId));
            Assert.Null(validator.CheckTimestamp(reading.Timestamp));
            Assert.Null(reading.Location!.Problem);
            Assert.Equal(4, reading.Values.Count);
            foreach (var value in reading.Values)
            {
                Assert.Null(validator.CheckValue(value.Quantity, value.Value));
            }

            Assert.True(Value(reading, "pm10") >= Value(reading, "pm25"), $"{reading.SensorId} at {reading.Timestamp:O}: pm10 < pm25");
        }
    }

    [Fact]
    public void Particulates_peak_in_the_local_morning_above_the_small_hours()
    {
        var (simulator, readings) = TwoDays.Value;
        var cityOf = simulator.Sensors.ToDictionary(s => s.Id, s => s.City);
        double MeanAt(int hour) => readings
            .Where(r => (int)cityOf[r.SensorId].LocalHour(r.Timestamp) == hour)
            .Average(r => Value(r, "pm25") / cityOf[r.SensorId].Pm25);

        var morning = MeanAt(8);
        var night = MeanAt(3);
        var evening = MeanAt(20);
        Assert.True(morning > night * 1.3, $"08:00 mean {morning:0.00} vs 03:00 mean {night:0.00} (relative to each city's mean)");
        Assert.True(evening > night * 1.3, $"20:00 mean {evening:0.00} vs 03:00 mean {night:0.00}");
    }

    [Fact]
    public void Temperature_is_warmer_in_the_afternoon_than_before_dawn()
    {
        var (simulator, readings) = TwoDays.Value;
        var cityOf = simulator.Sensors.ToDictionary(s => s.Id, s => s.City);
        double MeanAt(int hour) => readings.Where(r => (int)cityOf[r.SensorId].LocalHour(r.Timestamp) == hour)
            .Average(r => Value(r, "temperature") - cityOf[r.SensorId].Temperature);

        Assert.True(MeanAt(15) > MeanAt(5) + 3, $"15:00 {MeanAt(15):0.0} vs 05:00 {MeanAt(5):0.0}");
    }

    [Fact]
    public void Every_city_has_hours_long_pollution_episodes_now_and_then()
    {
        var simulator = new SensorSimulator(1, Interval, seed: 7);
        foreach (var city in SimulatedCity.All)
        {
            var hours = Enumerable.Range(0, 90 * 24).Select(h => simulator.Episode(city, Start.AddHours(h))).ToArray();
            var inEpisode = hours.Count(f => f > 1.5);
            Assert.True(inEpisode >= 3, $"{city.Slug}: {inEpisode} episode hours in 90 days");
            Assert.True(inEpisode < hours.Length / 5, $"{city.Slug}: {inEpisode} of {hours.Length} hours in an episode");
            Assert.All(hours, f => Assert.InRange(f, 1, 4.5));
        }
    }

    [Fact]
    public void Stuck_prone_sensors_repeat_their_values_and_the_others_do_not()
    {
        var (simulator, readings) = TwoDays.Value;
        var bySensor = readings.GroupBy(r => r.SensorId).ToDictionary(g => g.Key, g => g.ToList());
        var stuckProne = simulator.Sensors.Where(s => s.Behaviour.HasFlag(SensorBehaviour.StuckProne)).ToList();
        Assert.NotEmpty(stuckProne);

        foreach (var sensor in simulator.Sensors)
        {
            var longest = LongestRepeat(bySensor[sensor.Id]);
            if (sensor.Behaviour.HasFlag(SensorBehaviour.StuckProne))
            {
                continue;
            }

            Assert.True(longest < 3, $"{sensor.Id} repeated its values {longest} times without being stuck-prone");
        }

        // Spells are 45 min to 8 h (18+ readings); over two days most stuck-prone sensors have at least one.
        var stuck = stuckProne.Count(s => LongestRepeat(bySensor[s.Id]) >= 15);
        Assert.True(stuck * 2 >= stuckProne.Count, $"{stuck} of {stuckProne.Count} stuck-prone sensors got stuck");
    }

    [Fact]
    public void Flaky_sensors_go_silent_for_a_while_and_the_others_only_miss_single_readings()
    {
        var (simulator, readings) = TwoDays.Value;
        var bySensor = readings.GroupBy(r => r.SensorId).ToDictionary(g => g.Key, g => g.Select(r => r.Timestamp).ToList());
        var flaky = simulator.Sensors.Where(s => s.Behaviour.HasFlag(SensorBehaviour.Flaky)).ToList();
        Assert.NotEmpty(flaky);

        foreach (var sensor in simulator.Sensors)
        {
            var gap = LongestGap(bySensor[sensor.Id]);
            if (sensor.Behaviour.HasFlag(SensorBehaviour.Flaky))
            {
                Assert.True(gap >= TimeSpan.FromMinutes(20), $"flaky {sensor.Id}: longest gap {gap}");
            }
            else
            {
                Assert.True(gap < TimeSpan.FromMinutes(15), $"{sensor.Id}: longest gap {gap}");
            }
        }
    }

    [Fact]
    public void Sensors_stand_within_a_few_km_of_their_city_and_are_named_after_it()
    {
        var simulator = new SensorSimulator(500, Interval, seed: 3);

        Assert.Equal(500, simulator.Sensors.Select(s => s.Id).Distinct().Count());
        Assert.Equal(SimulatedCity.All.Count, simulator.Sensors.Select(s => s.City).Distinct().Count());
        foreach (var sensor in simulator.Sensors)
        {
            Assert.Matches($"^sim-{sensor.City.Slug}-[0-9]+$", sensor.Id);
            var km = DistanceKm(sensor.City.Latitude, sensor.City.Longitude, sensor.Location.Latitude, sensor.Location.Longitude);
            Assert.True(km <= SensorSimulator.JitterRadiusKm + 0.01, $"{sensor.Id} is {km:0.00} km from {sensor.City.Slug}");
            Assert.Equal(sensor.City.Country, sensor.Location.Country);
        }

        // Spread, not piled on the centre.
        Assert.Contains(simulator.Sensors, s => DistanceKm(s.City.Latitude, s.City.Longitude, s.Location.Latitude, s.Location.Longitude) > 3);
    }

    [Fact]
    public void A_few_sensors_land_in_different_cities()
    {
        var simulator = new SensorSimulator(5, Interval, seed: 9);
        Assert.Equal(5, simulator.Sensors.Select(s => s.City).Distinct().Count());
        Assert.All(simulator.Sensors, s => Assert.EndsWith("-1", s.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void The_city_list_is_real_places_across_continents()
    {
        Assert.InRange(SimulatedCity.All.Count, 25, 40);
        Assert.Equal(SimulatedCity.All.Count, SimulatedCity.All.Select(c => c.Slug).Distinct().Count());
        foreach (var country in new[] { "DE", "GB", "US", "IN", "FR", "PL" })
        {
            Assert.Contains(SimulatedCity.All, c => c.Country == country);
        }

        Assert.All(SimulatedCity.All, c => Assert.Null(new SensorLocation(c.Latitude, c.Longitude, c.Altitude, c.Country).Problem));
    }

    private static int LongestRepeat(List<Reading> readings)
    {
        int longest = 1, current = 1;
        for (var i = 1; i < readings.Count; i++)
        {
            current = readings[i].Values.SequenceEqual(readings[i - 1].Values) ? current + 1 : 1;
            longest = Math.Max(longest, current);
        }

        return longest;
    }

    private static TimeSpan LongestGap(List<DateTimeOffset> times) =>
        times.Zip(times.Skip(1)).Select(p => p.Second - p.First).DefaultIfEmpty(TimeSpan.MaxValue).Max();

    private static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(lat2 - lat1);
        var dLon = Radians(lon2 - lon1);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 6371.0 * 2 * Math.Atan2(Math.Sqrt(a), Math.Sqrt(1 - a));
    }

    private static double Value(Reading reading, string quantity) => reading.Values.Single(m => m.Quantity.Name == quantity).Value;

    private static string Text(Reading r) =>
        $"{r.SensorId} {r.Timestamp:O} {string.Join(",", r.Values.Select(v => $"{v.Quantity.Name}={v.Value}"))} {r.Location}";

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
