using System.CommandLine;
using AirQuality.Cli.Ingest;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Validation;

namespace AirQuality.Cli.Commands;

/// <summary>
/// `airq import csv`: backfills Sensor.Community daily archive CSV files. Each file is decoded and posted in
/// batches on its own; a file that cannot be read or decoded is reported and the others go on. A host that
/// stays unavailable or refuses the key ends the import (the remaining files would fail the same way).
/// </summary>
internal static class ImportCsvCommand
{
    public static Command Create(CliConsole console, IngestEnvironment environment)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Daily archive CSV files, e.g. 2019-09-03_sds011_sensor_36.csv.",
            Arity = ArgumentArity.OneOrMore,
        };
        var ingest = new IngestArguments();
        var command = new Command("csv", "Backfill Sensor.Community daily archive CSV files into a host.") { files };
        ingest.AddTo(command);
        command.SetAction(parsed =>
        {
            var paths = parsed.GetValue(files)!;
            var target = ingest.Parse(parsed);
            using var session = new IngestSession(console, environment, target);
            var importer = new Importer(session, paths);
            return session.Run("imported", importer.RunAsync, importer.Totals);
        });
        return command;
    }

    private sealed class Importer(IngestSession session, string[] paths)
    {
        private readonly SensorCommunityCsvDecoder _decoder = new(new ReadingValidator(time: session.Time));
        private readonly List<string> _failed = [];
        private int _imported;
        private long _decoderRejectedRecords;
        private long _decoderRejectedValues;

        public async Task<string?> RunAsync(CancellationToken cancellation)
        {
            foreach (var path in paths)
            {
                if (await ImportAsync(path, cancellation).ConfigureAwait(false) is { } problem)
                {
                    _failed.Add($"{path} ({problem})");
                    session.Error.WriteLine($"{path}: not imported: {problem}");
                }
            }

            return _failed.Count == 0 ? null : $"{_failed.Count} of {paths.Length} files could not be imported: {string.Join(", ", _failed)}";
        }

        public string Totals() =>
            $"{_imported} of {paths.Length} files imported; decoder rejected {_decoderRejectedRecords} records and {_decoderRejectedValues} values";

        /// <summary>Null when the file was imported, else why not. A failed request is not caught: it ends the import.</summary>
        private async Task<string?> ImportAsync(string path, CancellationToken cancellation)
        {
            session.Progress.BeginInput();
            if (!InputFile.TryRead(path, out var content, out var problem))
            {
                return problem;
            }

            var result = _decoder.Decode(content);
            foreach (var rejection in result.Rejections)
            {
                session.Progress.Rejection($"rejected {path}: {rejection}");
            }

            session.Progress.FlushHiddenRejections();
            _decoderRejectedRecords += result.RejectedRecordCount;
            _decoderRejectedValues += result.RejectedValueCount;
            if (result.Readings.Count == 0)
            {
                return result.Rejections.Count > 0 && result.Rejections[0].Record == 0
                    ? result.Rejections[0].Reason
                    : $"no readings could be decoded from {result.RecordCount} records";
            }

            var acceptedBefore = session.Progress.Accepted;
            var rejectedBefore = session.Progress.Rejected;
            await session.Client.SendAsync(result.Readings, null, cancellation).ConfigureAwait(false);
            var accepted = session.Progress.Accepted - acceptedBefore;
            session.Error.WriteLine(
                $"{path}: {result.Readings.Count} readings from {result.RecordCount} records: {accepted} accepted, "
                + $"{session.Progress.Rejected - rejectedBefore} rejected by the host; {result.RejectedRecordCount} records rejected by the decoder");
            if (accepted == 0)
            {
                return $"the host accepted none of its {result.Readings.Count} readings";
            }

            _imported++;
            return null;
        }
    }
}
