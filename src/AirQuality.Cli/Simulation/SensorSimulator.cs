using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;

namespace AirQuality.Cli.Simulation;

/// <summary>
/// Generates realistic readings of synthetic low-cost sensors placed around real cities: PM2.5 and PM10
/// (µg/m³), temperature (°C) and relative humidity (%). Deterministic for a seed; no I/O, no clock.
/// </summary>
/// <remarks>
/// <para>Sensors are spread over <see cref="SimulatedCity.All"/> in a seed-shuffled order (so a few sensors
/// land in different cities), each within <see cref="JitterRadiusKm"/> of its city centre; ids are
/// <c>sim-&lt;city&gt;-&lt;n&gt;</c>. Each reports every interval, ±2 %, from a random phase.</para>
/// <para>PM2.5 = city mean × season (more in the local winter) × weather (slow, city-wide) × episode (city-wide,
/// 3–18 h at 1.8–4.5×, about one a week) × diurnal (local morning and evening traffic peaks over a lower night)
/// × the sensor's bias × noise. PM10 = PM2.5 × the sensor's coarse ratio with noise, never below PM2.5.
/// Temperature follows season, a daily cycle peaking mid-afternoon and the weather; humidity moves against it.
/// Values stay inside the Sensor.Community plausibility gates.</para>
/// <para>City-wide factors are functions of time (hashed from the seed), so sensors of one city move together
/// and the same instant gives the same city factors whatever --start is. Per-sensor noise, outages and stuck
/// spells come from each sensor's own seeded random sequence.</para>
/// </remarks>
internal sealed class SensorSimulator
{
    public const double JitterRadiusKm = 5;
    public const string SensorType = "simulated";

    private const double FlakyShare = 0.12;
    private const double StuckProneShare = 0.06;
    private const double LostReadingChance = 0.005;
    private const double EpisodeChancePerSlot = 0.035;
    private const double KmPerDegreeLatitude = 111.32;
    private static readonly TimeSpan MeanTimeBetweenOutages = TimeSpan.FromHours(8);
    private static readonly TimeSpan MeanTimeBetweenStuckSpells = TimeSpan.FromHours(24);
    private static readonly TimeSpan EpisodeSlot = TimeSpan.FromHours(6);
    private static readonly TimeSpan EpisodeRamp = TimeSpan.FromHours(1.5);

    private readonly ulong _hash;
    private readonly SimulatedSensor[] _sensors;
    private readonly int[] _cityIndex;

    public SensorSimulator(int sensorCount, TimeSpan interval, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sensorCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromSeconds(1));
        Seed = seed;
        Interval = interval;
        _hash = Mix(0x5EED_0000_0000_0000UL ^ (uint)seed);

