namespace AirQuality.Storage.Local;

/// <summary>
/// SQLite's <c>PRAGMA synchronous</c> setting for the grain state database, which always runs in WAL mode.
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// The WAL is synced only at checkpoints. A committed write survives a crash of the process, but the most
    /// recent writes can be lost (never corrupted) if the machine loses power or the OS crashes.
    /// </summary>
    Normal = 1,

    /// <summary>
    /// The WAL is synced on every commit, so a completed write survives power loss too. The default.
    /// </summary>
    Full = 2,
}
