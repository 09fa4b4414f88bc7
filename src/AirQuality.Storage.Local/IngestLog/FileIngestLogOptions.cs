namespace AirQuality.Storage.Local.IngestLog;

/// <summary>Settings of a <see cref="FileIngestLog"/> (configuration section "IngestLog").</summary>
public sealed class FileIngestLogOptions
{
    public const string Section = "IngestLog";

    /// <summary>The directory used when <see cref="Directory"/> is not set: <c>&lt;data directory&gt;/ingest-log</c>.</summary>
    public const string DefaultDirectoryName = "ingest-log";

    /// <summary>Where the segment files and the checkpoint live. Null: <see cref="DefaultDirectoryName"/> in the data directory.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// A segment is closed and a new one begun once it holds this many bytes; whole segments behind the
    /// checkpoint are deleted. Default 64 MiB.
    /// </summary>
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    // The checkpoint interval (IngestLog:CheckpointInterval) belongs to the pipeline that moves it:
    // AirQuality.Ingest's IngestCheckpointOptions, bound to the same section.

    public IEnumerable<string> Problems()
    {
        if (Directory is { } directory && string.IsNullOrWhiteSpace(directory))
        {
            yield return "IngestLog:Directory must not be empty (leave it unset for <data directory>/ingest-log)";
        }
        else if (Directory is { } path && File.Exists(path))
        {
            yield return $"IngestLog:Directory '{path}' is a file, not a directory";
        }

        if (SegmentBytes is < 64 * 1024 or > 1L << 30)
        {
            yield return "IngestLog:SegmentBytes must be 64 KiB-1 GiB";
        }
    }
}
