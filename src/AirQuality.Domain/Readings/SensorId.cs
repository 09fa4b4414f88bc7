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
