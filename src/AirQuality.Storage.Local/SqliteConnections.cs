using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AirQuality.Storage.Local;

/// <summary>
/// Pooled connections to one database file, each with the per-connection settings applied (synchronous and
/// busy_timeout are per connection, and a pooled connection may be a fresh one).
/// </summary>
internal sealed class SqliteConnections
{
    private readonly string _connectionString;
    private readonly string _dedicatedConnectionString;
    private readonly string _pragmas;

    // createIfMissing: whether opening creates a missing file. A store that makes its file itself
    // (SqliteFiles.CreateAsync) says no, so a file deleted under the running host fails its next connection
    // instead of coming back empty.
    public SqliteConnections(string databasePath, SqliteSynchronous synchronous, TimeSpan busyTimeout, bool createIfMissing = true)
    {
        DatabasePath = databasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = createIfMissing ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString();
        _dedicatedConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
        var mode = synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
        _pragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA synchronous = {mode}; PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};");
    }

    public string DatabasePath { get; }

    /// <summary>A connection from the pool, for short reads and probes that leave no transaction behind.</summary>
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(_connectionString, cancellationToken);

    /// <summary>
    /// A connection of its own, never pooled, for a long-lived writer: whatever state a failed transaction
    /// leaves on it goes when it is disposed, and can never reach a reader that takes a pooled connection.
    /// (A pooled connection returned inside a transaction fails the next user's PRAGMA synchronous with
    /// "SQL logic error": SQLite refuses to change the safety level inside a transaction.)
    /// </summary>
    public Task<SqliteConnection> OpenDedicatedAsync(CancellationToken cancellationToken) => OpenAsync(_dedicatedConnectionString, cancellationToken);

    private async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = _pragmas;
            _ = await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the idle pooled connections, so the file handles go.</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}

/// <summary>What the SQLite stores share about their files: how a new one is made, and how a damaged one is told.</summary>
internal static class SqliteFiles
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    /// <summary>
    /// Whether <paramref name="error"/> says the file itself is damaged (SQLITE_CORRUPT, SQLITE_NOTADB, with any
    /// extended code), as opposed to a busy lock, a full disk or a bad statement.
    /// </summary>
    public static bool IsDamage(SqliteException error) => (error.SqliteErrorCode & 0xFF) is SqliteCorrupt or SqliteNotADatabase;

    /// <summary>
    /// Makes a new database at <paramref name="path"/> with <paramref name="schemaSql"/> run in it, in WAL mode:
    /// built under a temporary name and renamed into place, so the file never exists at 0 bytes or half made.
    /// That is what lets start-up call an existing empty file damaged: this code never leaves one.
    /// </summary>
    public static async Task CreateAsync(string path, string schemaSql)
    {
        var building = path + ".new";
        DeleteWithSidecars(building); // what a crash during an earlier attempt left
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = building,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var create = connection.CreateCommand();
            create.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; " + schemaSql;
            _ = await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        } // the last connection closing checkpoints the WAL into the file and deletes it

        File.Move(building, path, overwrite: false);
    }

    /// <summary>
    /// The first problem <c>PRAGMA quick_check</c> finds (every page and b-tree is well formed; not that indexes
    /// match their tables), or null when there is none.
    /// </summary>
    public static async Task<string?> QuickCheckAsync(SqliteConnection connection)
    {
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA quick_check(1);";
        var result = await check.ExecuteScalarAsync().ConfigureAwait(false) as string;
        return string.Equals(result, "ok", StringComparison.Ordinal) ? null : result ?? "no answer";
    }

    /// <summary>The names of the tables in the database, and the column names of each.</summary>
    public static async Task<Dictionary<string, HashSet<string>>> TablesAsync(SqliteConnection connection)
    {
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT m.name, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%';";
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var table = reader.GetString(0);
            if (!tables.TryGetValue(table, out var columns))
            {
                tables[table] = columns = new HashSet<string>(StringComparer.Ordinal);
            }

            _ = columns.Add(reader.GetString(1));
        }

        return tables;
    }

    private static void DeleteWithSidecars(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }
}
