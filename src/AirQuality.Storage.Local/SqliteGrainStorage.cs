using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace AirQuality.Storage.Local;

/// <summary>
/// Orleans grain storage in one local SQLite database: a row per (state name, grain id) holding an ETag
/// and the serialized state. Writes are optimistic like Orleans' own providers: a write or clear carrying
/// an ETag other than the stored one fails with <see cref="InconsistentStateException"/>, and every write
/// stores a new ETag.
/// </summary>
/// <remarks>
/// <para>The database runs in WAL mode with <c>synchronous=FULL</c> by default, so a completed write has been
/// synced to disk and survives a process crash and power loss (<see cref="SqliteGrainStorageOptions.Synchronous"/>).</para>
/// <para>Reads take a connection from Microsoft.Data.Sqlite's pool (WAL lets them run beside the writer).
/// Writes and clears go to one <see cref="SqliteGroupCommit"/>, which commits whatever has queued up in one
/// transaction (group commit, at most <see cref="SqliteGrainStorageOptions.WriteBatchSize"/> writes).
/// The grain id string includes the grain type, and the service id is not part of the key: one database
/// file serves one service.</para>
/// </remarks>
public sealed partial class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    /// <summary>The schema version this code writes, kept in <c>PRAGMA user_version</c>.</summary>
    internal const int SchemaVersion = 1;

    private const string CreateSchemaSql = """
        CREATE TABLE IF NOT EXISTS grain_state (
            state_name   TEXT NOT NULL,
            grain_id     TEXT NOT NULL,
            etag         TEXT NOT NULL,
            payload      BLOB NOT NULL,
            modified_utc TEXT NOT NULL,
            PRIMARY KEY (state_name, grain_id)
        );
        """;

    private const string ReadSql = "SELECT etag, payload FROM grain_state WHERE state_name = $state AND grain_id = $grain;";
    private const string ReadETagSql = "SELECT etag FROM grain_state WHERE state_name = $state AND grain_id = $grain;";

    private const string InsertSql = """
        INSERT INTO grain_state (state_name, grain_id, etag, payload, modified_utc)
        VALUES ($state, $grain, $etag, $payload, $modified)
        ON CONFLICT (state_name, grain_id) DO NOTHING;
        """;

    private const string UpdateSql = """
        UPDATE grain_state SET etag = $etag, payload = $payload, modified_utc = $modified
        WHERE state_name = $state AND grain_id = $grain AND etag = $expected;
        """;

    private const string DeleteSql = "DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND etag = $expected;";

    private readonly string _name;
    private readonly SqliteConnections _connections;
    private readonly int _initStage;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly OnceInitialization _initialization;
    private readonly SqliteGroupCommit _writes;
    private readonly SqliteStoreHealth _health;

    public SqliteGrainStorage(
        string name,
        SqliteGrainStorageOptions options,
        IGrainStorageSerializer serializer,
        IActivatorProvider activators,
        ILogger<SqliteGrainStorage> logger,
        TimeProvider? time = null,
        SqliteStoreHealth? health = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(activators);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate(name);

        _name = name;
        _connections = new SqliteConnections(options.ResolveDatabasePath(), options.Synchronous, options.BusyTimeout, createIfMissing: false);
        _writes = new SqliteGroupCommit(_connections, options.WriteBatchSize, name);
        _initialization = new OnceInitialization(InitializeOnceAsync);
        _initStage = options.InitStage;
        _serializer = serializer;
        _activators = activators;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _health = health ?? new SqliteStoreHealth();
    }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath => _connections.DatabasePath;

    /// <summary>
    /// Creates the provider registered under <paramref name="name"/>: its named options, and the serializer
    /// chosen as <see cref="SqliteGrainStorageOptions.GrainStorageSerializer"/> describes.
    /// </summary>
    public static SqliteGrainStorage Create(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        var options = services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name);
        var serializer = options.GrainStorageSerializer
            ?? services.GetKeyedService<IGrainStorageSerializer>(name)
            ?? new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        return new SqliteGrainStorage(
            name,
            options,
            serializer,
            services.GetRequiredService<IActivatorProvider>(),
            services.GetRequiredService<ILogger<SqliteGrainStorage>>(),
            services.GetService<TimeProvider>(),
            services.GetService<SqliteStoreHealth>());
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{_name}", _initStage, InitializeAsync, StopAsync);
    }

    /// <summary>
    /// Opens the database (creating file and directory when there is no file), checks it, switches it to WAL and
    /// creates the schema. Runs at silo start; operations call it too, so the provider also works outside a
    /// silo. Idempotent; a failed initialisation is tried again by the next call.
    /// </summary>
    /// <remarks>
    /// A damaged file stops start-up with <see cref="SqliteStoreDamagedException"/> naming it, rather than
    /// serving some grains and failing others. A missing file is a fresh store. An existing file of 0 bytes is
    /// damaged: this code builds a new file under another name and renames it into place
    /// (<see cref="SqliteFiles.CreateAsync"/>), so it never leaves one, and SQLite would otherwise take it for an
    /// empty database and the host would start with every sensor's state silently gone.
    /// </remarks>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _initialization.EnsureAsync(cancellationToken);

    private async Task InitializeOnceAsync()
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            _ = Directory.CreateDirectory(directory);
        }

        var fresh = !File.Exists(DatabasePath);
        if (fresh)
        {
            await SqliteFiles.CreateAsync(DatabasePath, CreateSchemaSql + $"PRAGMA user_version = {SchemaVersion};").ConfigureAwait(false);
        }
        else if (new FileInfo(DatabasePath).Length == 0)
        {
            throw Damaged("it is empty (0 bytes), and this host never leaves its database empty, so what it held is gone (an interrupted copy or restore?)", null);
        }

        string journalMode;
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Opening runs the connection's pragmas, so a file that is not a database fails here already. Not a
            // pooled connection: the check reads every page, and they need not stay cached in one of the pool's.
            await using var connection = await _connections.OpenDedicatedAsync(CancellationToken.None).ConfigureAwait(false);
            journalMode = await ScalarAsync<string>(connection, "PRAGMA journal_mode = WAL;", CancellationToken.None).ConfigureAwait(false);
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                LogNoWal(_logger, _name, DatabasePath, journalMode);
            }

            var version = await ScalarAsync<long>(connection, "PRAGMA user_version;", CancellationToken.None).ConfigureAwait(false);
            if (version > SchemaVersion)
            {
                throw new OrleansConfigurationException(
                    $"SQLite grain storage '{_name}': database '{DatabasePath}' has schema version {version}, newer than this build understands ({SchemaVersion}).");
            }

            if (await SqliteFiles.QuickCheckAsync(connection).ConfigureAwait(false) is { } problem)
            {
                throw Damaged($"its integrity check failed: {problem}", null);
            }

            if (SchemaProblem(await SqliteFiles.TablesAsync(connection).ConfigureAwait(false)) is { } foreign)
            {
                throw Damaged(foreign, null);
            }

            await using var create = connection.CreateCommand();
            // Each statement is atomic on its own, and both are idempotent.
            create.CommandText = CreateSchemaSql + $"PRAGMA user_version = {SchemaVersion};";
            _ = await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw Damaged(e.Message, e);
        }

        var checkedIn = Stopwatch.GetElapsedTime(started);
        LogInitialized(_logger, _name, DatabasePath, journalMode, fresh, checkedIn.TotalMilliseconds);
    }

    /// <summary>Null when the tables are ours (or there are none yet); otherwise what is wrong with them.</summary>
    private static string? SchemaProblem(Dictionary<string, HashSet<string>> tables)
    {
        string[] columns = ["state_name", "grain_id", "etag", "payload", "modified_utc"];
        if (tables.TryGetValue("grain_state", out var found))
        {
            return columns.All(found.Contains)
                ? null
                : $"its table grain_state has the columns ({string.Join(", ", found.Order(StringComparer.Ordinal))}), not those of grain storage ({string.Join(", ", columns)})";
        }

        return tables.Count == 0
            ? null
            : $"it is a SQLite database of something else (tables {string.Join(", ", tables.Keys.Order(StringComparer.Ordinal))}, no grain_state)";
    }

    /// <summary>
    /// The error for a damaged file, naming it and what to do. At run time (<paramref name="inner"/> from a
    /// read or write) it also marks the store damaged, so readiness fails until the file is dealt with.
    /// </summary>
    private SqliteStoreDamagedException Damaged(string why, SqliteException? inner)
    {
        if (_initialization.IsDone && _health.ReportDamaged(_name, DatabasePath, inner?.Message ?? why))
        {
            LogDamaged(_logger, inner, _name, DatabasePath);
        }

        return new SqliteStoreDamagedException(
            _name,
            DatabasePath,
            $"The SQLite grain storage '{_name}' cannot use its database '{DatabasePath}': {why}. Stop the host, keep a copy of the file " +
            $"(with any {Path.GetFileName(DatabasePath)}-wal beside it), then move it aside: the host starts again with this store empty " +
            "(restore it from a backup if you have one; the raw archive keeps every reading).",
            inner);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_initialization.IsDone)
        {
            return;
        }

        await _writes.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Fold the WAL back into the database so the file is complete on its own, then let the pooled
            // connections (and their file handles) go.
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            _ = await ScalarAsync<long>(connection, "PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken).ConfigureAwait(false);
            _connections.ClearPool();
        }
        catch (Exception ex) when (ex is SqliteException or OperationCanceledException)
        {
            LogCheckpointFailed(_logger, ex, _name, DatabasePath);
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var grain = grainId.ToString();

        var row = await ReadRowAsync(stateName, grain, cancellationToken).ConfigureAwait(false);
        if (row is not var (etag, payload))
        {
            grainState.State = _activators.GetActivator<T>().Create();
            grainState.ETag = null;
            grainState.RecordExists = false;
            LogRead(_logger, _name, stateName, grain, null, 0);
            return;
        }

        T? state;
        try
        {
            state = _serializer.Deserialize<T>(BinaryData.FromBytes(payload));
        }
        catch (Exception ex)
        {
            LogDeserializeFailed(_logger, ex, _name, stateName, grain, typeof(T).FullName, payload.Length);
            throw;
        }

        // A state written as null reads back as null, as it was written.
        grainState.State = state!;
        grainState.ETag = etag;
        grainState.RecordExists = true;
        LogRead(_logger, _name, stateName, grain, etag, payload.Length);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var grain = grainId.ToString();
        var payload = ToArray(_serializer.Serialize(grainState.State));
        var expected = grainState.ETag;
        var etag = Guid.CreateVersion7().ToString("N");
        var modified = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await RunConditionalAsync("write", expected is null ? InsertSql : UpdateSql, stateName, grain, expected, command =>
        {
            _ = command.Parameters.AddWithValue("$etag", etag);
            command.Parameters.Add("$payload", SqliteType.Blob).Value = payload;
            _ = command.Parameters.AddWithValue("$modified", modified);
        }, cancellationToken).ConfigureAwait(false);

        grainState.ETag = etag;
        grainState.RecordExists = true;
        LogWritten(_logger, _name, stateName, grain, etag, payload.Length);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var grain = grainId.ToString();
        var expected = grainState.ETag;

        if (expected is null)
        {
            // Nothing was read or written: clearing is a no-op unless someone else has created the record since.
            if (await ReadRowAsync(stateName, grain, cancellationToken).ConfigureAwait(false) is var (stored, _))
            {
                throw Conflict("clear", stateName, grain, stored, expected);
            }
        }
        else
        {
            await RunConditionalAsync("clear", DeleteSql, stateName, grain, expected, _ => { }, cancellationToken).ConfigureAwait(false);
        }

        grainState.State = _activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
        LogCleared(_logger, _name, stateName, grain);
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _connections.OpenAsync(cancellationToken);

    /// <summary>The stored ETag and payload, or null when there is no record.</summary>
    private async Task<(string ETag, byte[] Payload)?> ReadRowAsync(string stateName, string grain, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, ReadSql, stateName, grain);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? (reader.GetString(0), (byte[])reader.GetValue(1))
                : null;
        }
        catch (SqliteException e) when (SqliteFiles.IsDamage(e))
        {
            throw Damaged(e.Message, e);
        }
    }

    /// <summary>
    /// Runs a statement conditional on the ETag (<paramref name="expected"/>, bound as $expected when not null)
    /// through the group-commit writer; when it touched no row, throws the conflict with the ETag the store
    /// holds, read in the same transaction.
    /// </summary>
    private async Task RunConditionalAsync(
        string operation, string sql, string stateName, string grainId, string? expected, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        (bool Applied, string? Stored) outcome;
        try
        {
            outcome = await _writes.RunAsync(
                async (connection, transaction) =>
                {
                    await using var command = Command(connection, transaction, sql, stateName, grainId);
                    bind(command);
                    if (expected is not null)
                    {
                        _ = command.Parameters.AddWithValue("$expected", expected);
                    }

                    if (await command.ExecuteNonQueryAsync().ConfigureAwait(false) > 0)
                    {
                        return (true, (string?)null);
                    }

                    await using var probe = Command(connection, transaction, ReadETagSql, stateName, grainId);
                    return (false, await probe.ExecuteScalarAsync().ConfigureAwait(false) as string);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (SqliteFiles.IsDamage(e))
        {
            throw Damaged(e.Message, e);
        }

        if (!outcome.Applied)
        {
            throw Conflict(operation, stateName, grainId, outcome.Stored, expected);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string stateName, string grainId) =>
        Command(connection, null, sql, stateName, grainId);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, string stateName, string grainId)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        _ = command.Parameters.AddWithValue("$state", stateName);
        _ = command.Parameters.AddWithValue("$grain", grainId);
        return command;
    }

    private static async Task<TResult> ScalarAsync<TResult>(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return (TResult)Convert.ChangeType(value, typeof(TResult), CultureInfo.InvariantCulture)!;
    }

    private InconsistentStateException Conflict(string operation, string stateName, string grainId, string? stored, string? expected)
    {
        LogConflict(_logger, _name, operation, stateName, grainId, stored, expected);
        return new InconsistentStateException(
            $"ETag mismatch on {operation}: SQLite grain storage '{_name}', state '{stateName}', grain {grainId}: " +
            $"stored ETag {stored ?? "(none)"}, the grain holds {expected ?? "(none)"}.",
            stored ?? string.Empty,
            expected ?? string.Empty);
    }

    /// <summary>Outside a silo (no lifecycle stop), disposal commits what is queued and closes the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writes.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static byte[] ToArray(BinaryData data)
    {
        var memory = data.ToMemory();
        return MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite grain storage {Provider} ready at {DatabasePath} (journal mode {JournalMode}, new file {Fresh}, checked in {CheckMilliseconds:F0} ms)")]
    private static partial void LogInitialized(ILogger logger, string provider, string databasePath, string journalMode, bool fresh, double checkMilliseconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "SQLite grain storage {Provider}: {DatabasePath} is damaged; the host reports not ready until the file is replaced and the host restarted")]
    private static partial void LogDamaged(ILogger logger, Exception? exception, string provider, string databasePath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite grain storage {Provider}: {DatabasePath} could not switch to WAL and runs in journal mode {JournalMode}")]
    private static partial void LogNoWal(ILogger logger, string provider, string databasePath, string journalMode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite grain storage {Provider}: checkpoint of {DatabasePath} at shutdown failed")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string provider, string databasePath);

    [LoggerMessage(Level = LogLevel.Trace, Message = "SQLite grain storage {Provider}: read {StateName} of {GrainId}: ETag {ETag}, {Bytes} bytes")]
    private static partial void LogRead(ILogger logger, string provider, string stateName, string grainId, string? eTag, int bytes);

    [LoggerMessage(Level = LogLevel.Trace, Message = "SQLite grain storage {Provider}: wrote {StateName} of {GrainId}: ETag {ETag}, {Bytes} bytes")]
    private static partial void LogWritten(ILogger logger, string provider, string stateName, string grainId, string eTag, int bytes);

    [LoggerMessage(Level = LogLevel.Trace, Message = "SQLite grain storage {Provider}: cleared {StateName} of {GrainId}")]
    private static partial void LogCleared(ILogger logger, string provider, string stateName, string grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite grain storage {Provider}: ETag conflict on {Operation} of {StateName} for {GrainId}: stored {StoredETag}, grain holds {CurrentETag}")]
    private static partial void LogConflict(ILogger logger, string provider, string operation, string stateName, string grainId, string? storedETag, string? currentETag);

    [LoggerMessage(Level = LogLevel.Error, Message = "SQLite grain storage {Provider}: cannot deserialize {StateName} of {GrainId} as {StateType} ({Bytes} bytes)")]
    private static partial void LogDeserializeFailed(ILogger logger, Exception exception, string provider, string stateName, string grainId, string? stateType, int bytes);
}
