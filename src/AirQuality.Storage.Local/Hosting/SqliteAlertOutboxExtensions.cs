using AirQuality.Alerts.Outbox;
using AirQuality.Storage.Local.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AirQuality.Storage.Local.Hosting;

/// <summary>Registers the SQLite alert outbox.</summary>
public static class SqliteAlertOutboxExtensions
{
    /// <summary>
    /// The <see cref="IAlertOutbox"/> of alert delivery as a <see cref="SqliteAlertOutbox"/>, by default
    /// <c>&lt;DataDirectory&gt;/alerts.db</c>; <paramref name="configure"/> may name another file or change its settings.
    /// The file is opened when alert delivery starts, and a file that cannot be used stops start-up naming it.
    /// </summary>
    public static IServiceCollection AddSqliteAlertOutbox(this IServiceCollection services, Action<SqliteAlertOutboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSqliteAlertOutbox(ob => ob.Configure(configure));
    }

    /// <summary>The SQLite alert outbox, its options built by <paramref name="configureOptions"/> (bind a section, validate, ...).</summary>
    public static IServiceCollection AddSqliteAlertOutbox(this IServiceCollection services, Action<OptionsBuilder<SqliteAlertOutboxOptions>>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLocalStorageDefaults();
        var options = services.AddOptions<SqliteAlertOutboxOptions>();
        configureOptions?.Invoke(options);

        services.TryAddSingleton<IAlertOutbox>(sp => new SqliteAlertOutbox(
            sp.GetRequiredService<IOptions<SqliteAlertOutboxOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SqliteAlertOutbox>>()));
        return services;
    }
}
