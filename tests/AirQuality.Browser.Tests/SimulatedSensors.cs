using System.Globalization;
using System.Text;

namespace AirQuality.Browser.Tests;

/// <summary>
/// Low-cost sensors in European cities with 48 hours of history: a reading every 10 minutes (PM2.5, PM10,
/// temperature, humidity) following the city's usual level, morning and evening traffic peaks and noise,
/// deterministic for a seed. One sensor is new: its first readings came minutes ago, too few for any AQI
/// (NowCast wants two of the last three hours, an hour three of its four quarters). PM2.5 stays below
/// 35 µg/m³, so no alert rule fires on the history.
/// </summary>
internal static class SimulatedSensors
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Span = TimeSpan.FromHours(48);

    /// <summary>One sensor per city, far enough apart to be single markers at the test's zoom 6 over central Europe.</summary>
    public static IReadOnlyList<Sensor> All { get; } =
    [
        new("sim-paris-1", 48.8581, 2.3499, "FR", 13),
        new("sim-amsterdam-1", 52.3702, 4.8952, "NL", 10),
        new("sim-cologne-1", 50.9384, 6.9599, "DE", 11),
        new("sim-hamburg-1", 53.5503, 9.9920, "DE", 10),
        new("sim-berlin-1", 52.5186, 13.4081, "DE", 12),
        new("sim-frankfurt-1", 50.1109, 8.6821, "DE", 12),
        new("sim-prague-1", 50.0810, 14.4280, "CZ", 15),
        new("sim-munich-1", 48.1391, 11.5802, "DE", 11),
        new("sim-vienna-1", 48.2092, 16.3728, "AT", 13),
        new("sim-milan-1", 45.4654, 9.1866, "IT", 20),
        new("sim-stuttgart-1", 48.7767, 9.1801, "DE", 13, IsNew: true),
    ];

    /// <summary>How many readings <see cref="HistoryJson"/> holds.</summary>
    public static int HistoryCount => All.Sum(s => s.IsNew ? NewSensorReadings : (int)(Span / Every));

    private const int NewSensorReadings = 2;

    /// <summary>The whole history of every sensor, oldest first, as one canonical JSON array; the newest reading is a minute or two before <paramref name="now"/>.</summary>
    public static string HistoryJson(DateTimeOffset now, int seed = 20261123)
    {
        var random = new Random(seed);
        var json = new StringBuilder("[");
        foreach (var (sensor, index) in All.Select((s, i) => (s, i)))
        {
            var steps = sensor.IsNew ? NewSensorReadings : (int)(Span / Every);
            var last = now - TimeSpan.FromSeconds(60 + (7 * index));
            for (var step = steps - 1; step >= 0; step--)
            {
                var at = last - (step * Every);
                var hour = at.UtcDateTime.TimeOfDay.TotalHours + 1; // central European time, near enough
                var traffic = 0.75 + (0.5 * Bump(hour, 8, 1.6)) + (0.45 * Bump(hour, 20, 2.3));
                var pm25 = Math.Round(Math.Clamp(sensor.MeanPm25 * traffic * Math.Exp(0.15 * Gaussian(random)), 1, 34), 1);
                var pm10 = Math.Round(pm25 * (1.5 + (0.1 * random.NextDouble())), 1);
                var temperature = Math.Round(6 + (4 * Math.Cos(2 * Math.PI * (hour - 15) / 24)) + (0.3 * Gaussian(random)), 1);
                var humidity = Math.Round(Math.Clamp(80 - (8 * Math.Cos(2 * Math.PI * (hour - 15) / 24)) + Gaussian(random), 5, 100), 1);
                if (json.Length > 1)
                {
                    json.Append(',');
                }

                json.Append(Reading(sensor, at, $"\"pm25\":{pm25},\"pm10\":{pm10},\"temperature\":{temperature},\"humidity\":{humidity}"));
            }
        }

        return json.Append(']').ToString();
    }

    /// <summary>One reading of PM2.5 (µg/m³) alone.</summary>
    public static string ReadingJson(Sensor sensor, DateTimeOffset at, double pm25) => Reading(sensor, at, $"\"pm25\":{pm25}");

    private static string Reading(Sensor sensor, DateTimeOffset at, FormattableString values) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"sensorId\":\"{sensor.Id}\",\"timestamp\":\"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\",\"values\":{{{values.ToString(CultureInfo.InvariantCulture)}}},"
        + $"\"location\":{{\"latitude\":{sensor.Latitude},\"longitude\":{sensor.Longitude},\"country\":\"{sensor.Country}\",\"indoor\":false}},\"sensorType\":\"simulated\"}}");

    private static double Bump(double hour, double centre, double width)
    {
        var distance = Math.Abs(hour - centre) % 24;
        distance = Math.Min(distance, 24 - distance);
        return Math.Exp(-(distance * distance) / (2 * width * width));
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    internal sealed record Sensor(string Id, double Latitude, double Longitude, string Country, double MeanPm25, bool IsNew = false);
}
