using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AirQuality.Storage.Local.Outbox;

/// <summary>
/// Puts the outbox where the host keeps its other durable data: <c>alerts.db</c> in the data directory (setting
/// <c>DataDirectory</c>, see <see cref="DataDirectory"/>), unless a path was configured.
/// </summary>
internal sealed class SqliteAlertOutboxDefaults(IConfiguration configuration) : IConfigureOptions<SqliteAlertOutboxOptions>
{
    /// <summary>The host setting that names the data directory.</summary>
    public const string DataDirectoryKey = "DataDirectory";

    public void Configure(SqliteAlertOutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Only a blank path: whether a caller's own configuration ran before or after this one, its path wins.
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            options.DatabasePath = Path.Combine(DataDirectory.Resolve(configuration[DataDirectoryKey]), SqliteAlertOutboxOptions.DefaultFileName);
        }
    }
}
