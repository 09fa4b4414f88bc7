using System.Diagnostics;
using AirQuality.Contracts;
using AirQuality.Domain.Archive;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Ingest;
using AirQuality.Domain.Readings;
using Microsoft.Extensions.Options;

namespace AirQuality.Ingest.Pipeline;

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

    // Sensors found known (registered or seen) while UnknownSensors is Reject: only real sensors get in, and a
    // sensor never stops being known, so this holds at most one entry per real sensor.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    public async Task<IngestSummary> IngestAsync(DecodeResult decoded, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var started = Stopwatch.GetTimestamp();
        using var activity = IngestMetrics.Tracing.StartActivity("ingest");
        activity?.SetTag("airq.source", source);
        activity?.SetTag("airq.readings", decoded.Readings.Count);

        IReadOnlyList<Reading> readings = decoded.Readings;
        var unknown = new List<RejectionView>();
        var refused = 0;
        if (_options.UnknownSensors == UnknownSensorPolicy.Reject && readings.Count > 0)
        {
            (readings, refused) = await KnownSensorsOnlyAsync(readings, unknown);
        }

        var applied = (Duplicates: 0, TooOld: 0);
        if (readings.Count > 0)
        {
            var position = await log.AppendAsync(readings, cancellationToken);
            // Durable from here on: apply whatever the client does, so state never lags the log.
            applied = await ApplyLoggedAsync(position, readings);
        }

        var rejected = decoded.RejectedRecordCount + refused;
        metrics.Record(source, readings.Count, rejected, Stopwatch.GetElapsedTime(started));
        return new IngestSummary(
            readings.Count,
            rejected,
            decoded.RejectedValueCount,
            applied.Duplicates,
            applied.TooOld,
            decoded.Rejections.Select(r => new RejectionView(r.Record, r.Line, r.SensorId, r.Quantity, r.Reason))
                .Concat(unknown)
                .Take(_options.MaxRejectionsReported)
                .ToArray());
    }

    /// <summary>
    /// The readings of sensors that exist (registered, or seen before), and one rejection per sensor that does
    /// not: asked of each sensor once, then remembered. Checked before the log, so refused readings are stored
    /// nowhere.
    /// </summary>
    private async Task<(IReadOnlyList<Reading> Known, int Refused)> KnownSensorsOnlyAsync(IReadOnlyList<Reading> readings, List<RejectionView> unknown)
    {
        var toAsk = readings.Select(r => r.SensorId).Where(id => !_known.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToArray();
        if (toAsk.Length == 0)
        {
            return (readings, 0);
        }

        var strangers = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            toAsk,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentGrainCalls },
            async (id, _) =>
            {
                if (await grains.GetGrain<ISensorGrain>(id).IsKnown())
                {
                    _known[id] = true;
                }
                else
                {
                    strangers[id] = 0;
                }
            });

        if (strangers.IsEmpty)
        {
            return (readings, 0);
        }

        var known = new List<Reading>(readings.Count);
        foreach (var reading in readings)
        {
            if (strangers.TryGetValue(reading.SensorId, out var count))
            {
                strangers[reading.SensorId] = count + 1;
            }
            else
            {
                known.Add(reading);
            }
        }

        foreach (var (id, count) in strangers.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            unknown.Add(new RejectionView(0, null, id, null,
                $"sensor '{id}' is not registered and has never reported, and this host takes readings only from known sensors (Ingest:UnknownSensors is Reject): register it first; {count} reading(s) refused"));
        }

        return (known, readings.Count - known.Count);
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
