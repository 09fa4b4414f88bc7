namespace AirQuality.Storage.Local;

/// <summary>Settings of a <see cref="FileReadingArchive"/>.</summary>
public sealed class FileReadingArchiveOptions
{
    /// <summary>The directory used when <see cref="Directory"/> is not set: <c>&lt;data directory&gt;/archive</c>.</summary>
    public const string DefaultDirectoryName = "archive";

    /// <summary>
    /// The archive's root; partitions go below it as <c>yyyy/MM/dd/HH.ndjson</c>. Relative paths are taken from
    /// the current directory. When null, <see cref="DefaultDirectoryName"/> in the directory
    /// <see cref="DataDirectory.Find"/> finds.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>How often buffered readings are written and synced in the background. Default 1 s.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most partition files kept open at once; the least recently written one is closed beyond that
    /// (and reopened for appending when needed again). Default 16.
    /// </summary>
    public int MaxOpenFiles { get; set; } = 16;

    /// <summary>
    /// When this many bytes are buffered, the append that crosses the mark flushes before it completes, so a
    /// burst cannot grow the buffer without bound. Default 8 MiB.
    /// </summary>
    public int MaxBufferedBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The absolute archive root these options give (not created).</summary>
    public string ResolveDirectory() => Directory is { } directory
        ? Path.GetFullPath(directory)
        : Path.Combine(DataDirectory.Find(), DefaultDirectoryName);

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, so a bad configuration fails at start-up.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (Directory is { } directory)
        {
            if (string.IsNullOrWhiteSpace(directory))
            {
                problems.Add("Directory must not be empty or white space (leave it null for <data directory>/archive)");
            }
            else if (directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                problems.Add($"Directory '{directory}' contains characters that are not allowed in a path");
            }
            else if (File.Exists(directory))
            {
                problems.Add($"Directory '{directory}' is an existing file, not a directory");
            }
        }

        if (FlushInterval <= TimeSpan.Zero || FlushInterval.TotalMilliseconds > int.MaxValue)
        {
            problems.Add($"FlushInterval must be positive and at most {int.MaxValue} ms, got {FlushInterval}");
        }

        if (MaxOpenFiles < 1)
        {
            problems.Add($"MaxOpenFiles must be at least 1, got {MaxOpenFiles}");
        }

        if (MaxBufferedBytes < 1)
        {
            problems.Add($"MaxBufferedBytes must be positive, got {MaxBufferedBytes}");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid reading archive options: {string.Join("; ", problems)}.");
        }
    }
}
