using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace AirQuality.Cli.Commands;

/// <summary>`airq aqi`: the sub-index of one concentration, or of NDJSON requests on stdin with --batch.</summary>
internal static class AqiCommand
{
    /// <summary>Longest batch line read; a longer one is answered with an error and skipped.</summary>
    private const int MaxLineLength = 64 * 1024;

    public static Command Create(CliConsole console)
    {
        var standard = new Option<string>("--standard") { Description = $"The AQI standard: {AqiRequest.StandardNames}." };
        var pollutant = new Option<string>("--pollutant") { Description = "pm25, pm10, o3, no2, so2 or co." };
        var value = new Option<string>("--value") { Description = "The concentration (a number; invariant culture, e.g. 35.5)." };
        var unit = new Option<string>("--unit") { Description = "ugm3, mgm3, ppb or ppm (default: the standard's own unit)." };
        var averaging = new Option<string>("--averaging") { Description = "1h, 8h, 24h or 15min (default: the standard's for the pollutant)." };
        var batch = new Option<bool>("--batch") { Description = "Read NDJSON requests {\"standard\",\"pollutant\",\"value\",\"unit\"?,\"averaging\"?} from stdin; write one result per line." };

        var command = new Command("aqi", "Compute the air quality sub-index of a concentration.")
        {
            standard, pollutant, value, unit, averaging, batch,
        };
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(batch))
            {
                if (parsed.GetResult(standard) is not null || parsed.GetResult(pollutant) is not null || parsed.GetResult(value) is not null)
                {
                    throw new UsageException("--batch reads its requests from stdin; give no --standard, --pollutant or --value with it");
                }

                RunBatch(console);
                return ExitCodes.Success;
            }

            var request = new AqiRequest(parsed.GetValue(standard), parsed.GetValue(pollutant), ParseValue(parsed.GetValue(value)),
                parsed.GetValue(unit), parsed.GetValue(averaging));
            var answer = request.Answer();
            using var output = new JsonLines(console.Output);
            output.Write(answer.WriteTo);
            return ExitCodes.Success;
        });
        return command;
    }

    private static double? ParseValue(string? text) =>
        text is null ? null
        : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
        : throw new UsageException($"--value must be a number, got '{text}'");

    private static void RunBatch(CliConsole console)
    {
        using var reader = new StreamReader(console.Input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        using var output = new JsonLines(console.Output);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (line.Length > MaxLineLength)
            {
                output.WriteError($"line is longer than {MaxLineLength} characters", lineNumber);
                continue;
            }

            try
            {
                var answer = ParseLine(line).Answer();
                output.Write(answer.WriteTo);
            }
            catch (UsageException e)
            {
                output.WriteError(e.Message, lineNumber);
            }
        }
    }

    private static AqiRequest ParseLine(string line)
    {
        string? standard = null, pollutant = null, unit = null, averaging = null;
        double? value = null;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line), new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new UsageException("each line must be a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "standard": standard = RequireString(ref reader, name); break;
                    case "pollutant": pollutant = RequireString(ref reader, name); break;
                    case "unit": unit = RequireString(ref reader, name); break;
                    case "averaging": averaging = RequireString(ref reader, name); break;
                    case "value":
                        if (reader.TokenType != JsonTokenType.Number)
                        {
                            throw new UsageException($"\"value\" must be a number, got {Describe(reader.TokenType)}");
                        }

                        value = reader.TryGetDouble(out var v) && double.IsFinite(v)
                            ? v
                            : throw new UsageException("\"value\" is not a finite number");
                        break;
                    default: reader.Skip(); break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new UsageException("each line must hold exactly one JSON object");
            }
        }
        catch (JsonException e)
        {
            throw new UsageException($"malformed JSON: {e.Message}");
        }

        return new AqiRequest(standard, pollutant, value, unit, averaging);
    }

    private static string RequireString(ref Utf8JsonReader reader, string? name) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : throw new UsageException($"\"{name}\" must be a string, got {Describe(reader.TokenType)}");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
