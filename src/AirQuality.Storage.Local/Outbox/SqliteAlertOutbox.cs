using System.Globalization;
using AirQuality.Alerts.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AirQuality.Storage.Local.Outbox;

/// <summary>
/// The alert outbox in one local SQLite database (the host's <c>alerts.db</c>), in WAL mode with
/// <c>synchronous=FULL</c> by default, so an enqueue that has completed survives a crash and a power loss.
/// </summary>
/// <remarks>
/// <para>One row per (event, channel, destination) rather than an event row plus per-destination progress:
/// every destination has its own attempts, due time, lease, error and end state, which is exactly a row, and
/// leasing, retrying and dead-lettering stay single-row statements without joins. The price is the payload
/// stored once per destination; alert changes are rare and destinations few, so that is a few KB.</para>
/// <para>Writes go through <see cref="SqliteGroupCommit"/> (one transaction at a time, concurrent writes folded into
/// one commit); reads take their own pooled connection, which WAL lets run beside the writer. The file
/// belongs to one host process: leases left by a previous run are released when it is opened.</para>
/// </remarks>
public sealed partial class SqliteAlertOutbox : IAlertOutbox, IAsyncDisposable
{
    /// <summary>The schema version this code writes, kept in <c>PRAGMA user_version</c>.</summary>
    internal const int SchemaVersion = 1;

    private const string CreateSchemaSql = """
        CREATE TABLE IF NOT EXISTS alert_delivery (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id     TEXT    NOT NULL,
            channel      TEXT    NOT NULL,
            destination  TEXT    NOT NULL,
            ordering_key TEXT    NOT NULL,
            payload      TEXT    NOT NULL,
            state        INTEGER NOT NULL DEFAULT 0,
            attempts     INTEGER NOT NULL DEFAULT 0,
            enqueued_at  INTEGER NOT NULL,
            due_at       INTEGER NOT NULL,
            leased_until INTEGER,
            last_error   TEXT,
            finished_at  INTEGER,
            UNIQUE (event_id, channel, destination)
        );
        CREATE INDEX IF NOT EXISTS alert_delivery_queue ON alert_delivery (channel, destination, ordering_key, id) WHERE state = 0;
        CREATE INDEX IF NOT EXISTS alert_delivery_due ON alert_delivery (channel, due_at) WHERE state = 0;
        CREATE INDEX IF NOT EXISTS alert_delivery_finished ON alert_delivery (state, finished_at) WHERE state <> 0;
        """;

    // A pending delivery waits while an earlier one for the same destination and ordering key is pending.
    private const string IsFirstInLine = """
        NOT EXISTS (SELECT 1 FROM alert_delivery e
                    WHERE e.state = 0 AND e.channel = d.channel AND e.destination = d.destination
                      AND e.ordering_key = d.ordering_key AND e.id < d.id)
        """;

    private const string InsertSql = """
        INSERT INTO alert_delivery (event_id, channel, destination, ordering_key, payload, enqueued_at, due_at)
        VALUES ($event, $channel, $destination, $key, $payload, $now, $now)
        ON CONFLICT (event_id, channel, destination) DO NOTHING;
        """;

    private const string LeaseSql = $"""
        UPDATE alert_delivery SET leased_until = $until, attempts = attempts + 1
        WHERE id IN (SELECT d.id FROM alert_delivery d
                     WHERE d.state = 0 AND d.channel = $channel AND d.due_at <= $now
                       AND (d.leased_until IS NULL OR d.leased_until <= $now) AND {IsFirstInLine}
                     ORDER BY d.id LIMIT $max)
        RETURNING id, event_id, ordering_key, destination, payload, attempts, enqueued_at, last_error;
        """;

    private const string NextDueSql = $"""
        SELECT MIN(MAX(d.due_at, COALESCE(d.leased_until, d.due_at))) FROM alert_delivery d
        WHERE d.state = 0 AND d.channel = $channel AND {IsFirstInLine};
        """;

    private const string DeliveredSql = "UPDATE alert_delivery SET state = 1, leased_until = NULL, finished_at = $now WHERE id = $id AND state = 0;";
    private const string FailedSql = "UPDATE alert_delivery SET due_at = $due, leased_until = NULL, last_error = $error WHERE id = $id AND state = 0;";
    private const string DeadLetterSql = "UPDATE alert_delivery SET state = 2, leased_until = NULL, last_error = $error, finished_at = $now WHERE id = $id AND state = 0;";
    private const string PruneSql = "DELETE FROM alert_delivery WHERE state = 1 AND finished_at < $before;";
    private const string ReleaseLeasesSql = "UPDATE alert_delivery SET leased_until = NULL WHERE state = 0 AND leased_until IS NOT NULL;";
    private const string CountSql = "SELECT state, COUNT(*) FROM alert_delivery WHERE channel = $channel GROUP BY state;";
    private const string RecordColumns = "id, event_id, channel, destination, state, attempts, enqueued_at, due_at, last_error, finished_at";
    private const string FindSql = $"SELECT {RecordColumns} FROM alert_delivery WHERE event_id = $event ORDER BY id;";
    private const string DeadLettersSql = $"SELECT {RecordColumns} FROM alert_delivery WHERE channel = $channel AND state = 2 ORDER BY finished_at DESC, id DESC LIMIT $max;";

