using AirQuality.Domain.Quantities;
using AirQuality.Domain.Sensors;

namespace AirQuality.Grains;

/// <summary>Settings of the sensor grains (configuration section "Sensors").</summary>
public sealed class SensorGrainOptions
{
    public const string Section = "Sensors";

    /// <summary>A sensor with no reading for longer than this is STALE. Default 15 minutes.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a changed state may wait before it is written (write-behind, so a busy sensor costs one
    /// write per interval, not one per batch). Zero writes on every change. State is always written when
    /// the grain deactivates, which includes a graceful shutdown. Default 5 seconds.
    /// </summary>
    public TimeSpan PersistInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Hours of hourly aggregates kept per quantity. Default 48.</summary>
    public int HourlyHours { get; set; } = 48;

    /// <summary>Days of daily aggregates kept per quantity (behind the hourly window). Default 90.</summary>
    public int DailyDays { get; set; } = 90;

    /// <summary>
    /// Quantities that keep hourly and daily history (about 2.2 KB each per sensor); the others keep their
    /// latest value. Default: every known quantity. A deployment of a million PM sensors may keep only the
    /// pollutants to stay near 8 KB per sensor.
    /// </summary>
    public List<string> HistoryQuantities { get; set; } = ["pm1", "pm25", "pm10", "o3", "no2", "so2", "co", "temperature", "humidity", "pressure"];

    private SensorStateSettings? _settings;

    /// <summary>The domain's settings, built once: every grain shares the one instance.</summary>
    public SensorStateSettings Settings => _settings ??= new(
        HourlyHours,
        DailyDays,
        HistoryQuantities.Select(n => Quantity.TryParse(n, out var q) ? q.Kind : QuantityKind.Other).Where(k => k != QuantityKind.Other).ToHashSet());

    /// <summary>Longest history query, so one request cannot ask for years of days. Default 400 days.</summary>
    public TimeSpan MaxHistoryRange { get; set; } = TimeSpan.FromDays(400);

    public IEnumerable<string> Problems()
    {
        if (StaleAfter <= TimeSpan.Zero)
        {
            yield return "Sensors:StaleAfter must be positive";
        }

        if (PersistInterval < TimeSpan.Zero)
        {
            yield return "Sensors:PersistInterval must not be negative";
        }

        if (HourlyHours is < 24 or > 24 * 31)
        {
            yield return "Sensors:HourlyHours must be 24-744 (the UK 24 h running mean needs 24)";
        }

        if (DailyDays is < 1 or > 3660)
        {
            yield return "Sensors:DailyDays must be 1-3660";
        }

        foreach (var name in HistoryQuantities)
        {
            if (!Quantity.TryParse(name, out var q) || !q.IsKnown)
            {
                yield return $"Sensors:HistoryQuantities: '{name}' is not a known quantity";
            }
        }

        if (MaxHistoryRange <= TimeSpan.Zero)
        {
            yield return "Sensors:MaxHistoryRange must be positive";
        }
    }
}
