namespace AirQuality.Domain.Decoding.Internal;

/// <summary>
/// Parses the timestamps the input formats use, straight from UTF-8 and without allocating:
/// <c>YYYY-MM-DD(T|t| )HH:MM[:SS[.fraction]][Z|±HH[:MM]]</c>. A hand-written parser because it runs
/// once per reading on the hot path, and because the rules differ per format only in whether a zone
/// is required (canonical JSON) or absent means UTC (Sensor.Community).
/// </summary>
internal static class Utf8Timestamp
{
    private const string Example = "2026-11-23T10:00:00Z";

    public static bool TryParse(ReadOnlySpan<byte> text, bool requireZone, out DateTimeOffset utc, out string? problem)
    {
        utc = default;
        if (text.Length is < 16 or > 40
            || !TryDigits(text, 0, 4, out var year)
            || text[4] != '-'
            || !TryDigits(text, 5, 2, out var month)
            || text[7] != '-'
            || !TryDigits(text, 8, 2, out var day)
            || text[10] is not ((byte)'T' or (byte)'t' or (byte)' ')
            || !TryDigits(text, 11, 2, out var hour)
            || text[13] != ':'
            || !TryDigits(text, 14, 2, out var minute))
        {
            problem = NotATimestamp(text);
            return false;
        }

        var at = 16;
        var second = 0;
        long fractionTicks = 0;
        if (at < text.Length && text[at] == ':')
        {
            if (!TryDigits(text, at + 1, 2, out second))
            {
                problem = NotATimestamp(text);
                return false;
            }

            at += 3;
            if (at < text.Length && text[at] == '.')
            {
                at++;
                var start = at;
                long scale = TimeSpan.TicksPerSecond;
                while (at < text.Length && char.IsAsciiDigit((char)text[at]))
                {
                    // Ticks are 100 ns: digits beyond the seventh are read but do not count.
                    if (scale > 1)
                    {
                        scale /= 10;
                        fractionTicks += (text[at] - '0') * scale;
                    }

                    at++;
                }

                if (at == start)
                {
                    problem = NotATimestamp(text);
                    return false;
                }
            }
        }

        long offsetTicks = 0;
        if (at == text.Length)
        {
            if (requireZone)
            {
                problem = $"timestamp '{TextDescription.Of(text)}' has no UTC offset or 'Z' (expected like {Example})";
                return false;
            }
        }
        else if (text[at] is (byte)'Z' or (byte)'z' && at + 1 == text.Length)
        {
            // UTC.
        }
        else if (text[at] is (byte)'+' or (byte)'-' && TryOffset(text[(at + 1)..], out var offsetMinutes))
        {
            offsetTicks = (text[at] == '-' ? -offsetMinutes : offsetMinutes) * TimeSpan.TicksPerMinute;
        }
        else
        {
            problem = NotATimestamp(text);
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            problem = $"timestamp '{TextDescription.Of(text)}' is not a valid date and time";
            return false;
        }

        var ticks = new DateTime(year, month, day).Ticks
            + (hour * TimeSpan.TicksPerHour)
            + (minute * TimeSpan.TicksPerMinute)
            + (second * TimeSpan.TicksPerSecond)
            + fractionTicks
            - offsetTicks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            problem = $"timestamp '{TextDescription.Of(text)}' is out of range";
            return false;
        }

        utc = new DateTimeOffset(ticks, TimeSpan.Zero);
        problem = null;
        return true;
    }

    /// <summary>HH, HHMM or HH:MM, up to 23:59.</summary>
    private static bool TryOffset(ReadOnlySpan<byte> text, out long minutes)
    {
        minutes = 0;
        var hours = 0;
        var offsetMinutes = 0;
        var ok = text.Length switch
        {
            2 => TryDigits(text, 0, 2, out hours),
            4 => TryDigits(text, 0, 2, out hours) && TryDigits(text, 2, 2, out offsetMinutes),
            5 => TryDigits(text, 0, 2, out hours) && text[2] == ':' && TryDigits(text, 3, 2, out offsetMinutes),
            _ => false,
        };
        if (!ok || hours > 23 || offsetMinutes > 59)
        {
            return false;
        }

        minutes = (hours * 60L) + offsetMinutes;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private static string NotATimestamp(ReadOnlySpan<byte> text) =>
        $"timestamp '{TextDescription.Of(text)}' is not an ISO 8601 date and time (expected like {Example})";
}
