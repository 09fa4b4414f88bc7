using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Ingest;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AirQuality.Storage.Local.IngestLog;

/// <summary>
/// The local <see cref="IIngestLog"/>: segment files of records in append order, under one directory, with
/// the checkpoint in a small file beside them.
/// </summary>
/// <remarks>
/// <para>Record: <c>[int32 payload length][uint32 CRC-32 of position and payload][int64 position][payload]</c>,
/// little-endian; the payload is the batch as canonical NDJSON (<see cref="CanonicalJsonWriter"/>). Segments are
/// named by their first position (<c>00000000000000000001.log</c>), closed at
/// <see cref="FileIngestLogOptions.SegmentBytes"/>, and deleted once the checkpoint is past their last record.</para>
/// <para>Group commit: appends queue their records; one writer writes everything queued, fsyncs once, and only
/// then completes those appends. Positions are given by the writer in file order, so they are consecutive in
/// the file; a write that fails is cut off the file again and its positions are given to the next records, so a
/// failed append leaves no entry and no gap. When even that cut fails, the log refuses every later append
/// (<see cref="Problem"/>) until a restart, which reads the file as it is.</para>
/// <para>Start-up: a record cut short or failing its CRC at the end of the last segment is a write the crash
/// interrupted (never acknowledged, since appends complete after the fsync): it is cut off with a warning.
/// Damage anywhere else stops start-up with a message that names the file. Writing then begins in a new segment.</para>
/// <para>The checkpoint is written to a temporary file, fsynced and renamed over the old one. If a crash loses
/// the rename, the older checkpoint stands and a restart replays more than it needs: harmless, since sensors
/// apply readings idempotently.</para>
/// </remarks>
public sealed partial class FileIngestLog : IIngestLog, IDisposable
{
    private const int HeaderBytes = 16;
    private const int MaxPayloadBytes = 1 << 30;
    private const string CheckpointFileName = "checkpoint";
    private const string SegmentExtension = ".log";

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly ILogger _logger;

    private readonly Lock _queueGate = new();
    private List<PendingAppend> _queue = [];
    private List<PendingAppend> _spare = [];
    private bool _writing;
    private Task _writer = Task.CompletedTask;
    private volatile Exception? _faulted;
    private bool _disposed;

    // The writer's own (one write at a time, under _writing).
    private readonly ArrayBufferWriter<byte> _writeBuffer = new(64 * 1024);
    private readonly Crc32 _crc = new();
    private FileStream _segment;
    private long _segmentFirst;
    private long _segmentLength;
    private long _next;

    // Closed segments, oldest first, and the checkpoint (under _segmentsGate).
    private readonly Lock _segmentsGate = new();
    private readonly List<(string Path, long First, long Last)> _sealed = [];
    private readonly List<string> _replay;
    private long _checkpoint;

    public FileIngestLog(string directory, long segmentBytes = 64L * 1024 * 1024, ILogger<FileIngestLog>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        _segmentBytes = segmentBytes;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (File.Exists(_directory))
        {
            throw new IOException($"The ingest log directory '{_directory}' is a file; set IngestLog:Directory (or DataDirectory) to a directory.");
        }

        _ = System.IO.Directory.CreateDirectory(_directory);
        _checkpoint = ReadCheckpoint(Path.Combine(_directory, CheckpointFileName));
        var last = ScanSegments(out _replay);
        _next = Math.Max(_checkpoint, last) + 1;
        _segment = OpenSegment(_next);
        var uncheckpointed = Math.Max(0, last - _checkpoint);
        LogOpened(_logger, _directory, _checkpoint, uncheckpointed);
    }

    /// <summary>The absolute directory of the log.</summary>
    public string Directory => _directory;

    public long Checkpoint
    {
        get
        {
            lock (_segmentsGate)
            {
                return _checkpoint;
            }
        }
    }

    /// <summary>Null while the log takes appends; otherwise why it refuses them (for readiness).</summary>
    public string? Problem => _faulted is { } e ? $"ingest log under '{_directory}' cannot write: {e.Message}" : null;

