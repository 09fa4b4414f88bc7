using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Validation;

/// <summary>Settings for <see cref="ReadingValidator"/>. Defaults follow aqi.md ("Low-cost sensor data quality").</summary>
public sealed class ValidationOptions
{
    /// <summary>How far ahead of the receiver's clock a timestamp may be (device clock skew). Default 10 minutes.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Oldest acceptable reading, relative to now; null accepts any age down to <see cref="MinTimestamp"/>.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>Readings before this are clocks that were never set (firmware sends 1970). Default 2000-01-01Z.</summary>
    public DateTimeOffset MinTimestamp { get; set; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Plausible values per known quantity, canonical units. The particulate, humidity, temperature and
    /// pressure gates are the Sensor.Community map's; the gas gates are ours, set well above any
    /// concentration the AQI tables define (so real episodes pass and broken sensors do not).
    /// </summary>
    public Dictionary<QuantityKind, PlausibilityRange> Gates { get; } = new()
    {
        [QuantityKind.Pm1] = new(0, 900, MaxInclusive: false),
        [QuantityKind.Pm25] = new(0, 900, MaxInclusive: false),
        [QuantityKind.Pm10] = new(0, 1900, MaxInclusive: false),
        [QuantityKind.O3] = new(0, 2000),
        [QuantityKind.No2] = new(0, 10000),
        [QuantityKind.So2] = new(0, 10000),
        [QuantityKind.Co] = new(0, 1000),
        [QuantityKind.Temperature] = new(-50, 70),
        [QuantityKind.Humidity] = new(0, 100),
        [QuantityKind.Pressure] = new(850, 1200),
    };

    /// <summary>Throws with every problem found, so a bad configuration fails at start-up, not on the first reading.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (MaxFutureSkew < TimeSpan.Zero)
        {
            problems.Add("MaxFutureSkew must not be negative");
        }

        if (MaxAge is { } age && age <= TimeSpan.Zero)
        {
            problems.Add("MaxAge must be positive when set");
        }

        foreach (var (kind, range) in Gates)
        {
            if (!double.IsFinite(range.Min) || !double.IsFinite(range.Max) || range.Min > range.Max)
            {
                problems.Add($"Gates[{kind}] must be a finite range with Min <= Max");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid validation options: " + string.Join("; ", problems));
        }
    }
}
