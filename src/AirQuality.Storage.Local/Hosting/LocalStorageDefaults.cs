using AirQuality.Storage.Local.IngestLog;
using AirQuality.Storage.Local.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AirQuality.Storage.Local.Hosting;

/// <summary>
/// The one place the local providers get their file locations: the data directory (setting <c>DataDirectory</c>, else
/// <c>AIRQ_DATA_DIR</c>, else <c>./.airquality/</c>, see <see cref="DataDirectory"/>). A path left unset gets its
/// default file there, and a relative one is taken from there, after every other configuration has run.
/// </summary>
/// <remarks>Registered by each local provider's <c>Add*</c>; an app never sets these paths in code.</remarks>
internal sealed class LocalStorageDefaults(IConfiguration? configuration = null) :
    IPostConfigureOptions<SqliteGrainStorageOptions>,
    IPostConfigureOptions<FileReadingArchiveOptions>,
    IPostConfigureOptions<FileIngestLogOptions>,
    IPostConfigureOptions<SqliteAlertOutboxOptions>
{
    private readonly Lazy<string> _directory = new(() => DataDirectory.Resolve(configuration?["DataDirectory"]));

    /// <summary>Unset: <c>&lt;data directory&gt;/&lt;name&gt;.db</c> (grains.db for the default provider).</summary>
    public void PostConfigure(string? name, SqliteGrainStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.DatabasePath is null)
        {
            var file = name is null or Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME ? SqliteGrainStorageOptions.DefaultFileName : $"{name}.db";
            options.DatabasePath = Path.Combine(_directory.Value, file);
        }
        else if (!string.IsNullOrWhiteSpace(options.DatabasePath) && !Path.IsPathRooted(options.DatabasePath))
        {
            options.DatabasePath = Path.Combine(_directory.Value, options.DatabasePath);
        }
    }

    public void PostConfigure(string? name, FileReadingArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Directory = InDataDirectory(options.Directory, FileReadingArchiveOptions.DefaultDirectoryName);
    }

    public void PostConfigure(string? name, FileIngestLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Directory = InDataDirectory(options.Directory, FileIngestLogOptions.DefaultDirectoryName);
    }

    /// <summary>Unset or blank: <c>&lt;data directory&gt;/alerts.db</c>.</summary>
    public void PostConfigure(string? name, SqliteAlertOutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DatabasePath = string.IsNullOrWhiteSpace(options.DatabasePath)
            ? Path.Combine(_directory.Value, SqliteAlertOutboxOptions.DefaultFileName)
            : Path.IsPathRooted(options.DatabasePath) ? options.DatabasePath : Path.Combine(_directory.Value, options.DatabasePath);
    }

    /// <summary>Unset: the default under the data directory; blank stays blank, for validation to name it.</summary>
    private string? InDataDirectory(string? configured, string defaultName) =>
        configured is null ? Path.Combine(_directory.Value, defaultName)
        : string.IsNullOrWhiteSpace(configured) || Path.IsPathRooted(configured) ? configured
        : Path.Combine(_directory.Value, configured);
}

/// <summary>Registers the local data-directory defaults once, whichever local providers an app adds.</summary>
internal static class LocalStorageDefaultsRegistration
{
    public static IServiceCollection AddLocalStorageDefaults(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SqliteGrainStorageOptions>, LocalStorageDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<FileReadingArchiveOptions>, LocalStorageDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<FileIngestLogOptions>, LocalStorageDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SqliteAlertOutboxOptions>, LocalStorageDefaults>());
        return services;
    }
}