        var random = new Random(seed);
        var cities = Enumerable.Range(0, SimulatedCity.All.Count).ToArray();
        random.Shuffle(cities);
        var perCity = new int[cities.Length];
        _sensors = new SimulatedSensor[sensorCount];
        _cityIndex = new int[sensorCount];
        for (var i = 0; i < sensorCount; i++)
        {
            var cityIndex = cities[i % cities.Length];
            var city = SimulatedCity.All[cityIndex];
            var number = ++perCity[i % cities.Length];

            // Uniform over a disc: the radius goes with the square root.
            var distance = JitterRadiusKm * Math.Sqrt(random.NextDouble());
            var bearing = 2 * Math.PI * random.NextDouble();
            var latitude = city.Latitude + (distance * Math.Cos(bearing) / KmPerDegreeLatitude);
            var longitude = city.Longitude + (distance * Math.Sin(bearing) / (KmPerDegreeLatitude * Math.Cos(city.Latitude * Math.PI / 180)));
            var location = new SensorLocation(Math.Round(latitude, 5), Math.Round(longitude, 5), city.Altitude, city.Country, Indoor: false);

            var behaviour = SensorBehaviour.Normal;
            if (random.NextDouble() < FlakyShare)
            {
                behaviour |= SensorBehaviour.Flaky;
            }

            if (random.NextDouble() < StuckProneShare)
            {
                behaviour |= SensorBehaviour.StuckProne;
            }

            var bias = Math.Exp(0.15 * Gaussian(random));
            var coarse = Math.Clamp(1.55 * Math.Exp(0.12 * Gaussian(random)), 1.15, 2.6);
            var temperatureBias = 0.6 * Gaussian(random);
            _sensors[i] = new SimulatedSensor($"sim-{city.Slug}-{number}", city, location, behaviour, bias, coarse, temperatureBias);
            _cityIndex[i] = cityIndex;
        }
    }

    public int Seed { get; }

    public TimeSpan Interval { get; }

    public IReadOnlyList<SimulatedSensor> Sensors => _sensors;

    /// <summary>
    /// Every reading with a timestamp in [<paramref name="start"/>, <paramref name="end"/>), in timestamp order
    /// (ties by sensor), timestamps in whole seconds. Enumerating again gives the same readings.
    /// </summary>
    public IEnumerable<Reading> Generate(DateTimeOffset start, DateTimeOffset end)
    {
        var from = new DateTimeOffset(start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var until = end.UtcTicks;
        var states = new State[_sensors.Length];
        var queue = new PriorityQueue<int, (long Ticks, int Sensor)>(_sensors.Length);
        for (var i = 0; i < _sensors.Length; i++)
        {
            var random = new Random((int)(Mix(_hash + 0x1000UL + (ulong)i) >> 33));
            states[i] = new State(random);
            var phase = WholeSeconds(Interval.Ticks * random.NextDouble());
            queue.Enqueue(i, (from.UtcTicks + phase, i));
        }

        while (queue.TryDequeue(out var i, out var key) && key.Ticks < until)
        {
            var at = new DateTimeOffset(key.Ticks, TimeSpan.Zero);
            var state = states[i];
            var reading = Next(i, state, at);
            var step = WholeSeconds(Interval.Ticks * (1 + (0.04 * (state.Random.NextDouble() - 0.5))));
            queue.Enqueue(i, (key.Ticks + Math.Max(step, TimeSpan.TicksPerSecond), i));
            if (reading is not null)
            {
                yield return reading;
            }
        }
    }

    private Reading? Next(int index, State state, DateTimeOffset at)
    {
        var sensor = _sensors[index];
        var random = state.Random;
        if (at < state.SilentUntil)
        {
            return null;
        }

        if (sensor.Behaviour.HasFlag(SensorBehaviour.Flaky) && random.NextDouble() < Chance(MeanTimeBetweenOutages))
        {
            state.SilentUntil = at + Between(random, TimeSpan.FromMinutes(20), TimeSpan.FromHours(5));
            return null;
        }

        if (random.NextDouble() < LostReadingChance)
        {
            return null;
        }

        if (state.Last is { } last)
        {
            if (at < state.StuckUntil)
            {
                return Reading(sensor, at, last);
            }

            if (sensor.Behaviour.HasFlag(SensorBehaviour.StuckProne) && random.NextDouble() < Chance(MeanTimeBetweenStuckSpells))
            {
                state.StuckUntil = at + Between(random, TimeSpan.FromMinutes(45), TimeSpan.FromHours(8));
                return Reading(sensor, at, last);
            }
        }

        var values = Values(index, at, random);
        state.Last = values;
        return Reading(sensor, at, values);
    }

    private Measurement[] Values(int index, DateTimeOffset at, Random random)
    {
        var sensor = _sensors[index];
        var city = sensor.City;
        var cityIndex = _cityIndex[index];
        var local = city.LocalTime(at);
        var hour = local.TimeOfDay.TotalHours;

        // +1 in the local midwinter, -1 in midsummer.
        var winter = Math.Cos(2 * Math.PI * (local.DayOfYear - 15) / 365.25) * (city.Latitude >= 0 ? 1 : -1);
        var weather = (0.7 * Noise(1, cityIndex, at, TimeSpan.FromHours(24))) + (0.3 * Noise(2, cityIndex, at, TimeSpan.FromHours(6)));

        var pm25 = (city.Pm25 * (1 + (0.3 * winter)) * Math.Exp(0.45 * weather) * Episode(cityIndex, at) * Diurnal(hour)
            * sensor.Bias * Math.Exp(0.12 * Gaussian(random))) + (0.3 * Gaussian(random));
        pm25 = Math.Round(Math.Clamp(pm25, 0.2, 850), 1);
        var pm10 = Math.Round(Math.Clamp(pm25 * sensor.CoarseRatio * Math.Exp(0.06 * Gaussian(random)), pm25, 1800), 1);
        pm10 = Math.Max(pm10, pm25);

        var daily = city.DailyRange / 2 * Math.Cos(2 * Math.PI * (hour - 15) / 24);
        var weatherTemperature = 2.5 * Noise(3, cityIndex, at, TimeSpan.FromHours(48));
        var temperature = city.Temperature - (city.SeasonalSwing * winter) + daily + weatherTemperature
            + sensor.TemperatureBias + (0.15 * Gaussian(random));
        temperature = Math.Round(Math.Clamp(temperature, -45, 60), 1);
        var humidity = city.Humidity - (2.0 * daily) - (1.5 * weatherTemperature) + (8 * Noise(4, cityIndex, at, TimeSpan.FromHours(24)))
            + Gaussian(random);
        humidity = Math.Round(Math.Clamp(humidity, 5, 100), 1);

        return
        [
            new(Quantity.Pm25, pm25),
            new(Quantity.Pm10, pm10),
            new(Quantity.Temperature, temperature),
            new(Quantity.Humidity, humidity),
        ];
    }

    /// <summary>Traffic: a morning peak at 8:00 and an evening one at 20:00 over a lower night, local time.</summary>
    private static double Diurnal(double hour) => 0.75 + (0.55 * Bump(hour, 8, 1.6)) + (0.5 * Bump(hour, 20, 2.3));

    private static double Bump(double hour, double centre, double width)
    {
        var distance = Math.Abs(hour - centre);
        distance = Math.Min(distance, 24 - distance);
        return Math.Exp(-(distance * distance) / (2 * width * width));
    }

    /// <summary>A city's pollution episode multiple at an instant: 1 outside episodes, ramping up to the peak and down.</summary>
    internal double Episode(SimulatedCity city, DateTimeOffset at)
    {
        var index = 0;
        while (!ReferenceEquals(SimulatedCity.All[index], city))
        {
            index++;
        }

        return Episode(index, at);
    }

    private double Episode(int city, DateTimeOffset at)
    {
        var factor = 1.0;
        var slot = at.UtcTicks / EpisodeSlot.Ticks;
        // An episode lasts at most 18 h, so it began in this 6 h slot or one of the three before.
        for (var s = slot - 3; s <= slot; s++)
        {
            if (Hash01(5, city, s) >= EpisodeChancePerSlot)
            {
                continue;
            }

            var begin = (s * EpisodeSlot.Ticks) + (long)(Hash01(6, city, s) * EpisodeSlot.Ticks);
            var length = TimeSpan.FromHours(3 + (15 * Hash01(7, city, s))).Ticks;
            var peak = 1.8 + (2.7 * Hash01(8, city, s));
            var t = at.UtcTicks;
            if (t < begin || t >= begin + length)
            {
                continue;
            }

            var ramp = Math.Min(1, Math.Min(t - begin, begin + length - t) / (double)EpisodeRamp.Ticks);
            factor = Math.Max(factor, 1 + ((peak - 1) * ramp));
        }

        return factor;
    }

    /// <summary>Smooth value noise in [-1, 1] over time, one independent curve per channel and city.</summary>
    private double Noise(int channel, int city, DateTimeOffset at, TimeSpan period)
    {
        var position = at.UtcTicks / (double)period.Ticks;
        var cell = (long)Math.Floor(position);
        var f = position - cell;
        f = f * f * (3 - (2 * f));
        var a = (2 * Hash01(channel, city, cell)) - 1;
        var b = (2 * Hash01(channel, city, cell + 1)) - 1;
        return a + ((b - a) * f);
    }

    private double Hash01(int channel, int city, long cell)
    {
        var h = Mix(_hash ^ (ulong)channel);
        h = Mix(h + (ulong)city);
        h = Mix(h + (ulong)cell);
        return (h >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>SplitMix64's finaliser: a well-spread 64-bit hash.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private double Chance(TimeSpan meanTimeBetween) => Math.Min(0.5, Interval / meanTimeBetween);

    private static TimeSpan Between(Random random, TimeSpan shortest, TimeSpan longest) => shortest + ((longest - shortest) * random.NextDouble());

    private static long WholeSeconds(double ticks) => (long)Math.Round(ticks / TimeSpan.TicksPerSecond) * TimeSpan.TicksPerSecond;

    private static Reading Reading(SimulatedSensor sensor, DateTimeOffset at, Measurement[] values) =>
        new(sensor.Id, at, values, sensor.Location, SensorType);

    private sealed class State(Random random)
    {
        public Random Random { get; } = random;

        public DateTimeOffset SilentUntil { get; set; }

        public DateTimeOffset StuckUntil { get; set; }

        public Measurement[]? Last { get; set; }
    }
}
