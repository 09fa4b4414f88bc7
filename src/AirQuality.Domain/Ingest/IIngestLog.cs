using AirQuality.Domain.Readings;

namespace AirQuality.Domain.Ingest;

/// <summary>
/// The durable record of accepted readings until sensor state holds them: a request is answered 2xx only once
/// its readings are appended here, and a restart replays what follows the checkpoint (see
/// <see cref="CheckpointTracker"/> for when a checkpoint may move). The local host keeps it in files; with Event
/// Hubs, the event hub partition plays this role and its checkpoint the checkpoint's.
/// </summary>
public interface IIngestLog
{
    /// <summary>
    /// Appends one batch and completes when it is durable, with its position: consecutive from 1, one per
    /// batch, never reused. A failed append throws and leaves no entry.
    /// </summary>
    ValueTask<long> AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default);

    /// <summary>The last checkpointed position: every entry up to it is in sensor state and may be dropped.</summary>
    long Checkpoint { get; }

    /// <summary>The entries after the checkpoint, oldest first: what a restart replays.</summary>
    IAsyncEnumerable<IngestLogEntry> ReadUncheckpointedAsync(CancellationToken cancellationToken = default);

    /// <summary>Records durably that every entry up to <paramref name="position"/> is in sensor state, and drops what it can.</summary>
    Task CheckpointAsync(long position, CancellationToken cancellationToken = default);
}

/// <summary>One appended batch, as replayed.</summary>
public sealed record IngestLogEntry(long Position, IReadOnlyList<Reading> Readings);
