namespace AirQuality.Storage.Local.Outbox;

/// <summary>Settings of the <see cref="SqliteAlertOutbox"/>.</summary>
public sealed class SqliteAlertOutboxOptions
{
    /// <summary>The file name the host uses under its data directory.</summary>
    public const string DefaultFileName = "alerts.db";

    /// <summary>The database file; relative paths are taken from the current directory. Its directory is created at start-up.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>
    /// Whether every commit is synced to disk. <see cref="SqliteSynchronous.Full"/> (the default) is what lets an
    /// enqueue that has completed promise delivery even across a power loss.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>How long a statement waits for a lock held by another connection before failing. Default 5 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            problems.Add("DatabasePath must name the database file");
        }
        else if (DatabasePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || Directory.Exists(DatabasePath))
        {
            problems.Add($"DatabasePath '{DatabasePath}' is not a file path");
        }

        if (!Enum.IsDefined(Synchronous))
        {
            problems.Add($"Synchronous must be Normal or Full, got {(int)Synchronous}");
        }

        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            problems.Add($"BusyTimeout must be positive and at most {int.MaxValue} ms, got {BusyTimeout}");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid alert outbox settings: {string.Join("; ", problems)}.");
        }
    }
}
