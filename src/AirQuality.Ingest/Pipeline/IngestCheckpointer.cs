using System.Diagnostics.Metrics;
using AirQuality.Contracts;
using AirQuality.Domain.Archive;
using AirQuality.Domain.Ingest;
using Microsoft.Extensions.Options;

namespace AirQuality.Ingest.Pipeline;

/// <summary>
/// Moves the ingest log's checkpoint, every <see cref="IngestCheckpointOptions.CheckpointInterval"/> and at shutdown:
/// takes a round from the <see cref="CheckpointTracker"/>, flushes the archive, has every sensor the round touched
/// write its state (<see cref="ISensorGrain.Persist"/>), and only when all of that succeeded checkpoints the log
/// at the round's position. A failed round checkpoints nothing and its sensors are written again by the next one;
/// the log keeps the entries meanwhile, so nothing a client was told is durable can be lost.
/// </summary>
public sealed partial class IngestCheckpointer : BackgroundService
{
    private readonly CheckpointTracker _tracker;
    private readonly IIngestLog _log;
    private readonly IReadingArchive _archive;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly IngestCheckpointOptions _options;
    private readonly ILogger<IngestCheckpointer> _logger;
    private readonly SemaphoreSlim _oneRound = new(1, 1);
    private readonly Counter<long> _failures;
    private long _lastCheckpointAt;

    public IngestCheckpointer(
        CheckpointTracker tracker, IIngestLog log, IReadingArchive archive, IGrainFactory grains, TimeProvider time,
        IOptions<IngestCheckpointOptions> options, IMeterFactory meters, ILogger<IngestCheckpointer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _tracker = tracker;
        _log = log;
        _archive = archive;
        _grains = grains;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _lastCheckpointAt = time.GetTimestamp();
        var meter = meters.Create(IngestMetrics.MeterName);
        _failures = meter.CreateCounter<long>("airq.ingest.checkpoint.failures", "{round}", "Checkpoint rounds that could not write every sensor's state or the archive.");
        _ = meter.CreateObservableGauge("airq.ingest.checkpoint.age", () => _time.GetElapsedTime(Interlocked.Read(ref _lastCheckpointAt)).TotalSeconds, "s",
            "Time since the ingest log's checkpoint last moved or was found current: what a restart would replay at most.");
        _ = meter.CreateObservableGauge("airq.ingest.checkpoint.pending_sensors", () => (long)_tracker.PendingSensors, "{sensor}",
            "Sensors that took readings since the last checkpoint round.");
    }

    /// <summary>
    /// Runs one round now (also the replay's last step); true when the log is checkpointed as far as every
    /// completed entry.
    /// </summary>
    public async Task<bool> CheckpointAsync(CancellationToken cancellationToken)
    {
        await _oneRound.WaitAsync(cancellationToken);
        try
        {
            if (_tracker.BeginRound() is not { } round)
            {
                Interlocked.Exchange(ref _lastCheckpointAt, _time.GetTimestamp());
                return true;
            }

            try
            {
                await _archive.FlushAsync(cancellationToken);
                var failed = await PersistAsync(round.Sensors, cancellationToken);
                if (failed > 0)
                {
                    _tracker.Abandon(round);
                    _failures.Add(1);
                    LogSensorsFailed(failed, round.Sensors.Count, round.Position);
                    return false;
                }

                await _log.CheckpointAsync(round.Position, cancellationToken);
                _tracker.Succeeded(round);
                Interlocked.Exchange(ref _lastCheckpointAt, _time.GetTimestamp());
                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                _tracker.Abandon(round);
                _failures.Add(1);
                LogRoundFailed(ex, round.Position);
                if (ex is OperationCanceledException)
                {
                    throw;
                }

                return false;
            }
        }
        finally
        {
            _ = _oneRound.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CheckpointInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _ = await CheckpointAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: the last round runs in StopAsync
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The HTTP server has stopped taking requests by now and the silo still runs: checkpoint what is left,
        // so a graceful restart replays nothing.
        if (!await CheckpointAsync(cancellationToken))
        {
            LogFinalRoundFailed(_tracker.Checkpointed);
        }
    }

    public override void Dispose()
    {
        _oneRound.Dispose();
        base.Dispose();
    }

    private async Task<int> PersistAsync(IReadOnlyCollection<string> sensors, CancellationToken cancellationToken)
    {
        var failed = 0;
        await Parallel.ForEachAsync(
            sensors,
            new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (id, _) =>
            {
                try
                {
                    await _grains.GetGrain<ISensorGrain>(id).Persist();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (Interlocked.Increment(ref failed) == 1)
                    {
                        LogPersistFailed(ex, id);
                    }
                }
            });
        return failed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest checkpoint: {Failed} of {Sensors} sensors could not write their state; the log keeps the entries up to {Position} and the next round tries again")]
    private partial void LogSensorsFailed(int failed, int sensors, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest checkpoint: sensor {SensorId} could not write its state (the first failure of the round)")]
    private partial void LogPersistFailed(Exception exception, string sensorId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest checkpoint round to {Position} failed; the log keeps its entries and the next round tries again")]
    private partial void LogRoundFailed(Exception exception, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest checkpoint at shutdown did not complete; the next start replays the log after {Checkpoint}")]
    private partial void LogFinalRoundFailed(long checkpoint);
}
