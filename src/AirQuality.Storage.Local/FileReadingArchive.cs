using System.Buffers;
using System.Text.Json;
using AirQuality.Domain.Archive;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Readings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AirQuality.Storage.Local;

/// <summary>
/// The local <see cref="IReadingArchive"/>: one canonical NDJSON line per reading (<see cref="CanonicalJsonWriter"/>),
/// appended to <c>&lt;root&gt;/yyyy/MM/dd/HH.ndjson</c> by the reading's own UTC timestamp
/// (<see cref="ArchiveLayout.PartitionOf"/>).
/// </summary>
/// <remarks>
/// <para><see cref="AppendAsync"/> only buffers (thread-safe; any number of concurrent callers).
/// <see cref="FlushAsync"/> writes everything buffered so far and fsyncs every file it touched before it
/// completes, so a caller that awaited it can acknowledge the readings as durable. Flushes run one at a time;
/// concurrent callers share the work (one fsync per partition covers everyone's lines). A background flush
/// runs every <see cref="FileReadingArchiveOptions.FlushInterval"/>, and <see cref="DisposeAsync"/> flushes
/// what is left, so a graceful shutdown loses nothing that was appended.</para>
/// <para>Torn lines: each line is written whole, but a process killed mid-write can leave a partial last line.
/// A reader of an archive file must skip a line that does not parse; <see cref="CanonicalJsonDecoder"/> in
/// NDJSON mode rejects such a line on its own and keeps the others. When a file is reopened for appending and
/// does not end with a newline, a newline is written first, so the torn fragment stays a line of its own and
/// never spoils the next reading.</para>
/// <para>If a write fails, the lines of that partition go back to the buffer and the flush throws; the next
/// flush tries again. A write that failed halfway can therefore leave a torn line and repeat some readings
/// (at-least-once), never lose them.</para>
/// <para>At most <see cref="FileReadingArchiveOptions.MaxOpenFiles"/> partition files stay open; the least
/// recently written is closed beyond that and reopened for appending when needed again.</para>
/// <para>A newly created partition file is fsynced, but its directory entry is not (.NET cannot open a
/// directory to sync it); journaling file systems (ext4, XFS, APFS, NTFS) commit it with the file's sync.</para>
/// </remarks>
public sealed partial class FileReadingArchive : IReadingArchive, IAsyncDisposable
{
    private const byte Newline = (byte)'\n';

    private readonly string _root;
    private readonly int _maxBufferedBytes;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _bufferGate = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly PartitionFiles _files;
    private Dictionary<string, ArrayBufferWriter<byte>> _pending = new(StringComparer.Ordinal);
    private long _pendingBytes;
    private bool _disposed;
    private bool _closed;
    private int _backgroundFlushRunning;
    private volatile bool _lastWriteFailed;
    private int _reportedUnusable;

    public FileReadingArchive(FileReadingArchiveOptions options, TimeProvider? timeProvider = null, ILogger<FileReadingArchive>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _root = options.ResolveDirectory();
        _maxBufferedBytes = options.MaxBufferedBytes;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _files = new PartitionFiles(_root, options.MaxOpenFiles, _logger);
        _ = Directory.CreateDirectory(_root);
        _timer = (timeProvider ?? TimeProvider.System).CreateTimer(OnFlushTimer, null, options.FlushInterval, options.FlushInterval);
        LogOpened(_logger, _root, options.FlushInterval, options.MaxOpenFiles);
    }

    /// <summary>The absolute root directory of the archive.</summary>
    public string RootDirectory => _root;

    /// <summary>The most recent background flush, for tests to await after advancing a fake clock.</summary>
    internal Task BackgroundFlush { get; private set; } = Task.CompletedTask;

    /// <summary>The partitions whose files are open now, most recently written first.</summary>
    internal IReadOnlyList<string> OpenPartitions => _files.Partitions;

