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

    public SqliteConnections(string databasePath, SqliteSynchronous synchronous, TimeSpan busyTimeout)
    {
        DatabasePath = databasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
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
