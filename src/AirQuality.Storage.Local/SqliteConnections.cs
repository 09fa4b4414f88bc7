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
        var mode = synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
        _pragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA synchronous = {mode}; PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};");
    }

    public string DatabasePath { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
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
