using System.CommandLine;
using AirQuality.Cli.Ingest;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Validation;

namespace AirQuality.Cli.Commands;

/// <summary>
/// `airq import sensor-community`: the open-data JSON (data.json, data.1h.json, data.24h.json) from a URL or
/// a file, decoded and posted in batches. With --every it polls, sending only readings newer than the latest
/// one already sent per sensor.
/// </summary>
internal static class ImportSensorCommunityCommand
{
    private static readonly TimeSpan ShortestPoll = TimeSpan.FromSeconds(1);

    public static Command Create(CliConsole console, IngestEnvironment environment)
    {
        var url = new Option<string>("--url")
        {
            Description = "The open-data JSON to fetch, e.g. https://data.sensor.community/static/v2/data.json (or data.1h.json, data.24h.json).",
        };
        var file = new Option<string>("--file") { Description = "A saved copy of one of those files (read again on every run with --every)." };
        var every = new Option<string>("--every")
        {
            Description = "Poll at this interval (e.g. 5m): fetch again and send only readings newer than those already sent, until Ctrl+C or --max-runs.",
        };
        var maxRuns = new Option<int>("--max-runs") { Description = "With --every: stop after this many runs." };
        var ingest = new IngestArguments();

        var command = new Command("sensor-community", "Import Sensor.Community open-data JSON (data.json, data.1h.json, data.24h.json) into a host.")
        {
            url, file, every, maxRuns,
        };
        ingest.AddTo(command);
        command.SetAction(parsed =>
        {
            var source = ParseSource(parsed.GetValue(url), parsed.GetValue(file));
            TimeSpan? interval = parsed.GetResult(every) is null ? null : Durations.Parse(parsed.GetValue(every), "--every");
            if (interval < ShortestPoll)
            {
                throw new UsageException($"--every must be at least {Durations.Format(ShortestPoll)}");
            }

            var runs = interval is null ? 1 : int.MaxValue;
            if (parsed.GetResult(maxRuns) is not null)
            {
                runs = parsed.GetValue(maxRuns);
                if (interval is null)
                {
                    throw new UsageException("--max-runs bounds polling; it needs --every");
                }

                if (runs < 1)
                {
                    throw new UsageException($"--max-runs must be at least 1, got {runs}");
                }
            }

            var target = ingest.Parse(parsed);
            using var session = new IngestSession(console, environment, target);
            var importer = new Importer(session, source, interval);
            return session.Run("imported", cancellation => importer.RunAsync(runs, cancellation), importer.Totals);
        });
        return command;
    }

    private static Source ParseSource(string? url, string? file)
    {
        if ((url is null) == (file is null))
        {
            throw new UsageException("give exactly one of --url and --file");
        }

        if (file is not null)
        {
            return new Source(null, file);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--url must be an http or https URL, got '{url}'");
        }

        return new Source(uri, null);
    }

    private sealed record Source(Uri? Url, string? File)
    {
        public override string ToString() => Url?.ToString() ?? File!;
    }

    private sealed class Importer(IngestSession session, Source source, TimeSpan? interval)
    {
        private readonly SensorCommunityRecordsDecoder _decoder = new(new ReadingValidator(time: session.Time));
        private readonly SentWatermarks _sent = new();
        private int _runs;
        private long _skipped;
        private long _decoderRejectedRecords;
        private long _decoderRejectedValues;

        public async Task<string?> RunAsync(int runs, CancellationToken cancellation)
        {
            var failed = 0;
            while (true)
            {
                var started = session.Time.GetTimestamp();
                _runs++;
                var problem = await RunOnceAsync(cancellation).ConfigureAwait(false);
                if (problem is not null)
                {
                    if (interval is null)
                    {
                        return problem;
                    }

                    failed++;
                    session.Error.WriteLine($"run {_runs} failed: {problem}");
                }

                if (_runs >= runs)
                {
                    return failed == 0 ? null : $"{failed} of {_runs} runs failed";
                }

                session.Progress.Tick();
                var wait = interval!.Value - session.Time.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, session.Time, cancellation).ConfigureAwait(false);
                }
            }
        }

        public string Totals() =>
            (interval is null ? "" : $"{_runs} runs, {_skipped} readings skipped as already sent; ")
            + $"decoder rejected {_decoderRejectedRecords} records and {_decoderRejectedValues} values";

        /// <summary>One fetch, decode and send; null when it went through, else why not.</summary>
        private async Task<string?> RunOnceAsync(CancellationToken cancellation)
        {
            session.Progress.BeginInput();
            byte[] content;
            try
            {
                if (source.Url is { } url)
                {
                    content = await session.Client.GetAsync(url, InputFile.MaxBytes, cancellation).ConfigureAwait(false);
                }
                else if (!InputFile.TryRead(source.File!, out content, out var problem))
                {
                    return $"{source.File}: {problem}";
                }

                var result = _decoder.Decode(content);
                foreach (var rejection in result.Rejections)
                {
                    session.Progress.Rejection($"rejected {rejection}");
                }

                _decoderRejectedRecords += result.RejectedRecordCount;
                _decoderRejectedValues += result.RejectedValueCount;
                session.Progress.FlushHiddenRejections();
                if (result.Readings.Count == 0)
                {
                    return $"no readings could be decoded from {source}";
                }

                var fresh = result.Readings.Where(_sent.IsNew).ToList();
                var skipped = result.Readings.Count - fresh.Count;
                _skipped += skipped;
                var acceptedBefore = session.Progress.Accepted;
                var sentBefore = session.Progress.Sent;
                await session.Client.SendAsync(fresh, _sent.MarkSent, cancellation).ConfigureAwait(false);
                var accepted = session.Progress.Accepted - acceptedBefore;
                if (interval is not null)
                {
                    session.Error.WriteLine(
                        $"run {_runs}: {result.Readings.Count} readings in {result.RecordCount} records; {skipped} already sent; "
                        + $"{session.Progress.Sent - sentBefore} sent, {accepted} accepted");
                }

                return fresh.Count > 0 && accepted == 0 ? $"the host accepted none of the {fresh.Count} readings sent" : null;
            }
            catch (IngestException e) when (!e.Fatal)
            {
                return e.Message;
            }
        }
    }
}
