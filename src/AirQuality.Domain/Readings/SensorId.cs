namespace AirQuality.Domain.Readings;

/// <summary>
/// Rules for sensor ids. Ids come from devices and networks we do not control, and each id becomes a
/// grain and a storage key, so they are bounded in length and limited to a safe character set.
/// </summary>
public static class SensorId
{
    public const int MaxLength = 128;

    /// <summary>Null when <paramref name="id"/> is an acceptable sensor id; otherwise why not.</summary>
    public static string? Problem(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty)
        {
            return "sensor id is empty";
        }

        if (id.Length > MaxLength)
        {
            return $"sensor id is longer than {MaxLength} characters";
        }

        // URLs resolve "." and ".." away (RFC 3986 dot segments), so /api/v1/sensors/.. could never address such a sensor.
        if (id is "." or "..")
        {
            return "sensor id is a URL path segment ('.' or '..') that no URL could address";
        }

        foreach (var c in id)
        {
            if (!IsAllowed(c))
            {
                return $"sensor id contains '{(char.IsControl(c) ? '?' : c)}'; allowed are letters, digits and - _ . : @";
            }
        }

        return null;
    }

    public static bool IsValid(ReadOnlySpan<char> id) => Problem(id) is null;

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@';
}
