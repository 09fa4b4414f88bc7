using System.Diagnostics;
using AirQuality.Contracts;
using AirQuality.Domain.Archive;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Ingest;
using AirQuality.Domain.Readings;
using Microsoft.Extensions.Options;

namespace AirQuality.Host.Ingest;

/// <summary>
/// What one ingest request came to, for the response body. <see cref="Accepted"/> readings are durable; of
/// them, <see cref="Duplicates"/> were known already (a replay: nothing changed) and <see cref="ArchivedOnly"/>
/// are older than sensor state keeps (archived, not in state or history).
/// </summary>
public sealed record IngestSummary(int Accepted, int Rejected, int RejectedValues, int Duplicates, int ArchivedOnly, IReadOnlyList<RejectionView> Rejections);

public sealed record RejectionView(int Record, long? Line, string? SensorId, string? Quantity, string Reason);

/// <summary>
/// Some sensors' grain calls failed (their readings are archived; the others of the request were applied).
/// Sending the same request again is safe: readings applied twice change nothing.
/// </summary>
public sealed class IngestIncompleteException(IReadOnlyList<string> failedSensors)
    : Exception($"{failedSensors.Count} sensor(s) could not take their readings now")
{
    public IReadOnlyList<string> FailedSensors { get; } = failedSensors;
}

/// <summary>
/// Takes decoded readings to their sensors: appends them to the ingest log first, and answers only once the log
/// has them on disk (so a 2xx never loses a reading, whatever happens next: a restart replays the log after its
/// checkpoint), then archives them and makes one grain call per sensor with all of that sensor's readings.
/// </summary>
/// <remarks>
/// Every logged position is reported to the <see cref="CheckpointTracker"/> exactly once, after its apply and
/// whatever the outcome, with the sensors that took its readings: the tracker lets the log forget the position
/// only once those sensors have written their state (<see cref="IngestCheckpointer"/>).
/// </remarks>
public sealed partial class ReadingIngestor(
    IGrainFactory grains, IIngestLog log, CheckpointTracker checkpoints, IReadingArchive archive, IngestMetrics metrics,
    IOptions<IngestOptions> options, ILogger<ReadingIngestor> logger)
{
    private readonly IngestOptions _options = options.Value;

    public async Task<IngestSummary> IngestAsync(DecodeResult decoded, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var started = Stopwatch.GetTimestamp();
        using var activity = IngestMetrics.Tracing.StartActivity("ingest");
        activity?.SetTag("airq.source", source);
        activity?.SetTag("airq.readings", decoded.Readings.Count);

        var applied = (Duplicates: 0, TooOld: 0);
        if (decoded.Readings.Count > 0)
        {
            var position = await log.AppendAsync(decoded.Readings, cancellationToken);
            // Durable from here on: apply whatever the client does, so state never lags the log.
            applied = await ApplyLoggedAsync(position, decoded.Readings);
        }

        var rejected = decoded.RejectedRecordCount;
        metrics.Record(source, decoded.Readings.Count, rejected, Stopwatch.GetElapsedTime(started));
        return new IngestSummary(
            decoded.Readings.Count,
            rejected,
            decoded.RejectedValueCount,
            applied.Duplicates,
            applied.TooOld,
            decoded.Rejections.Take(_options.MaxRejectionsReported)
                .Select(r => new RejectionView(r.Record, r.Line, r.SensorId, r.Quantity, r.Reason))
                .ToArray());
    }

    /// <summary>
    /// Archives and applies the readings of one logged entry (a request's, or one replayed at start-up), then
    /// reports the position done to the checkpoint tracker with the sensors that took them.
    /// </summary>
    public async Task<(int Duplicates, int TooOld)> ApplyLoggedAsync(long position, IReadOnlyList<Reading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var took = new List<string>();
        try
        {
            // Buffered only: the checkpoint flushes the archive before it lets the log forget these readings.
            await archive.AppendAsync(readings, CancellationToken.None);
            return await ApplyAsync(readings, took);
        }
        finally
        {
            checkpoints.Completed(position, took);
        }
    }

    /// <summary>
    /// One call per sensor, at most MaxConcurrentGrainCalls at a time; returns the readings that changed nothing
    /// and adds the sensors whose call succeeded to <paramref name="took"/>. A sensor whose call fails does not
    /// stop the others: every sensor is tried, and then the failed ones are reported together
    /// (<see cref="IngestIncompleteException"/>).
    /// </summary>
    private async Task<(int Duplicates, int TooOld)> ApplyAsync(IReadOnlyList<Reading> readings, List<string> took)
    {
        var bySensor = new Dictionary<string, List<Reading>>(StringComparer.Ordinal);
        foreach (var reading in readings)
        {
            if (!bySensor.TryGetValue(reading.SensorId, out var list))
            {
                bySensor[reading.SensorId] = list = [];
            }

            list.Add(reading);
        }

        int duplicates = 0, tooOld = 0;
        var failed = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            bySensor,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentGrainCalls },
            async (pair, _) =>
            {
                try
                {
                    var result = await grains.GetGrain<ISensorGrain>(pair.Key).Ingest(pair.Value);
                    Interlocked.Add(ref duplicates, result.DuplicateReadings);
                    Interlocked.Add(ref tooOld, result.TooOldReadings);
                }
                catch (Exception ex)
                {
                    // Logged and archived already; the client's retry brings them in.
                    failed.Add(pair.Key);
                    LogApplyFailed(ex, pair.Key, pair.Value.Count);
                }
            });

        took.AddRange(failed.IsEmpty ? bySensor.Keys : bySensor.Keys.Except(failed, StringComparer.Ordinal));
        if (!failed.IsEmpty)
        {
            throw new IngestIncompleteException([.. failed.Order(StringComparer.Ordinal)]);
        }

        return (duplicates, tooOld);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sensor {SensorId} could not take {Count} archived readings; the client is asked to retry")]
    private partial void LogApplyFailed(Exception exception, string sensorId, int count);
}
