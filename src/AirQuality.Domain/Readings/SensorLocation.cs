namespace AirQuality.Domain.Readings;

/// <summary>Where a sensor stands. Country is an ISO 3166-1 alpha-2 code when known.</summary>
public sealed record SensorLocation(double Latitude, double Longitude, double? Altitude = null, string? Country = null, bool? Indoor = null)
{
    /// <summary>Null when the location is usable; otherwise why not.</summary>
    public string? Problem =>
        !double.IsFinite(Latitude) || Latitude is < -90 or > 90 ? $"latitude {Latitude} is outside -90..90"
        : !double.IsFinite(Longitude) || Longitude is < -180 or > 180 ? $"longitude {Longitude} is outside -180..180"
        : Altitude is { } a && (!double.IsFinite(a) || a is < -500 or > 9000) ? $"altitude {a} is outside -500..9000 m"
        : Country is { } c && !IsCountryCode(c) ? $"country '{c}' is not a two-letter code"
        : null;

    private static bool IsCountryCode(string code) => code.Length == 2 && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]);
}
