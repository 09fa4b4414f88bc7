using System.CommandLine;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Validation;

namespace AirQuality.Cli.Commands;

/// <summary>
/// `airq decode`: turns any supported input into canonical NDJSON readings on stdout; rejected records
/// go to stderr with their record/line number and reason, then a summary line.
/// </summary>
internal static class DecodeCommand
{
    /// <summary>Largest input read into memory; the formats decoded here are daily files and request bodies.</summary>
    private const long MaxInputBytes = 1L << 30;

    public static Command Create(CliConsole console)
    {
        var format = new Option<string>("--format")
        {
            Description = "canonical (JSON object, array or NDJSON), sc-push (Sensor.Community device push), sc-records (open-data JSON), sc-csv (daily archive CSV).",
            Required = true,
        };
        format.AcceptOnlyFromAmong("canonical", "sc-push", "sc-records", "sc-csv");
        var sensor = new Option<string>("--sensor") { Description = "sc-push only: the X-Sensor header (e.g. esp8266-15132406)." };
        var pin = new Option<string>("--pin") { Description = "sc-push only: the X-Pin header (e.g. 1)." };
        var file = new Argument<FileInfo?>("FILE") { Description = "Input file; stdin when omitted.", Arity = ArgumentArity.ZeroOrOne };

        var command = new Command("decode", "Decode readings and print them as canonical NDJSON.") { format, sensor, pin, file };
        command.SetAction(parsed =>
        {
            var name = parsed.GetValue(format)!;
            if (name != "sc-push" && (parsed.GetResult(sensor) is not null || parsed.GetResult(pin) is not null))
            {
                throw new UsageException("--sensor and --pin apply to --format sc-push only");
            }

            var input = ReadInput(parsed.GetValue(file), console);
            var validator = new ReadingValidator();
            var result = name switch
            {
                "canonical" => new CanonicalJsonDecoder(validator).Decode(input),
                "sc-push" => new SensorCommunityPushDecoder(validator, TimeProvider.System)
                    .Decode(parsed.GetValue(sensor), parsed.GetValue(pin), input),
                "sc-records" => new SensorCommunityRecordsDecoder(validator).Decode(input),
                _ => new SensorCommunityCsvDecoder(validator).Decode(input),
            };

            using (var output = new JsonLines(console.Output))
            {
                foreach (var reading in result.Readings)
                {
                    output.Write(w => CanonicalJsonWriter.Write(w, reading));
                }
            }

            foreach (var rejection in result.Rejections)
            {
                console.Error.WriteLine($"rejected {rejection}");
            }

            console.Error.WriteLine(
                $"decoded {result.Readings.Count} readings from {result.RecordCount} records; " +
                $"{result.RejectedRecordCount} records and {result.RejectedValueCount} values rejected");

            if (result.Readings.Count == 0)
            {
                throw new UsageException("no readings could be decoded");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static byte[] ReadInput(FileInfo? file, CliConsole console)
    {
        if (file is not null && !file.Exists)
        {
            throw new UsageException($"no such file: {file.FullName}");
        }

        using var source = file is null ? console.Input : file.OpenRead();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = source.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxInputBytes)
            {
                throw new UsageException($"input is larger than {MaxInputBytes >> 20} MiB");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