    /// <summary>
    /// Null when the archive can take readings; otherwise a short reason for readiness (the details go to the
    /// log, once per change). Tries the directory as start-up does (a file made and deleted in it), and reports
    /// a last flush that failed, which covers what an empty file does not show (a full disk).
    /// </summary>
    public string? ReadinessProblem()
    {
        var problem = WriteProblem(_root);
        if (problem is null && !_lastWriteFailed)
        {
            _ = Interlocked.Exchange(ref _reportedUnusable, 0);
            return null;
        }

        if (Interlocked.Exchange(ref _reportedUnusable, 1) == 0)
        {
            LogUnusable(_logger, _root, problem ?? "the last write failed");
        }

        return problem is not null
            ? "archive: its directory is missing, not a directory, or cannot be written (see the log)"
            : "archive: the last write failed; readings wait in memory for the next flush (see the log)";
    }

    /// <summary>
    /// Null when <paramref name="directory"/> is a directory this process can create files in (it is created if
    /// missing); otherwise why not. Leaves nothing behind.
    /// </summary>
    internal static string? WriteProblem(string directory)
    {
        try
        {
            _ = Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-probe-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>The file that holds <paramref name="partition"/> (<c>yyyy/MM/dd/HH</c>) under <paramref name="root"/>.</summary>
    public static string PathOf(string root, string partition)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(partition);
        return Path.Combine(root, partition.Replace('/', Path.DirectorySeparatorChar) + ".ndjson");
    }

    /// <summary>
    /// Buffers one line per reading. All readings are serialized before any is buffered, so a reading
    /// <see cref="CanonicalJsonWriter"/> refuses (a non-finite value) fails the call and buffers none of the batch.
    /// </summary>
    public ValueTask AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readings);
        cancellationToken.ThrowIfCancellationRequested();
        if (readings.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var lines = Serialize(readings, out var bytes);
        bool flushNow;
        lock (_bufferGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var (partition, data) in lines)
            {
                if (!_pending.TryGetValue(partition, out var buffer))
                {
                    _pending[partition] = buffer = new ArrayBufferWriter<byte>(data.WrittenCount);
                }

                buffer.Write(data.WrittenSpan);
            }

            _pendingBytes += bytes;
            flushNow = _pendingBytes >= _maxBufferedBytes;
        }

