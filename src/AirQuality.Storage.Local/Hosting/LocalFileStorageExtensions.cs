using AirQuality.Domain.Archive;
using AirQuality.Domain.Ingest;
using AirQuality.Hosting;
using AirQuality.Storage.Local.IngestLog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AirQuality.Storage.Local.Hosting;

/// <summary>Registers the file-based ports: the reading archive and the ingest log.</summary>
public static class LocalFileStorageExtensions
{
    /// <summary>
    /// The reading archive as hourly NDJSON files (section "Archive"; default directory &lt;data directory&gt;/archive),
    /// validated at start: a directory that is a file or cannot be written stops start-up naming the setting.
    /// </summary>
    public static IServiceCollection AddFileReadingArchive(this IServiceCollection services, Action<OptionsBuilder<FileReadingArchiveOptions>>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddValidatedOptions<FileReadingArchiveOptions>(FileReadingArchiveOptions.Section, o => o.Problems());
        configureOptions?.Invoke(options);
        services.AddLocalStorageDefaults();
        services.AddSingleton(sp => new FileReadingArchive(
            sp.GetRequiredService<IOptions<FileReadingArchiveOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FileReadingArchive>>()));
        services.AddSingleton<IReadingArchive>(sp => sp.GetRequiredService<FileReadingArchive>());
        services.AddLocalStorageHealthCheck();
        return services;
    }

    /// <summary>
    /// What an app that takes HTTP ingest keeps on local disk: the ingest log, and the reading archive chosen by
    /// <c>Archive:Provider</c> (File, the default; an unknown name stops start-up naming the setting).
    /// </summary>
    public static IServiceCollection AddLocalIngestStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFileIngestLog();
        return services.AddSelectedProvider(configuration, "Archive:Provider", "File", new Dictionary<string, Action<IServiceCollection>>
        {
            ["File"] = s => s.AddFileReadingArchive(),
        });
    }

    /// <summary>The reading archive as hourly NDJSON files, its options set by <paramref name="configure"/> after the section.</summary>
    public static IServiceCollection AddFileReadingArchive(this IServiceCollection services, Action<FileReadingArchiveOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddFileReadingArchive(ob => ob.Configure(configure));
    }

    /// <summary>The ingest log as segment files, its options set by <paramref name="configure"/> after the section.</summary>
    public static IServiceCollection AddFileIngestLog(this IServiceCollection services, Action<FileIngestLogOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddFileIngestLog(ob => ob.Configure(configure));
    }

    /// <summary>The ingest log as segment files (section "IngestLog"; default directory &lt;data directory&gt;/ingest-log).</summary>
    public static IServiceCollection AddFileIngestLog(this IServiceCollection services, Action<OptionsBuilder<FileIngestLogOptions>>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddValidatedOptions<FileIngestLogOptions>(FileIngestLogOptions.Section, o => o.Problems());
        configureOptions?.Invoke(options);
        services.AddLocalStorageDefaults();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<FileIngestLogOptions>>().Value;
            return new FileIngestLog(options.Directory!, options.SegmentBytes, sp.GetRequiredService<ILogger<FileIngestLog>>());
        });
        services.AddSingleton<IIngestLog>(sp => sp.GetRequiredService<FileIngestLog>());
        return services;
    }
}
