using AirQuality.Storage.Local.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

[assembly: RegisterProvider("Sqlite", "GrainStorage", "Silo", typeof(SqliteGrainStorageProviderBuilder))]

namespace AirQuality.Storage.Local.Hosting;

/// <summary>Registers <see cref="SqliteGrainStorage"/> providers with a silo.</summary>
public static class SqliteGrainStorageExtensions
{
    /// <summary>
    /// Adds a SQLite grain storage provider named <paramref name="name"/>, for grains that declare
    /// <c>[PersistentState("…", "<paramref name="name"/>")]</c>. The options are validated when the silo starts.
    /// </summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddSqliteGrainStorage(name, ob => ob.Configure(configure));
    }

    /// <summary>Adds a SQLite grain storage provider named <paramref name="name"/>, its options built by <paramref name="configureOptions"/>.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<SqliteGrainStorageOptions>>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        _ = builder.Services.AddSqliteGrainStorage(name, configureOptions);
        return builder;
    }

    /// <summary>Adds a SQLite grain storage provider as the silo's default grain storage.</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteGrainStorageOptions> configure) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds a SQLite grain storage provider as the silo's default grain storage, its options built by <paramref name="configureOptions"/>.</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<OptionsBuilder<SqliteGrainStorageOptions>>? configureOptions = null) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configureOptions);

    /// <summary>Adds a SQLite grain storage provider named <paramref name="name"/> to a silo's services.</summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSqliteGrainStorage(name, ob => ob.Configure(configure));
    }

    /// <summary>Adds a SQLite grain storage provider named <paramref name="name"/> to a silo's services, its options built by <paramref name="configureOptions"/>.</summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<OptionsBuilder<SqliteGrainStorageOptions>>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var options = services.AddOptions<SqliteGrainStorageOptions>(name);
        configureOptions?.Invoke(options);
        // Unset or relative database paths are placed in the data directory (see LocalStorageDefaults).
        services.AddLocalStorageDefaults();
        // One for every provider of the host, so readiness sees each store's damage in one place.
        services.TryAddSingleton<SqliteStoreHealth>();
        services.AddLocalStorageHealthCheck();
        _ = services.AddTransient<IConfigurationValidator>(sp =>
            new SqliteGrainStorageOptionsValidator(sp.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name), name));
        // Orleans' convention: a keyed IGrainStorage under the name, the unkeyed default when the name is
        // "Default", and the provider as a silo lifecycle participant (it implements ILifecycleParticipant).
        return services.AddGrainStorage(name, SqliteGrainStorage.Create);
    }
}

/// <summary>
/// <c>Orleans:GrainStorage:{name}:ProviderType = Sqlite</c>: the provider chosen by configuration, its options bound
/// from the same section (DatabasePath, Synchronous, BusyTimeout, WriteBatchSize, InitStage).
/// </summary>
internal sealed class SqliteGrainStorageProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection) =>
        builder.AddSqliteGrainStorage(name ?? ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, ob => ob.Bind(configurationSection));
}
