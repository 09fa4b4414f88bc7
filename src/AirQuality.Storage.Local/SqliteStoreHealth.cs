using System.Collections.Concurrent;

namespace AirQuality.Storage.Local;

/// <summary>
/// Which SQLite stores met a damaged file at run time (SQLITE_CORRUPT or SQLITE_NOTADB on a read or a write).
/// One per host; readiness reports what it holds, so a half-damaged store is never served as ready.
/// </summary>
/// <remarks>
/// A report is never withdrawn: SQLite does not repair a file, so a store that was found damaged stays so
/// until an operator replaces the file, and start-up then checks it again (quick_check).
/// </remarks>
public sealed class SqliteStoreHealth
{
    private readonly ConcurrentDictionary<string, string> _damaged = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="storeName"/>'s file is damaged; true the first time for that store.</summary>
    public bool ReportDamaged(string storeName, string databasePath, string reason)
    {
        ArgumentNullException.ThrowIfNull(storeName);
        ArgumentNullException.ThrowIfNull(databasePath);
        return _damaged.TryAdd(storeName, $"storage '{storeName}': {Path.GetFileName(databasePath)} is damaged ({reason}); restart the host to have it checked");
    }

    /// <summary>One short line per damaged store, naming the store and its file (no directory); empty when all are sound.</summary>
    public IReadOnlyList<string> Problems => [.. _damaged.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)];
}
