namespace AirQuality.Domain.Aqi;

/// <summary>The outcome of a NowCast: the value is meaningful only when <see cref="IsValid"/>.</summary>
/// <param name="IsValid">At least 2 of the 3 most recent hours had data.</param>
/// <param name="Value">The NowCast concentration, truncated (0.1 µg/m³ for PM2.5, 1 µg/m³ for PM10); NaN when invalid.</param>
/// <param name="WeightFactor">w = max(c_min / c_max, 0.5); NaN when invalid.</param>
/// <param name="HoursUsed">How many of the 12 hours had data.</param>
public readonly record struct NowCastResult(bool IsValid, double Value, double WeightFactor, int HoursUsed);

/// <summary>
/// The US EPA NowCast for particulate matter, as AirNow reports it in real time: a weighted mean of
/// the last 12 hourly means where the weights fall faster the more the hours disagree.
/// </summary>
public static class NowCast
{
    public const int Hours = 12;

    private const double MinimumWeight = 0.5;

    /// <summary>
    /// Computes the NowCast from up to 12 hourly means, <paramref name="hourlyMostRecentFirst"/>[0] being the
    /// latest complete hour. A missing hour is NaN (negative values count as missing too); hours past the
    /// span's end are missing. Raw means go in; only the result is truncated.
    /// </summary>
    public static NowCastResult Compute(Pollutant pollutant, ReadOnlySpan<double> hourlyMostRecentFirst)
    {
        if (pollutant is not (Pollutant.Pm25 or Pollutant.Pm10))
        {
            throw new ArgumentOutOfRangeException(nameof(pollutant), pollutant, "The PM NowCast applies to PM2.5 and PM10 only.");
        }

        var hours = hourlyMostRecentFirst.Length > Hours ? hourlyMostRecentFirst[..Hours] : hourlyMostRecentFirst;

        var recentWithData = 0;
        for (var i = 0; i < Math.Min(3, hours.Length); i++)
        {
            if (HasData(hours[i]))
            {
                recentWithData++;
            }
        }

        if (recentWithData < 2)
        {
            return new NowCastResult(false, double.NaN, double.NaN, CountWithData(hours));
        }

        double min = double.MaxValue, max = 0;
        var used = 0;
        foreach (var c in hours)
        {
            if (HasData(c))
            {
                min = Math.Min(min, c);
                max = Math.Max(max, c);
                used++;
            }
        }

        // All zeros: every hour agrees, so every weight is 1.
        var w = max > 0 ? Math.Max(min / max, MinimumWeight) : 1.0;

        double weighted = 0, weights = 0, power = 1;
        foreach (var c in hours)
        {
            if (HasData(c))
            {
                weighted += c * power;
                weights += power;
            }

            power *= w;
        }

        var scale = pollutant == Pollutant.Pm25 ? 10.0 : 1.0;
        var value = Math.Floor(weighted / weights * scale + 1e-7) / scale;
        return new NowCastResult(true, value, w, used);
    }

    /// <summary>The US EPA 2024 AQI of the NowCast (the 24-hour table applied to the NowCast value).</summary>
    public static SubIndex UsAqi(Pollutant pollutant, ReadOnlySpan<double> hourlyMostRecentFirst, out NowCastResult nowCast)
    {
        nowCast = Compute(pollutant, hourlyMostRecentFirst);
        return nowCast.IsValid
            ? AqiStandard.UsEpa2024.Calculate(pollutant, nowCast.Value, Averaging.TwentyFourHours)
            : AqiStandard.UsEpa2024.InsufficientData(pollutant, Averaging.TwentyFourHours,
                "NowCast needs data in at least 2 of the 3 most recent hours");
    }

    private static bool HasData(double c) => double.IsFinite(c) && c >= 0;

    private static int CountWithData(ReadOnlySpan<double> hours)
    {
        var n = 0;
        foreach (var c in hours)
        {
            if (HasData(c))
            {
                n++;
            }
        }

        return n;
    }
}
