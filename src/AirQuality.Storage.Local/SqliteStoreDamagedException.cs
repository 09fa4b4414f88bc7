namespace AirQuality.Storage.Local;

/// <summary>
/// A SQLite store whose file is damaged (not a database, cut, corrupt pages, a schema that is not ours): at
/// start-up it stops the host; at run time it fails the operation that met the damage. The message names the
/// file and what the operator does about it.
/// </summary>
public sealed class SqliteStoreDamagedException : Exception
{
    public SqliteStoreDamagedException(string storeName, string databasePath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StoreName = storeName;
        DatabasePath = databasePath;
    }

    /// <summary>The provider (grain storage) name, e.g. "sensors".</summary>
    public string StoreName { get; }

    /// <summary>The absolute path of the damaged file.</summary>
    public string DatabasePath { get; }
}
