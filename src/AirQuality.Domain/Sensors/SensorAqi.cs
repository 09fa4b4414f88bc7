using AirQuality.Domain.Aqi;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Windows;

namespace AirQuality.Domain.Sensors;

/// <summary>A sensor's index under one standard at one moment: the overall index and the parts it came from.</summary>
public sealed record SensorAqi(AqiStandardId Standard, OverallAqi Overall, IReadOnlyList<SubIndex> Parts, DateTimeOffset ValidAt);

/// <summary>
/// Applies each standard's averaging rules to a sensor's hourly history. Every window ends at the end of
/// the hour containing "now"; the hour in progress counts once it has 75 % coverage, so a sensor that stops
/// reporting fades to "insufficient data" as its hours age out, and never keeps a stale index.
/// </summary>
public static class SensorAqiCalculator
{
    private const double HourCoverage = 0.75;

    public static SensorAqi Compute(AqiStandard standard, Func<QuantityKind, QuantityHistory?> history, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(standard);
        ArgumentNullException.ThrowIfNull(history);
        var end = HourlySeries.HourStartOf(now).AddHours(1);
        var parts = new List<SubIndex>(6);
        foreach (var pollutant in standard.Pollutants)
        {
            if (history(pollutant.ToQuantityKind()) is not { } h)
            {
                continue;
            }

            var part = standard.Id switch
            {
                AqiStandardId.UsEpa2024 => UsEpa(pollutant, h.Hourly, end),
                AqiStandardId.UkDaqi => UkDaqi(standard, pollutant, h.Hourly, end),
                _ => LatestHour(standard, pollutant, h.Hourly, end),
            };
            parts.Add(part);
        }

        return new SensorAqi(standard.Id, standard.Combine(parts.ToArray()), parts, now);
    }

    private static SubIndex UsEpa(Pollutant pollutant, HourlySeries hours, DateTimeOffset end)
    {
        var us = (UsEpa2024Standard)AqiStandard.UsEpa2024;
        switch (pollutant)
        {
            case Pollutant.Pm25 or Pollutant.Pm10:
                Span<double> hourly = stackalloc double[NowCast.Hours];
                hours.FillHourlyMeans(end, hourly, HourCoverage);
                return NowCast.UsAqi(pollutant, hourly, out _);
            case Pollutant.O3:
                // Canonical ppb; the US tables are in ppm.
                return us.OzoneIndex(Valid(hours.Running(end, 8)) / 1000, LatestHourMean(hours, end) / 1000);
            case Pollutant.So2:
                return us.So2Index(LatestHourMean(hours, end), Valid(hours.Running(end, 24)));
            case Pollutant.Co:
                return Calculate(us, pollutant, Valid(hours.Running(end, 8)), Averaging.EightHours, Unit.PartsPerMillion);
            default:
                return Calculate(us, pollutant, LatestHourMean(hours, end), Averaging.OneHour, Unit.PartsPerBillion);
        }
    }

    private static SubIndex UkDaqi(AqiStandard uk, Pollutant pollutant, HourlySeries hours, DateTimeOffset end) => pollutant switch
    {
        Pollutant.Pm25 or Pollutant.Pm10 => Calculate(uk, pollutant, Valid(hours.Running(end, 24)), Averaging.TwentyFourHours, Unit.MicrogramsPerCubicMetre),
        Pollutant.O3 => Calculate(uk, pollutant, Valid(hours.Running(end, 8)), Averaging.EightHours, Unit.PartsPerBillion),
        // DAQI bands SO2 on 15-minute means; the history keeps hours, so the latest hourly mean stands in.
        Pollutant.So2 => Calculate(uk, pollutant, LatestHourMean(hours, end), Averaging.FifteenMinutes, Unit.PartsPerBillion),
        _ => Calculate(uk, pollutant, LatestHourMean(hours, end), Averaging.OneHour, Unit.PartsPerBillion),
    };

    private static SubIndex LatestHour(AqiStandard standard, Pollutant pollutant, HourlySeries hours, DateTimeOffset end) =>
        Calculate(standard, pollutant, LatestHourMean(hours, end), Averaging.OneHour, Quantity.CanonicalUnitOf(pollutant.ToQuantityKind()));

    private static SubIndex Calculate(AqiStandard standard, Pollutant pollutant, double? canonical, Averaging averaging, Unit unit)
    {
        if (canonical is not { } value)
        {
            return standard.InsufficientData(pollutant, averaging);
        }

        return standard.TryToNativeUnit(pollutant, value, unit, out var native)
            ? standard.Calculate(pollutant, native, averaging)
            : standard.InsufficientData(pollutant, averaging, $"cannot convert {unit.ToShortName()} for {standard.Name}");
    }

    /// <summary>The hour in progress if it already has 75 % coverage, else the hour before it.</summary>
    private static double? LatestHourMean(HourlySeries hours, DateTimeOffset end)
    {
        var current = hours.HourlyMean(end.AddHours(-1), HourCoverage);
        if (!double.IsNaN(current))
        {
            return current;
        }

        var previous = hours.HourlyMean(end.AddHours(-2), HourCoverage);
        return double.IsNaN(previous) ? null : previous;
    }

    private static double? Valid(RunningMean mean) => mean.IsValid ? mean.Mean : null;
}
