using System.Text;
using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Decoding;

/// <summary>What a Sensor.Community value type means: the quantity, and how to bring its value into the canonical unit.</summary>
/// <param name="Quantity">The quantity (unknown value types are kept as <see cref="QuantityKind.Other"/> by name).</param>
/// <param name="Divisor">Divide the sent value by this to get the canonical unit (100 for pressures sent in Pa).</param>
/// <param name="SensorPrefix">The sensor name firmware put before the value type ("SDS" in "SDS_P1"), or null.</param>
public readonly record struct SensorCommunityValueType(Quantity Quantity, double Divisor, string? SensorPrefix)
{
    public double ToCanonical(double value) => value / Divisor;
}

/// <summary>
/// The one place that maps Sensor.Community value types (device pushes, open-data records, CSV columns)
/// to quantities. See sensor-community.md.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>P1</c> is PM10 and <c>P2</c> is PM2.5 (not the other way round, as an earlier system had it); <c>P0</c> is PM1.</item>
/// <item><c>pressure</c> arrives in Pa and is converted to hPa. The sea-level pressure (<c>pressure_at_sealevel</c>,
/// or <c>pressure_sealevel</c> in the CSV archive) is kept as the unknown quantity <c>pressure_at_sealevel</c>,
/// also in hPa.</item>
/// <item>Firmware may prefix a value type with the sensor: <c>SDS_P1</c>, <c>BME280_temperature</c>. A prefix of
/// letters and digits before the first '_' is stripped when what follows is one of the types above.</item>
/// <item>Any other name goes through <see cref="Quantity.TryParse"/>: "pm25" or "temp" are understood, and
/// everything else (noise_LAeq, samples, signal, min_micro, ...) is kept as an unknown quantity by its name.</item>
/// </list>
/// </remarks>
public static class SensorCommunityValueTypes
{
    public const string PressureAtSeaLevelName = "pressure_at_sealevel";

    /// <summary>The sea-level pressure: not a quantity the product knows, kept by name, in hPa.</summary>
    public static Quantity PressureAtSeaLevel { get; } = Quantity.Parse(PressureAtSeaLevelName);

    private const double PascalPerHectopascal = 100.0;
    private const int MaxPrefixLength = 12;

    /// <summary>False only for names no quantity can carry (empty, too long, control characters).</summary>
    public static bool TryMap(ReadOnlySpan<char> valueType, out SensorCommunityValueType mapped)
    {
        if (TryMapBase(valueType, null, out mapped))
        {
            return true;
        }

        var underscore = valueType.IndexOf('_');
        if (underscore > 0 && IsSensorPrefix(valueType[..underscore])
            && TryMapBase(valueType[(underscore + 1)..], valueType[..underscore].ToString(), out mapped))
        {
            return true;
        }

        if (Quantity.TryParse(valueType, out var quantity))
        {
            mapped = new SensorCommunityValueType(quantity, 1.0, null);
            return true;
        }

        mapped = default;
        return false;
    }

    /// <summary>The UTF-8 form of <see cref="TryMap(ReadOnlySpan{char}, out SensorCommunityValueType)"/>.</summary>
    public static bool TryMapUtf8(ReadOnlySpan<byte> valueType, out SensorCommunityValueType mapped)
    {
        mapped = default;
        if (valueType.IsEmpty || valueType.Length > Quantity.MaxNameLength * 4)
        {
            return false;
        }

        // Invalid UTF-8 would become U+FFFD, which Quantity accepts as a name character; refuse it here instead.
        if (!System.Text.Unicode.Utf8.IsValid(valueType))
        {
            return false;
        }

        Span<char> chars = stackalloc char[valueType.Length];
        var written = Encoding.UTF8.GetChars(valueType, chars);
        return TryMap(chars[..written], out mapped);
    }

    /// <summary>
    /// The sensor type a value-type prefix stands for: "SDS" is the SDS011, "BMP" the BMP180, "PPD" the PPD42NS;
    /// other prefixes (BME280, SPS30, PMS, HPM, NPM, SHT3X, ...) name the sensor as written.
    /// </summary>
    public static string SensorTypeOfPrefix(string prefix) => prefix.ToUpperInvariant() switch
    {
        "SDS" => "SDS011",
        "BMP" => "BMP180",
        "PPD" => "PPD42NS",
        var other => other,
    };

    private static bool TryMapBase(ReadOnlySpan<char> name, string? prefix, out SensorCommunityValueType mapped)
    {
        Quantity quantity;
        var divisor = 1.0;
        if (name.Equals("P1", StringComparison.OrdinalIgnoreCase))
        {
            quantity = Quantity.Pm10;
        }
        else if (name.Equals("P2", StringComparison.OrdinalIgnoreCase))
        {
            quantity = Quantity.Pm25;
        }
        else if (name.Equals("P0", StringComparison.OrdinalIgnoreCase))
        {
            quantity = Quantity.Pm1;
        }
        else if (name.Equals("temperature", StringComparison.OrdinalIgnoreCase))
        {
            quantity = Quantity.Temperature;
        }
        else if (name.Equals("humidity", StringComparison.OrdinalIgnoreCase))
        {
            quantity = Quantity.Humidity;
        }
        else if (name.Equals("pressure", StringComparison.OrdinalIgnoreCase))
        {
            quantity = Quantity.Pressure;
            divisor = PascalPerHectopascal;
        }
        else if (name.Equals(PressureAtSeaLevelName, StringComparison.OrdinalIgnoreCase)
            || name.Equals("pressure_sealevel", StringComparison.OrdinalIgnoreCase))
        {
            quantity = PressureAtSeaLevel;
            divisor = PascalPerHectopascal;
        }
        else
        {
            mapped = default;
            return false;
        }

        mapped = new SensorCommunityValueType(quantity, divisor, prefix);
        return true;
    }

    private static bool IsSensorPrefix(ReadOnlySpan<char> prefix)
    {
        if (prefix.Length > MaxPrefixLength || !char.IsAsciiLetter(prefix[0]))
        {
            return false;
        }

        foreach (var c in prefix)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
