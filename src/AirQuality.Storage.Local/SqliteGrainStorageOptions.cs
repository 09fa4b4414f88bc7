using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AirQuality.Storage.Local;

/// <summary>Settings of one <see cref="SqliteGrainStorage"/> provider.</summary>
public sealed class SqliteGrainStorageOptions
{
    /// <summary>The file name used when <see cref="DatabasePath"/> is not set: <c>&lt;data directory&gt;/grains.db</c>.</summary>
    public const string DefaultFileName = "grains.db";

    /// <summary>
    /// The SQLite database file. Relative paths are taken from the current directory. When null, the file is
    /// <see cref="DefaultFileName"/> in the directory <see cref="DataDirectory.Resolve"/> finds. Its directory
    /// is created at start-up.
    /// </summary>
    public string? DatabasePath { get; set; }

    /// <summary>Whether every committed write is synced to disk (<see cref="SqliteSynchronous.Full"/>, the default).</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>How long an operation waits for a lock held by another connection before failing. Default 5 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most writes committed in one transaction (one sync to disk). Writes that queue up while a commit
    /// runs go together in the next one; a larger batch costs only latency for the writes at its end. Default 512.
    /// </summary>
    public int WriteBatchSize { get; set; } = 512;

    /// <summary>
    /// The silo lifecycle stage at which the database is opened, checked and its schema created. Default: the first
    /// stage, before any Orleans runtime component starts, so a damaged or unusable file stops start-up before the
    /// silo listens or joins a cluster. A later stage also works, but Orleans stops a silo only once it has reached
    /// Running: a failure there leaves the stages before it running (the grain directory's membership loop then spins
    /// once the container is disposed), which a process that exits survives and a test process hosting silos does not.
    /// </summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.First;

    /// <summary>
    /// The serializer for state payloads. When null, the provider uses an <see cref="IGrainStorageSerializer"/>
    /// registered in DI under the provider's name (keyed service), and otherwise Orleans' own binary serializer
    /// (<see cref="OrleansGrainStorageSerializer"/>), which round-trips every <c>[GenerateSerializer]</c> type.
    /// The silo-wide default (Newtonsoft JSON) is deliberately not used: it silently drops private
    /// <c>[Id]</c> fields and cannot read back some collection types.
    /// </summary>
    public IGrainStorageSerializer? GrainStorageSerializer { get; set; }

    /// <summary>The database path these options give, made absolute (the default path does not create the data directory).</summary>
    public string ResolveDatabasePath() => DatabasePath is { } path
        ? Path.GetFullPath(path)
        : Path.Combine(DataDirectory.Find(), DefaultFileName);

    /// <summary>Throws an <see cref="OrleansConfigurationException"/> listing every problem, so a bad configuration fails at start-up.</summary>
    public void Validate(string providerName)
    {
        var problems = new List<string>();
        if (DatabasePath is { } path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                problems.Add("DatabasePath must not be empty or white space (leave it null for <data directory>/grains.db)");
            }
            else if (path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                problems.Add($"DatabasePath '{path}' contains characters that are not allowed in a path");
            }
            else if (path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar) || Directory.Exists(path))
            {
                problems.Add($"DatabasePath '{path}' is a directory; it must name the database file, e.g. '{Path.Combine(path, DefaultFileName)}'");
            }
        }

        if (!Enum.IsDefined(Synchronous))
        {
            problems.Add($"Synchronous must be Normal or Full, got {(int)Synchronous}");
        }

        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            problems.Add($"BusyTimeout must be positive and at most {int.MaxValue} ms, got {BusyTimeout}");
        }

        if (WriteBatchSize is < 1 or > 10_000)
        {
            problems.Add($"WriteBatchSize must be 1-10000, got {WriteBatchSize}");
        }

        if (problems.Count > 0)
        {
            throw new OrleansConfigurationException(
                $"Invalid configuration for SQLite grain storage '{providerName}': {string.Join("; ", problems)}.");
        }
    }
}

/// <summary>Runs <see cref="SqliteGrainStorageOptions.Validate"/> when the silo starts.</summary>
internal sealed class SqliteGrainStorageOptionsValidator(SqliteGrainStorageOptions options, string providerName) : IConfigurationValidator
{
    public void ValidateConfiguration() => options.Validate(providerName);
}