    public ValueTask<long> AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readings);
        cancellationToken.ThrowIfCancellationRequested();
        var payload = Serialize(readings);
        var pending = new PendingAppend(payload, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_queueGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Add(pending);
            if (!_writing)
            {
                _writing = true;
                _writer = Task.Run(WriteQueued, CancellationToken.None);
            }
        }

        // Not cancellable once queued: the record may already be on its way to the disk.
        return new ValueTask<long>(pending.Completion.Task);
    }

    public async IAsyncEnumerable<IngestLogEntry> ReadUncheckpointedAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var checkpoint = Checkpoint;
        var decoder = new CanonicalJsonDecoder(ReadingValidator.Default);
        foreach (var path in _replay)
        {
            if (!File.Exists(path))
            {
                continue; // deleted by a checkpoint since
            }

            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
            var header = new byte[HeaderBytes];
            while (await ReadFullyAsync(file, header, cancellationToken) == HeaderBytes)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                var position = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
                var payload = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    if (await ReadFullyAsync(file, payload.AsMemory(0, length), cancellationToken) != length)
                    {
                        break; // checked at start-up; a cut here means the file changed under us
                    }

                    if (position <= checkpoint)
                    {
                        continue;
                    }

                    var decoded = decoder.Decode(payload.AsSpan(0, length), CanonicalLayout.Ndjson);
                    if (decoded.Rejections.Count > 0)
                    {
                        LogReplayRejected(_logger, position, decoded.Rejections.Count, decoded.Rejections[0].Reason);
                    }

                    yield return new IngestLogEntry(position, decoded.Readings);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(payload);
                }
            }
        }
    }

    public Task CheckpointAsync(long position, CancellationToken cancellationToken = default)
    {
        List<string> deletable;
        lock (_segmentsGate)
        {
            if (position <= _checkpoint)
            {
                return Task.CompletedTask;
            }

            var path = Path.Combine(_directory, CheckpointFileName);
            var temporary = path + ".tmp";
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(Encoding.ASCII.GetBytes(position.ToString(CultureInfo.InvariantCulture) + "\n"));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            _checkpoint = position;
            deletable = [.. _sealed.Where(s => s.Last <= position).Select(s => s.Path)];
            _ = _sealed.RemoveAll(s => s.Last <= position);
        }

        foreach (var path in deletable)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException ex)
            {
                LogDeleteFailed(_logger, ex, path); // only space: a restart skips its records
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits for queued appends to be written, then closes the segment. Appending afterwards throws.</summary>
    public void Dispose()
    {
        Task writer;
        lock (_queueGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            writer = _writer;
        }

        writer.GetAwaiter().GetResult();
        _segment.Dispose();
    }

    private static byte[] Serialize(IReadOnlyList<Reading> readings)
    {
        var buffer = new ArrayBufferWriter<byte>(readings.Count * 160);
        using var json = new Utf8JsonWriter(buffer);
        foreach (var reading in readings)
        {
            ArgumentNullException.ThrowIfNull(reading, nameof(readings));
            CanonicalJsonWriter.Write(json, reading);
            json.Flush();
            buffer.Write("\n"u8);
            json.Reset(buffer);
        }

        if (buffer.WrittenCount > MaxPayloadBytes)
        {
            throw new ArgumentException($"A batch of {readings.Count} readings is larger than an ingest log record may be.", nameof(readings));
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteQueued()
    {
        while (true)
        {
            List<PendingAppend> batch;
            lock (_queueGate)
            {
                if (_queue.Count == 0)
                {
                    _writing = false;
                    return;
                }

                batch = _queue;
                _queue = _spare;
                _spare = batch;
            }

            Write(batch);
            batch.Clear();
        }
    }

    private void Write(List<PendingAppend> batch)
    {
        if (_faulted is { } faulted)
        {
            Fail(batch, new IOException(Problem, faulted));
            return;
        }

        var first = _next;
        _writeBuffer.ResetWrittenCount();
        Span<byte> position = stackalloc byte[8];
        foreach (var pending in batch)
        {
            var header = _writeBuffer.GetSpan(HeaderBytes);
            BinaryPrimitives.WriteInt32LittleEndian(header, pending.Payload.Length);
            BinaryPrimitives.WriteInt64LittleEndian(position, _next);
            _crc.Reset();
            _crc.Append(position);
            _crc.Append(pending.Payload);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], _crc.GetCurrentHashAsUInt32());
            position.CopyTo(header[8..]);
            _writeBuffer.Advance(HeaderBytes);
            _writeBuffer.Write(pending.Payload);
            _next++;
        }

        var before = _segmentLength;
        try
        {
            _segment.Write(_writeBuffer.WrittenSpan);
            _segment.Flush(flushToDisk: true);
            _segmentLength += _writeBuffer.WrittenCount;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _next = first;
            LogWriteFailed(_logger, ex, _directory, batch.Count);
            try
            {
                _segment.SetLength(before);
                _segment.Position = before;
                _segment.Flush(flushToDisk: true);
            }
            catch (Exception cut) when (cut is IOException or UnauthorizedAccessException)
            {
                _faulted = cut;
            }

            Fail(batch, new IOException($"The ingest log under '{_directory}' could not write: {ex.Message}", ex));
            return;
        }

        var at = first;
        foreach (var pending in batch)
        {
            _ = pending.Completion.TrySetResult(at++);
        }

        if (_segmentLength >= _segmentBytes)
        {
            Rotate();
        }
    }

    private void Rotate()
    {
        try
        {
            var next = OpenSegment(_next);
            lock (_segmentsGate)
            {
                _sealed.Add((_segment.Name, _segmentFirst, _next - 1));
            }

            _segment.Dispose();
            _segment = next;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The current segment stays in use: it only grows past its size.
            LogRotateFailed(_logger, ex, _directory);
        }
    }

    private static void Fail(List<PendingAppend> batch, Exception error)
    {
        foreach (var pending in batch)
        {
            _ = pending.Completion.TrySetException(error);
        }
    }

    private FileStream OpenSegment(long first)
    {
        var path = Path.Combine(_directory, first.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension);
        var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0 });
        _segmentFirst = first;
        _segmentLength = 0;
        return file;
    }

    private static long ReadCheckpoint(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        var text = File.ReadAllText(path).Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? position
            : throw new InvalidDataException(
                $"The ingest log checkpoint '{path}' is damaged (it holds '{Truncate(text)}', not a position). Keep a copy, then delete it: the whole log is then replayed, which is safe.");
    }

    /// <summary>
    /// Checks every segment, cuts a torn tail off the last one, deletes the ones wholly behind the checkpoint or
    /// empty; returns the last position found (0 for none) and the segments to replay, oldest first.
    /// </summary>
    private long ScanSegments(out List<string> replay)
    {
        replay = [];
        var paths = System.IO.Directory.GetFiles(_directory, "*" + SegmentExtension).Order(StringComparer.Ordinal).ToArray();
        var last = 0L;
        for (var i = 0; i < paths.Length; i++)
        {
            // Segments continue one another: a position missing in between is damage, found by the scan.
            var (first, end) = ScanSegment(paths[i], isLast: i == paths.Length - 1, expected: last == 0 ? 0 : last + 1);
            if (first == 0)
            {
                File.Delete(paths[i]); // no record: begun just before a stop
                continue;
            }

            if (last == 0 && first > _checkpoint + 1)
            {
                throw new InvalidDataException(
                    $"The ingest log segment '{paths[i]}' starts at position {first}, but the checkpoint is {_checkpoint}: the entries in between are missing. Keep a copy of '{_directory}', then move it aside to start with an empty log.");
            }

            last = end;
            if (end <= _checkpoint)
            {
                File.Delete(paths[i]); // wholly checkpointed: a deletion the last run did not get to
                continue;
            }

            replay.Add(paths[i]);
            _sealed.Add((paths[i], first, end));
        }

        return last;
    }

    /// <summary>The first and last positions in a segment (0, 0 when it has none).</summary>
    private (long First, long Last) ScanSegment(string path, bool isLast, long expected)
    {
        using var file = new FileStream(path, FileMode.Open, isLast ? FileAccess.ReadWrite : FileAccess.Read, FileShare.Read, 1 << 16);
        var header = new byte[HeaderBytes];
        var crc = new Crc32();
        long first = 0, last = 0, offset = 0;
        byte[] payload = [];
        while (offset < file.Length)
        {
            var problem = ReadRecord(file, header, ref payload, crc, out var position, out var length);
            if (problem is null && expected != 0 && position != expected)
            {
                problem = $"position {position} where {expected} was expected";
            }

            if (problem is not null)
            {
                if (!isLast)
                {
                    throw new InvalidDataException(
                        $"The ingest log segment '{path}' is damaged at byte {offset} ({problem}). Keep a copy of '{_directory}', then move the file aside: its entries after the checkpoint ({_checkpoint}) are then missing from sensor state (they may be in the archive).");
                }

                LogTornTail(_logger, path, offset, file.Length - offset, problem);
                file.SetLength(offset);
                file.Flush(flushToDisk: true);
                break;
            }

            first = first == 0 ? position : first;
            last = position;
            expected = position + 1;
            offset += HeaderBytes + length;
        }

        return (first, last);
    }

    private static string? ReadRecord(FileStream file, byte[] header, ref byte[] payload, Crc32 crc, out long position, out int length)
    {
        position = 0;
        length = 0;
        if (file.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes)
        {
            return "a record header cut short";
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(header);
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        position = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
        if (length is < 0 or > MaxPayloadBytes || position <= 0 || length > file.Length - file.Position)
        {
            return "a record cut short or with an impossible length";
        }

        if (payload.Length < length)
        {
            payload = new byte[Math.Max(length, payload.Length * 2)];
        }

        file.ReadExactly(payload, 0, length);
        crc.Reset();
        crc.Append(header.AsSpan(8, 8));
        crc.Append(payload.AsSpan(0, length));
        return crc.GetCurrentHashAsUInt32() == stored ? null : "a record whose checksum does not match";
    }

    private static async Task<int> ReadFullyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken) =>
        await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private readonly record struct PendingAppend(byte[] Payload, TaskCompletionSource<long> Completion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest log at {Directory}: checkpoint {Checkpoint}, {Uncheckpointed} entries to replay")]
    private static partial void LogOpened(ILogger logger, string directory, long checkpoint, long uncheckpointed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest log segment {Path} ended in a write cut short at byte {Offset} ({Bytes} bytes: {Problem}); cut off (it was never acknowledged)")]
    private static partial void LogTornTail(ILogger logger, string path, long offset, long bytes, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest log under {Directory} could not write {Count} appends; they are refused")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string directory, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest log under {Directory} could not begin a new segment; the current one grows on")]
    private static partial void LogRotateFailed(ILogger logger, Exception exception, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest log segment {Path} is behind the checkpoint but could not be deleted")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest log entry {Position}: {Count} values or records did not decode on replay (first: {Reason})")]
    private static partial void LogReplayRejected(ILogger logger, long position, int count, string reason);
}
