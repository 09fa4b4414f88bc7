using AirQuality.Domain.Ingest;

namespace AirQuality.Ingest.Pipeline;

/// <summary>
/// At start-up, after the silo and before the HTTP server: applies every ingest log entry after the checkpoint
/// (readings a previous run acknowledged but had not yet written to sensor state when it stopped), through the
/// same path as a request, then checkpoints. Sensors apply readings idempotently, so entries they had already
/// written change nothing. Until it finishes the host takes no request.
/// </summary>
public sealed partial class IngestLogReplay(
    IIngestLog log, ReadingIngestor ingestor, IngestCheckpointer checkpointer, ILogger<IngestLogReplay> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        long entries = 0, readings = 0;
        await foreach (var entry in log.ReadUncheckpointedAsync(cancellationToken))
        {
            try
            {
                _ = await ingestor.ApplyLoggedAsync(entry.Position, entry.Readings);
            }
            catch (IngestIncompleteException e)
            {
                // These sensors cannot take readings now (their state is unreadable): the readings stay in the
                // archive, and the checkpoint moves on so that one broken sensor cannot hold every other back.
                LogSensorsFailed(entry.Position, string.Join(", ", e.FailedSensors.Take(10)), e.FailedSensors.Count);
            }

            entries++;
            readings += entry.Readings.Count;
        }

        if (entries > 0)
        {
            var checkpointed = await checkpointer.CheckpointAsync(cancellationToken);
            LogReplayed(entries, readings, checkpointed);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest log: replayed {Entries} entries ({Readings} readings) acknowledged before the last stop; checkpointed: {Checkpointed}")]
    private partial void LogReplayed(long entries, long readings, bool checkpointed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest log replay: entry {Position} could not be applied to {Count} sensor(s) ({Sensors}); their readings are in the archive only")]
    private partial void LogSensorsFailed(long position, string sensors, int count);
}
