using System.Text;

namespace AirQuality.Domain.Quantities;

/// <summary>
/// A measured quantity: one of the known kinds (with its canonical name and unit) or an unknown
/// quantity kept by its name, so that nothing a sensor sends is thrown away.
/// </summary>
public readonly record struct Quantity
{
    /// <summary>Longest name kept for an unknown quantity; longer names are rejected as garbage.</summary>
    public const int MaxNameLength = 64;

    private Quantity(QuantityKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public QuantityKind Kind { get; }

    /// <summary>Canonical name for known kinds (e.g. "pm25"); the sender's name for unknown ones.</summary>
    public string Name { get; }

    public bool IsKnown => Kind != QuantityKind.Other;

    /// <summary>The unit every value of this quantity is stored in (see <see cref="Unit"/>).</summary>
    public Unit CanonicalUnit => CanonicalUnitOf(Kind);

    public static readonly Quantity Pm1 = new(QuantityKind.Pm1, "pm1");
    public static readonly Quantity Pm25 = new(QuantityKind.Pm25, "pm25");
    public static readonly Quantity Pm10 = new(QuantityKind.Pm10, "pm10");
    public static readonly Quantity O3 = new(QuantityKind.O3, "o3");
    public static readonly Quantity No2 = new(QuantityKind.No2, "no2");
    public static readonly Quantity So2 = new(QuantityKind.So2, "so2");
    public static readonly Quantity Co = new(QuantityKind.Co, "co");
    public static readonly Quantity Temperature = new(QuantityKind.Temperature, "temperature");
    public static readonly Quantity Humidity = new(QuantityKind.Humidity, "humidity");
    public static readonly Quantity Pressure = new(QuantityKind.Pressure, "pressure");

    /// <summary>All known quantities, in <see cref="QuantityKind"/> order (index = kind - 1).</summary>
    public static IReadOnlyList<Quantity> Known { get; } =
        [Pm1, Pm25, Pm10, O3, No2, So2, Co, Temperature, Humidity, Pressure];

    public static Quantity Of(QuantityKind kind) => kind == QuantityKind.Other
        ? throw new ArgumentException("An unknown quantity needs a name; use Quantity.Parse.", nameof(kind))
        : Known[(int)kind - 1];

    public static Unit CanonicalUnitOf(QuantityKind kind) => kind switch
    {
        QuantityKind.Pm1 or QuantityKind.Pm25 or QuantityKind.Pm10 => Unit.MicrogramsPerCubicMetre,
        QuantityKind.O3 or QuantityKind.No2 or QuantityKind.So2 => Unit.PartsPerBillion,
        QuantityKind.Co => Unit.PartsPerMillion,
        QuantityKind.Temperature => Unit.DegreesCelsius,
        QuantityKind.Humidity => Unit.Percent,
        QuantityKind.Pressure => Unit.Hectopascal,
        _ => Unit.Unknown,
    };

    /// <summary>
    /// Maps a name as senders write it ("pm25", "PM2.5", "pm2_5", "o3", "temp", ...) to a quantity.
    /// Unknown names become an <see cref="QuantityKind.Other"/> quantity with the name as given.
    /// Returns false only for names that are empty, too long or contain control characters.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> name, out Quantity quantity)
    {
        var kind = KindOf(name);
        if (kind != QuantityKind.Other)
        {
            quantity = Of(kind);
            return true;
        }

        if (!IsAcceptableName(name))
        {
            quantity = default;
            return false;
        }

        quantity = new Quantity(QuantityKind.Other, name.ToString());
        return true;
    }

    /// <summary>The UTF-8 form of <see cref="TryParse(ReadOnlySpan{char}, out Quantity)"/>; known names do not allocate.</summary>
    public static bool TryParseUtf8(ReadOnlySpan<byte> utf8Name, out Quantity quantity)
    {
        if (utf8Name.Length is 0 or > MaxNameLength * 4)
        {
            quantity = default;
            return false;
        }

        Span<char> chars = stackalloc char[utf8Name.Length];
        if (!Encoding.UTF8.TryGetChars(utf8Name, chars, out var written))
        {
            quantity = default;
            return false;
        }

        return TryParse(chars[..written], out quantity);
    }

    public static Quantity Parse(string name) => TryParse(name, out var q)
        ? q
        : throw new FormatException($"'{name}' is not an acceptable quantity name.");

    public override string ToString() => Name;

    private static QuantityKind KindOf(ReadOnlySpan<char> name)
    {
        // "PM1.0" is PM1, not PM10: decide it before the separators are dropped.
        if (name.Equals("pm1.0", StringComparison.OrdinalIgnoreCase) || name.Equals("pm1_0", StringComparison.OrdinalIgnoreCase))
        {
            return QuantityKind.Pm1;
        }

        // Normalise case and the separators senders put in "PM2.5", "pm2_5", "pm_10" without allocating.
        Span<char> buffer = stackalloc char[16];
        var length = 0;
        foreach (var c in name)
        {
            if (c is '.' or '_' or '-' or ' ')
            {
                continue;
            }

            if (length == buffer.Length)
            {
                return QuantityKind.Other;
            }

            buffer[length++] = char.ToLowerInvariant(c);
        }

        return buffer[..length] switch
        {
            "pm1" => QuantityKind.Pm1,
            "pm10" => QuantityKind.Pm10,
            "pm25" => QuantityKind.Pm25,
            "o3" or "ozone" => QuantityKind.O3,
            "no2" => QuantityKind.No2,
            "so2" => QuantityKind.So2,
            "co" => QuantityKind.Co,
            "temperature" or "temp" => QuantityKind.Temperature,
            "humidity" or "rh" => QuantityKind.Humidity,
            "pressure" => QuantityKind.Pressure,
            _ => QuantityKind.Other,
        };
    }

    private static bool IsAcceptableName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (char.IsControl(c) || c is '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }
}
