namespace AirQuality.Storage.Local;

/// <summary>Settings of a <see cref="FileReadingArchive"/>.</summary>
public sealed class FileReadingArchiveOptions
{
    /// <summary>The configuration section the embedded host binds these options from; the problems name their settings under it.</summary>
    public const string Section = "Archive";

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
        var problems = Problems().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid reading archive options: {string.Join("; ", problems)}.");
        }
    }

    /// <summary>
    /// Every problem with these options, each naming its setting as the embedded host binds it (section
    /// <see cref="Section"/>). A configured <see cref="Directory"/> is also tried: created if missing, and a file
    /// made and deleted in it, so a path that is a file or cannot be written fails start-up rather than every ingest.
    /// </summary>
    public IEnumerable<string> Problems()
    {
        if (Directory is { } directory)
        {
            if (string.IsNullOrWhiteSpace(directory))
            {
                yield return $"{Section}:Directory must not be empty or white space (leave it unset for <DataDirectory>/archive)";
            }
            else if (directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                yield return $"{Section}:Directory '{directory}' contains characters that are not allowed in a path";
            }
            else if (File.Exists(directory))
            {
                yield return $"{Section}:Directory '{Path.GetFullPath(directory)}' is an existing file, not a directory (unset, it is <DataDirectory>/archive): " +
                    $"move the file away or set {Section}:Directory to a directory";
            }
            else if (FileReadingArchive.WriteProblem(Path.GetFullPath(directory)) is { } unwritable)
            {
                yield return $"{Section}:Directory '{Path.GetFullPath(directory)}' cannot be used as the archive: {unwritable}";
            }
        }

        if (FlushInterval <= TimeSpan.Zero || FlushInterval.TotalMilliseconds > int.MaxValue)
        {
            yield return $"{Section}:FlushInterval must be positive and at most {int.MaxValue} ms, got {FlushInterval}";
        }

        if (MaxOpenFiles < 1)
        {
            yield return $"{Section}:MaxOpenFiles must be at least 1, got {MaxOpenFiles}";
        }

        if (MaxBufferedBytes < 1)
        {
            yield return $"{Section}:MaxBufferedBytes must be positive, got {MaxBufferedBytes}";
        }
    }
}
