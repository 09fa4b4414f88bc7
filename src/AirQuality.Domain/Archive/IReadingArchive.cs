using AirQuality.Domain.Readings;

namespace AirQuality.Domain.Archive;

/// <summary>
/// Where every accepted raw reading is kept, partitioned by the reading's UTC date and hour
/// (<c>yyyy/MM/dd/HH</c>), one canonical NDJSON line per reading. The local host writes files under its
/// data directory; the Azure deployment writes blobs with the same layout.
/// </summary>
public interface IReadingArchive
{
    /// <summary>
    /// Takes readings for archiving. When the returned task completes they are buffered, not yet durable;
    /// <see cref="FlushAsync"/> makes everything appended so far durable.
    /// </summary>
    ValueTask AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default);

    /// <summary>Writes everything appended so far to durable storage (fsync for files).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}

/// <summary>The archive path of a reading's partition: <c>yyyy/MM/dd/HH</c> of its UTC timestamp.</summary>
public static class ArchiveLayout
{
    public static string PartitionOf(DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        return $"{utc:yyyy}/{utc:MM}/{utc:dd}/{utc:HH}";
    }
}
