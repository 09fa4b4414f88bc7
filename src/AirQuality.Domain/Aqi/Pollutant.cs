using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Aqi;

/// <summary>The pollutants the AQI standards index.</summary>
public enum Pollutant : byte
{
    Pm25,
    Pm10,
    O3,
    No2,
    So2,
    Co,
}

/// <summary>Averaging periods the standards define their tables on.</summary>
public enum Averaging : byte
{
    FifteenMinutes,
    OneHour,
    EightHours,
    TwentyFourHours,
}

public static class PollutantNames
{
    public static IReadOnlyList<Pollutant> All { get; } = Enum.GetValues<Pollutant>();

    /// <summary>The product's name for the pollutant, the same as its quantity name: pm25, pm10, o3, no2, so2, co.</summary>
    public static string ToName(this Pollutant pollutant) => pollutant switch
    {
        Pollutant.Pm25 => "pm25",
        Pollutant.Pm10 => "pm10",
        Pollutant.O3 => "o3",
        Pollutant.No2 => "no2",
        Pollutant.So2 => "so2",
        Pollutant.Co => "co",
        _ => throw new ArgumentOutOfRangeException(nameof(pollutant)),
    };

    public static QuantityKind ToQuantityKind(this Pollutant pollutant) => pollutant switch
    {
        Pollutant.Pm25 => QuantityKind.Pm25,
        Pollutant.Pm10 => QuantityKind.Pm10,
        Pollutant.O3 => QuantityKind.O3,
        Pollutant.No2 => QuantityKind.No2,
        Pollutant.So2 => QuantityKind.So2,
        Pollutant.Co => QuantityKind.Co,
        _ => throw new ArgumentOutOfRangeException(nameof(pollutant)),
    };

    public static bool TryFromQuantityKind(QuantityKind kind, out Pollutant pollutant)
    {
        (var ok, pollutant) = kind switch
        {
            QuantityKind.Pm25 => (true, Pollutant.Pm25),
            QuantityKind.Pm10 => (true, Pollutant.Pm10),
            QuantityKind.O3 => (true, Pollutant.O3),
            QuantityKind.No2 => (true, Pollutant.No2),
            QuantityKind.So2 => (true, Pollutant.So2),
            QuantityKind.Co => (true, Pollutant.Co),
            _ => (false, default),
        };
        return ok;
    }

    public static bool TryParse(string? name, out Pollutant pollutant)
    {
        pollutant = default;
        return name is not null && Quantity.TryParse(name, out var q) && TryFromQuantityKind(q.Kind, out pollutant);
    }

    /// <summary>1h, 8h, 24h, 15min: the CLI's and the API's names.</summary>
    public static string ToName(this Averaging averaging) => averaging switch
    {
        Averaging.FifteenMinutes => "15min",
        Averaging.OneHour => "1h",
        Averaging.EightHours => "8h",
        Averaging.TwentyFourHours => "24h",
        _ => throw new ArgumentOutOfRangeException(nameof(averaging)),
    };

    public static bool TryParseAveraging(string? name, out Averaging averaging)
    {
        (var ok, averaging) = name?.ToLowerInvariant() switch
        {
            "15min" or "15m" => (true, Averaging.FifteenMinutes),
            "1h" => (true, Averaging.OneHour),
            "8h" => (true, Averaging.EightHours),
            "24h" => (true, Averaging.TwentyFourHours),
            _ => (false, default(Averaging)),
        };
        return ok;
    }
}
