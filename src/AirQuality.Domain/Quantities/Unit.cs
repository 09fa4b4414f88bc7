namespace AirQuality.Domain.Quantities;

/// <summary>Units of measure. Each quantity has one canonical unit (<see cref="Quantity.CanonicalUnit"/>).</summary>
public enum Unit : byte
{
    Unknown = 0,
    /// <summary>µg/m³: particulate matter, and the UK/EU unit for gases.</summary>
    MicrogramsPerCubicMetre,
    /// <summary>mg/m³: the EU unit for CO.</summary>
    MilligramsPerCubicMetre,
    /// <summary>ppb: canonical for O3, NO2, SO2 (the US EPA unit for NO2 and SO2).</summary>
    PartsPerBillion,
    /// <summary>ppm: canonical for CO (the US EPA unit for CO and O3).</summary>
    PartsPerMillion,
    DegreesCelsius,
    Percent,
    Hectopascal,
}

public static class UnitNames
{
    /// <summary>The short names the CLI and the APIs use: ugm3, mgm3, ppb, ppm, degC, percent, hPa.</summary>
    public static string ToShortName(this Unit unit) => unit switch
    {
        Unit.MicrogramsPerCubicMetre => "ugm3",
        Unit.MilligramsPerCubicMetre => "mgm3",
        Unit.PartsPerBillion => "ppb",
        Unit.PartsPerMillion => "ppm",
        Unit.DegreesCelsius => "degC",
        Unit.Percent => "percent",
        Unit.Hectopascal => "hPa",
        _ => "unknown",
    };

    /// <summary>The symbol people read: µg/m³, ppb, °C, ...</summary>
    public static string ToSymbol(this Unit unit) => unit switch
    {
        Unit.MicrogramsPerCubicMetre => "µg/m³",
        Unit.MilligramsPerCubicMetre => "mg/m³",
        Unit.PartsPerBillion => "ppb",
        Unit.PartsPerMillion => "ppm",
        Unit.DegreesCelsius => "°C",
        Unit.Percent => "%",
        Unit.Hectopascal => "hPa",
        _ => "",
    };

    public static bool TryParseShortName(string? name, out Unit unit)
    {
        unit = name?.ToLowerInvariant() switch
        {
            "ugm3" or "µg/m³" or "ug/m3" => Unit.MicrogramsPerCubicMetre,
            "mgm3" or "mg/m³" or "mg/m3" => Unit.MilligramsPerCubicMetre,
            "ppb" => Unit.PartsPerBillion,
            "ppm" => Unit.PartsPerMillion,
            "degc" or "°c" or "c" => Unit.DegreesCelsius,
            "percent" or "%" => Unit.Percent,
            "hpa" => Unit.Hectopascal,
            _ => Unit.Unknown,
        };
        return unit != Unit.Unknown;
    }
}
