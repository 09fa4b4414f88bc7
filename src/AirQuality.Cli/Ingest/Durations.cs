using System.Globalization;

namespace AirQuality.Cli.Ingest;

/// <summary>Durations as people type them on a command line: 145s, 5m, 1h30m, 500ms, 2d, 1.5h.</summary>
internal static class Durations
{
    /// <summary>Longest duration accepted (ten years); more is a typo, not a plan.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(3653);

    public static TimeSpan Parse(string? text, string option) => TryParse(text, out var value)
        ? value
        : throw new UsageException($"{option} must be a duration like 145s, 5m, 1h30m or 2d, got '{text}'");

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var rest = text.AsSpan().Trim();
        var total = 0.0;
        while (!rest.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || rest[numberLength] == '.'))
            {
                numberLength++;
            }

            var unitLength = 0;
            while (numberLength + unitLength < rest.Length && char.IsAsciiLetter(rest[numberLength + unitLength]))
            {
                unitLength++;
            }

            if (numberLength == 0 || unitLength == 0
                || !double.TryParse(rest[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            double? seconds = rest.Slice(numberLength, unitLength) switch
            {
                "ms" => number / 1000,
                "s" => number,
                "m" or "min" => number * 60,
                "h" => number * 3600,
                "d" => number * 86400,
                _ => null,
            };
            if (seconds is null)
            {
                return false;
            }

            total += seconds.Value;
            if (total > Longest.TotalSeconds)
            {
                return false;
            }

            rest = rest[(numberLength + unitLength)..];
        }

        value = TimeSpan.FromSeconds(total);
        return true;
    }

    /// <summary>A short human form for messages: "145 s", "15 min", "2.5 h".</summary>
    public static string Format(TimeSpan value) =>
        value.TotalSeconds < 1 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0} ms")
        : value.TotalMinutes < 10 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.#} s")
        : value.TotalHours < 2 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMinutes:0.#} min")
        : value.TotalDays < 2 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalHours:0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"{value.TotalDays:0.#} d");
}
