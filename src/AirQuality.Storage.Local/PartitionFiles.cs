using Microsoft.Extensions.Logging;

namespace AirQuality.Storage.Local;

/// <summary>
/// The archive's open partition files, at most <c>capacity</c> of them: the least recently used is closed
/// when another must open. Not thread-safe; the archive uses it under its flush lock only.
/// </summary>
internal sealed partial class PartitionFiles(string root, int capacity, ILogger logger)
{
    private readonly Dictionary<string, LinkedListNode<(string Partition, FileStream File)>> _byPartition = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Partition, FileStream File)> _recentFirst = new();

    public IReadOnlyList<string> Partitions => [.. _recentFirst.Select(entry => entry.Partition)];

    /// <summary>The open file of <paramref name="partition"/>, positioned at its end; opened (or created) if needed.</summary>
    public FileStream Get(string partition)
    {
        if (_byPartition.TryGetValue(partition, out var node))
        {
            // A file deleted (or its directory moved, or replaced by a file) under the running host still takes
            // writes through its open handle, and they would go nowhere anyone can read. One stat per partition
            // per flush (which fsyncs anyway) notices, and the file is opened again where it belongs.
            if (File.Exists(node.Value.File.Name))
            {
                _recentFirst.Remove(node);
                _recentFirst.AddFirst(node);
                return node.Value.File;
            }

            LogFileGone(logger, node.Value.File.Name);
            Close(partition);
        }

        while (_recentFirst.Count >= capacity)
        {
            Close(_recentFirst.Last!.Value.Partition);
        }

        var file = Open(partition);
        _byPartition[partition] = _recentFirst.AddFirst((partition, file));
        return file;
    }

    public void Close(string partition)
    {
        if (_byPartition.Remove(partition, out var node))
        {
            _recentFirst.Remove(node);
            node.Value.File.Dispose();
        }
    }

    public void CloseAll()
    {
        foreach (var (_, file) in _recentFirst)
        {
            file.Dispose();
        }

        _recentFirst.Clear();
        _byPartition.Clear();
    }

    private FileStream Open(string partition)
    {
        var path = FileReadingArchive.PathOf(root, partition);
        _ = Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Unbuffered: each flush hands the OS one write per partition. Others may read while we append.
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
            BufferSize = 0,
        });
        try
        {
            var length = file.Length;
            file.Position = length;
            if (length > 0)
            {
                Span<byte> last = stackalloc byte[1];
                _ = RandomAccess.Read(file.SafeFileHandle, last, length - 1);
                if (last[0] != (byte)'\n')
                {
                    // A torn line from an interrupted write: end it, so that the next line starts whole.
                    file.Write("\n"u8);
                    LogTornLineEnded(logger, path, length);
                }
            }

            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Archive file {Path} is no longer there while open for appending; opening it again")]
    private static partial void LogFileGone(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Archive file {Path} ended in a torn line at byte {Length}; ended it with a newline before appending")]
    private static partial void LogTornLineEnded(ILogger logger, string path, long length);
}