    private readonly SqliteConnections _connections;
    private readonly SqliteGroupCommit _writes;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteAlertOutbox> _logger;
    private readonly OnceInitialization _initialization;

    public SqliteAlertOutbox(SqliteAlertOutboxOptions options, TimeProvider time, ILogger<SqliteAlertOutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _connections = new SqliteConnections(Path.GetFullPath(options.DatabasePath), options.Synchronous, options.BusyTimeout);
        _writes = new SqliteGroupCommit(_connections, maxBatch: 512, "alert outbox");
        _initialization = new OnceInitialization(InitializeOnceAsync);
        _time = time;
        _logger = logger;
    }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath => _connections.DatabasePath;

    /// <summary>
    /// Opens the database (creating file and directory), checks it, creates the schema and releases leases
    /// left by a previous run. Idempotent; every operation calls it, and a failed attempt is tried again.
    /// </summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => _initialization.EnsureAsync(cancellationToken);

    private async Task InitializeOnceAsync()
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            _ = Directory.CreateDirectory(directory);
        }

        string journalMode;
        try
        {
            // Opening runs the first statements too (the connection's pragmas), so a garbage file fails here.
            await using var connection = await _connections.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            journalMode = await CheckAndCreateAsync(connection).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw Unusable(e.Message, e);
        }

        var released = await _writes.RunAsync((c, t) => ExecuteAsync(c, t, ReleaseLeasesSql), CancellationToken.None).ConfigureAwait(false);
        LogReady(_logger, DatabasePath, journalMode, released);
    }

    /// <summary>Everything that fails on a file that is not a sound outbox database, before anything is written to it.</summary>
    private async Task<string> CheckAndCreateAsync(SqliteConnection connection)
    {
        var journalMode = await ScalarAsync<string>(connection, "PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            LogNoWal(_logger, DatabasePath, journalMode);
        }

        var version = await ScalarAsync<long>(connection, "PRAGMA user_version;").ConfigureAwait(false);
        if (version > SchemaVersion)
        {
            throw Unusable($"it has schema version {version}, newer than this build understands ({SchemaVersion})", null);
        }

        var check = await ScalarAsync<string>(connection, "PRAGMA quick_check(1);").ConfigureAwait(false);
        if (!string.Equals(check, "ok", StringComparison.Ordinal))
        {
            throw Unusable($"its integrity check failed: {check}", null);
        }

        await using var create = connection.CreateCommand();
        create.CommandText = CreateSchemaSql + $"PRAGMA user_version = {SchemaVersion};";
        _ = await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        return journalMode;
    }

    private InvalidDataException Unusable(string why, Exception? inner) => new(
        $"The alert outbox database '{DatabasePath}' cannot be used: {why}. Undelivered alerts may be in it: keep a copy, " +
        "then move it aside to start with an empty outbox.",
        inner);

    public async Task EnqueueAsync(OutboxMessage message, string channel, IReadOnlyCollection<string> destinations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(destinations);
        if (destinations.Count == 0)
        {
            return;
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var now = Millis(_time.GetUtcNow());
        _ = await _writes.RunAsync(async (connection, transaction) =>
        {
            await using var insert = Command(connection, transaction, InsertSql);
            _ = insert.Parameters.AddWithValue("$event", message.EventId);
            _ = insert.Parameters.AddWithValue("$channel", channel);
            _ = insert.Parameters.AddWithValue("$key", message.OrderingKey);
            _ = insert.Parameters.AddWithValue("$payload", message.Payload);
            _ = insert.Parameters.AddWithValue("$now", now);
            var destination = insert.Parameters.Add("$destination", SqliteType.Text);
            var inserted = 0;
            foreach (var target in destinations)
            {
                destination.Value = target;
                inserted += await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            return inserted;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OutboxDelivery>> LeaseDueAsync(string channel, int maxCount, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseFor, TimeSpan.Zero);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        return await _writes.RunAsync(async (connection, transaction) =>
        {
            await using var lease = Command(connection, transaction, LeaseSql);
            _ = lease.Parameters.AddWithValue("$channel", channel);
            _ = lease.Parameters.AddWithValue("$now", Millis(now));
            _ = lease.Parameters.AddWithValue("$until", Millis(now + leaseFor));
            _ = lease.Parameters.AddWithValue("$max", maxCount);
            var leased = new List<OutboxDelivery>();
            await using var reader = await lease.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                leased.Add(new OutboxDelivery(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetInt32(5), Time(reader.GetInt64(6)), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }

            // RETURNING gives rows in no promised order; callers get enqueue order.
            leased.Sort((a, b) => a.Id.CompareTo(b.Id));
            return (IReadOnlyList<OutboxDelivery>)leased;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task MarkDeliveredAsync(long deliveryId, CancellationToken cancellationToken) =>
        UpdateAsync(DeliveredSql, deliveryId, null, null, cancellationToken);

    public Task MarkFailedAsync(long deliveryId, DateTimeOffset nextAttemptAt, string failure, CancellationToken cancellationToken) =>
        UpdateAsync(FailedSql, deliveryId, failure, nextAttemptAt, cancellationToken);

    public Task DeadLetterAsync(long deliveryId, string reason, CancellationToken cancellationToken) =>
        UpdateAsync(DeadLetterSql, deliveryId, reason, null, cancellationToken);

    private async Task UpdateAsync(string sql, long deliveryId, string? error, DateTimeOffset? due, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var now = Millis(_time.GetUtcNow());
        _ = await _writes.RunAsync(async (connection, transaction) =>
        {
            await using var update = Command(connection, transaction, sql);
            _ = update.Parameters.AddWithValue("$id", deliveryId);
            _ = update.Parameters.AddWithValue("$now", now);
            _ = update.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            _ = update.Parameters.AddWithValue("$due", due is { } d ? Millis(d) : DBNull.Value);
            return await update.ExecuteNonQueryAsync().ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset?> NextDueAsync(string channel, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = Command(connection, null, NextDueSql);
        _ = query.Parameters.AddWithValue("$channel", channel);
        return await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long due ? Time(due) : null;
    }

    public async Task<int> PruneDeliveredAsync(DateTimeOffset deliveredBefore, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _writes.RunAsync(async (connection, transaction) =>
        {
            await using var prune = Command(connection, transaction, PruneSql);
            _ = prune.Parameters.AddWithValue("$before", Millis(deliveredBefore));
            return await prune.ExecuteNonQueryAsync().ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OutboxCounts> CountAsync(string channel, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = Command(connection, null, CountSql);
        _ = query.Parameters.AddWithValue("$channel", channel);
        var counts = new long[3];
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetInt32(0)] = reader.GetInt64(1);
        }

        return new OutboxCounts(counts[(int)OutboxState.Pending], counts[(int)OutboxState.Delivered], counts[(int)OutboxState.DeadLettered]);
    }

    public Task<IReadOnlyList<OutboxRecord>> FindAsync(string eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        return RecordsAsync(FindSql, command => command.Parameters.AddWithValue("$event", eventId), cancellationToken);
    }

    public Task<IReadOnlyList<OutboxRecord>> DeadLettersAsync(string channel, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        return RecordsAsync(DeadLettersSql, command =>
        {
            _ = command.Parameters.AddWithValue("$channel", channel);
            _ = command.Parameters.AddWithValue("$max", maxCount);
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<OutboxRecord>> RecordsAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = Command(connection, null, sql);
        bind(query);
        var records = new List<OutboxRecord>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new OutboxRecord(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (OutboxState)reader.GetInt32(4),
                reader.GetInt32(5), Time(reader.GetInt64(6)), Time(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : Time(reader.GetInt64(9))));
        }

        return records;
    }

    /// <summary>Folds the WAL back into the database file and lets the pooled connections go.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writes.StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (!_initialization.IsDone)
        {
            return;
        }

        try
        {
            await using (var connection = await _connections.OpenAsync(CancellationToken.None).ConfigureAwait(false))
            {
                _ = await ScalarAsync<long>(connection, "PRAGMA wal_checkpoint(TRUNCATE);").ConfigureAwait(false);
            }

            _connections.ClearPool();
        }
        catch (SqliteException e)
        {
            LogCheckpointFailed(_logger, e, DatabasePath);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        await using var command = Command(connection, transaction, sql);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql)
    {
        await using var command = Command(connection, null, sql);
        var value = await command.ExecuteScalarAsync().ConfigureAwait(false);
        return (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture)!;
    }

    // Times are stored as Unix milliseconds: compared and ordered in SQL, exact enough for retry schedules.
    private static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert outbox ready at {DatabasePath} (journal mode {JournalMode}; {ReleasedLeases} leases of a previous run released)")]
    private static partial void LogReady(ILogger logger, string databasePath, string journalMode, int releasedLeases);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert outbox {DatabasePath} could not switch to WAL and runs in journal mode {JournalMode}")]
    private static partial void LogNoWal(ILogger logger, string databasePath, string journalMode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert outbox {DatabasePath}: checkpoint at shutdown failed")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string databasePath);
}
