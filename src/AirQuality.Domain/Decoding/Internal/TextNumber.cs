using System.Globalization;

namespace AirQuality.Domain.Decoding.Internal;

/// <summary>Parses numbers sent as text (Sensor.Community strings, CSV cells), culture-invariantly and without allocating.</summary>
internal static class TextNumber
{
    /// <summary>
    /// Parses <paramref name="utf8"/> as a finite number. On failure <paramref name="problem"/> says why,
    /// in a form that fits after "value for 'x' ": "is not a number: 'abc'", "is not a finite number: 'NaN'".
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out double value, out string? problem)
    {
        // NumberStyles.Float: sign, decimal point, exponent and surrounding white space; no thousands
        // separators, so "1,5" is rejected rather than silently read as 15.
        if (!double.TryParse(utf8, NumberStyles.Float, NumberFormatInfo.InvariantInfo, out value))
        {
            problem = utf8.Trim(" \t"u8).IsEmpty ? "is empty" : $"is not a number: '{TextDescription.Of(utf8)}'";
            return false;
        }

        // .NET parses "NaN", "Infinity" and overflowing literals such as 1e400 without failing.
        if (!double.IsFinite(value))
        {
            problem = $"is not a finite number: '{TextDescription.Of(utf8)}'";
            return false;
        }

        problem = null;
        return true;
    }
}
