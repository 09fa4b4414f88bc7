using System.CommandLine;
using System.Globalization;
using AirQuality.Domain.Aqi;

namespace AirQuality.Cli.Commands;

/// <summary>`airq nowcast`: the US EPA NowCast and its AQI from up to 12 hourly means.</summary>
internal static class NowCastCommand
{
    public static Command Create(CliConsole console)
    {
        var pollutant = new Option<string>("--pollutant") { Description = "pm25 or pm10.", Required = true };
        var hourly = new Option<string>("--hourly")
        {
            Description = "Up to 12 comma-separated hourly means in µg/m³, most recent first; an empty entry is a missing hour.",
            Required = true,
        };

        var command = new Command("nowcast", "Compute the US EPA NowCast for PM2.5 or PM10 and its AQI.") { pollutant, hourly };
        command.SetAction(parsed =>
        {
            var name = parsed.GetValue(pollutant);
            if (!PollutantNames.TryParse(name, out var p) || p is not (Pollutant.Pm25 or Pollutant.Pm10))
            {
                throw new UsageException($"the NowCast is defined for pm25 and pm10, not '{name}'");
            }

            var hours = ParseHours(parsed.GetValue(hourly)!);
            var index = NowCast.UsAqi(p, hours, out var nowCast);

            using var output = new JsonLines(console.Output);
            output.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("pollutant", p.ToName());
                WriteNumberOrNull(w, "nowcast", nowCast.IsValid ? nowCast.Value : null);
                WriteNumberOrNull(w, "index", index.IndexOrNull);
                if (index.Category is { } category)
                {
                    w.WriteString("category", category.Name);
                    w.WriteString("color", category.Color);
                }
                else
                {
                    w.WriteNull("category");
                }

                w.WriteNumber("hoursWithData", nowCast.HoursUsed);
                if (index.Status == AqiStatus.BeyondIndex)
                {
                    w.WriteBoolean("beyondIndex", true);
                }

                w.WriteEndObject();
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static double[] ParseHours(string text)
    {
        var parts = text.Split(',');
        if (parts.Length > NowCast.Hours)
        {
            throw new UsageException($"--hourly takes at most {NowCast.Hours} values, got {parts.Length}");
        }

        var hours = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            if (part.Length == 0)
            {
                hours[i] = double.NaN;
            }
            else if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out hours[i]) || !double.IsFinite(hours[i]) || hours[i] < 0)
            {
                throw new UsageException($"hour {i + 1} of --hourly is '{part}', not a finite, non-negative number");
            }
        }

        return hours;
    }

    private static void WriteNumberOrNull(System.Text.Json.Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