        return flushNow ? new ValueTask(FlushAsync(cancellationToken)) : ValueTask.CompletedTask;
    }

    /// <summary>Writes everything appended before the call and fsyncs every file written; completes when it is durable.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Once the flush has begun it is not cancelled: stopping halfway would only leave a torn line.
            WriteAndSyncPending();
        }
        finally
        {
            _ = _flushGate.Release();
        }
    }

    /// <summary>Stops the background flush, flushes what is buffered and closes every file. Appending afterwards throws.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_bufferGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        await _flushGate.WaitAsync().ConfigureAwait(false);
        try
        {
            WriteAndSyncPending();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            long lost;
            lock (_bufferGate)
            {
                lost = _pendingBytes;
            }

            LogFinalFlushFailed(_logger, ex, _root, lost);
            throw;
        }
        finally
        {
            _closed = true;
            _files.CloseAll();
            _ = _flushGate.Release();
        }
    }

    private static List<(string Partition, ArrayBufferWriter<byte> Lines)> Serialize(IReadOnlyList<Reading> readings, out long bytes)
    {
        // Usually every reading of a call falls in the same hour: one buffer, one partition string.
        var result = new List<(string, ArrayBufferWriter<byte>)>(1);
        ArrayBufferWriter<byte>? current = null;
        var currentHour = long.MinValue;
        bytes = 0;
        using var json = new Utf8JsonWriter(Stream.Null);
        for (var i = 0; i < readings.Count; i++)
        {
            var reading = readings[i];
            ArgumentNullException.ThrowIfNull(reading, nameof(readings));
            var hour = reading.Timestamp.UtcTicks / TimeSpan.TicksPerHour;
            if (hour != currentHour || current is null)
            {
                var partition = ArchiveLayout.PartitionOf(reading.Timestamp);
                current = null;
                foreach (var (existing, buffer) in result)
                {
                    if (existing == partition)
                    {
                        current = buffer;
                        break;
                    }
                }

                if (current is null)
                {
                    current = new ArrayBufferWriter<byte>(256);
                    result.Add((partition, current));
                }

                currentHour = hour;
            }

            var before = current.WrittenCount;
            json.Reset(current);
            CanonicalJsonWriter.Write(json, reading);
            json.Flush();
            current.GetSpan(1)[0] = Newline;
            current.Advance(1);
            bytes += current.WrittenCount - before;
        }

        return result;
    }

    private void WriteAndSyncPending()
    {
        if (_closed)
        {
            return;
        }

        Dictionary<string, ArrayBufferWriter<byte>> batch;
        long batchBytes;
        lock (_bufferGate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            batch = _pending;
            batchBytes = _pendingBytes;
            _pending = new Dictionary<string, ArrayBufferWriter<byte>>(StringComparer.Ordinal);
            _pendingBytes = 0;
        }

        List<(string Partition, ArrayBufferWriter<byte> Lines)>? failed = null;
        Exception? firstError = null;
        foreach (var (partition, lines) in batch)
        {
            try
            {
                var file = _files.Get(partition);
                file.Write(lines.WrittenSpan);
                file.Flush(flushToDisk: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _files.Close(partition);
                LogWriteFailed(_logger, ex, partition, _root);
                (failed ??= []).Add((partition, lines));
                firstError ??= ex;
            }
        }

        _lastWriteFailed = failed is not null;
        if (failed is null)
        {
            LogFlushed(_logger, batch.Count, batchBytes);
            return;
        }

        Requeue(failed);
        throw new ReadingArchiveUnavailableException(
            $"Could not write {failed.Count} of {batch.Count} archive partition(s) under '{_root}' ({string.Join(", ", failed.Select(f => f.Partition))}); their readings stay buffered for the next flush.",
            firstError);
    }

    /// <summary>Puts lines that could not be written back in front of anything appended since.</summary>
    private void Requeue(List<(string Partition, ArrayBufferWriter<byte> Lines)> failed)
    {
        lock (_bufferGate)
        {
            foreach (var (partition, lines) in failed)
            {
                if (_pending.TryGetValue(partition, out var newer))
                {
                    lines.Write(newer.WrittenSpan);
                }

                _pending[partition] = lines;
                _pendingBytes += lines.WrittenCount - (newer?.WrittenCount ?? 0);
            }
        }
    }

    private void OnFlushTimer(object? state)
    {
        if (Interlocked.CompareExchange(ref _backgroundFlushRunning, 1, 0) != 0)
        {
            return; // the previous background flush is still running; it will be followed by the next tick
        }

        BackgroundFlush = BackgroundFlushAsync();
    }

    private async Task BackgroundFlushAsync()
    {
        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogBackgroundFlushFailed(_logger, ex, _root);
        }
        finally
        {
            _ = Interlocked.Exchange(ref _backgroundFlushRunning, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading archive at {Root}: flush every {FlushInterval}, at most {MaxOpenFiles} open files")]
    private static partial void LogOpened(ILogger logger, string root, TimeSpan flushInterval, int maxOpenFiles);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading archive flushed {Partitions} partition(s), {Bytes} bytes")]
    private static partial void LogFlushed(ILogger logger, int partitions, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading archive could not write partition {Partition} under {Root}; its readings stay buffered")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string partition, string root);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading archive background flush under {Root} failed")]
    private static partial void LogBackgroundFlushFailed(ILogger logger, Exception exception, string root);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading archive under {Root} cannot take readings: {Reason}; the host reports not ready")]
    private static partial void LogUnusable(ILogger logger, string root, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Reading archive under {Root} could not flush at shutdown; {Bytes} buffered bytes are lost")]
    private static partial void LogFinalFlushFailed(ILogger logger, Exception exception, string root, long bytes);
}

/// <summary>
/// The archive could not write some partitions (their readings stay buffered for the next flush): the
/// directory is gone, is a file, cannot be written, or the disk is full. Nothing that waited on this flush
/// may be acknowledged as durable.
/// </summary>
public sealed class ReadingArchiveUnavailableException(string message, Exception? innerException) : IOException(message, innerException);
