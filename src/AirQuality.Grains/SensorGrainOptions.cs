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

        if (MaxHistoryRange <= TimeSpan.Zero)
        {
            yield return "Sensors:MaxHistoryRange must be positive";
        }
    }
}
