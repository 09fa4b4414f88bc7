using System.Diagnostics;
using AirQuality.Contracts;
using AirQuality.Domain.Archive;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Readings;
using Microsoft.Extensions.Options;

namespace AirQuality.Host.Ingest;

/// <summary>What one ingest request came to, for the response body.</summary>
public sealed record IngestSummary(int Accepted, int Rejected, int RejectedValues, int Duplicates, IReadOnlyList<RejectionView> Rejections);

public sealed record RejectionView(int Record, long? Line, string? SensorId, string? Quantity, string Reason);

/// <summary>
/// Takes decoded readings to their sensors: archives them durably first (so a 2xx never loses a reading,
/// whatever happens next), then makes one grain call per sensor with all of that sensor's readings.
/// </summary>
public sealed class ReadingIngestor(IGrainFactory grains, IReadingArchive archive, IngestMetrics metrics, IOptions<IngestOptions> options)
{
    private readonly IngestOptions _options = options.Value;

    public async Task<IngestSummary> IngestAsync(DecodeResult decoded, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var started = Stopwatch.GetTimestamp();
        using var activity = IngestMetrics.Tracing.StartActivity("ingest");
        activity?.SetTag("airq.source", source);
        activity?.SetTag("airq.readings", decoded.Readings.Count);

        var duplicates = 0;
        if (decoded.Readings.Count > 0)
        {
            await archive.AppendAsync(decoded.Readings, cancellationToken);
            await archive.FlushAsync(cancellationToken);
            // Durable from here on: apply whatever the client does, so state never lags the archive.
            duplicates = await ApplyAsync(decoded.Readings);
        }

        var rejected = decoded.RejectedRecordCount;
        metrics.Record(source, decoded.Readings.Count, rejected, Stopwatch.GetElapsedTime(started));
        return new IngestSummary(
            decoded.Readings.Count,
            rejected,
            decoded.RejectedValueCount,
            duplicates,
            decoded.Rejections.Take(_options.MaxRejectionsReported)
                .Select(r => new RejectionView(r.Record, r.Line, r.SensorId, r.Quantity, r.Reason))
                .ToArray());
    }

    /// <summary>One call per sensor, at most MaxConcurrentGrainCalls at a time; returns values found to be duplicates.</summary>
    private async Task<int> ApplyAsync(List<Reading> readings)
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

        var duplicates = 0;
        await Parallel.ForEachAsync(
            bySensor,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentGrainCalls },
            async (pair, _) =>
            {
                var result = await grains.GetGrain<ISensorGrain>(pair.Key).Ingest(pair.Value);
                Interlocked.Add(ref duplicates, result.Duplicates);
            });
        return duplicates;
    }
}
