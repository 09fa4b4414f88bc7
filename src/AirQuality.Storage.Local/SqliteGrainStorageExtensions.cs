using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

namespace AirQuality.Storage.Local;

/// <summary>Registers <see cref="SqliteGrainStorage"/> providers with a silo.</summary>
public static class SqliteGrainStorageExtensions
{
    /// <summary>
    /// Adds a SQLite grain storage provider named <paramref name="name"/>, for grains that declare
    /// <c>[PersistentState("…", "<paramref name="name"/>")]</c>. The options are validated when the silo starts.
    /// </summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        _ = builder.Services.AddSqliteGrainStorage(name, configure);
        return builder;
    }

    /// <summary>Adds a SQLite grain storage provider as the silo's default grain storage.</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteGrainStorageOptions> configure) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds a SQLite grain storage provider named <paramref name="name"/> to a silo's services.</summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        _ = services.AddOptions<SqliteGrainStorageOptions>(name).Configure(configure);
        // One for every provider of the host, so readiness sees each store's damage in one place.
        services.TryAddSingleton<SqliteStoreHealth>();
        _ = services.AddTransient<IConfigurationValidator>(sp =>
            new SqliteGrainStorageOptionsValidator(sp.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name), name));
        // Orleans' convention: a keyed IGrainStorage under the name, the unkeyed default when the name is
        // "Default", and the provider as a silo lifecycle participant (it implements ILifecycleParticipant).
        return services.AddGrainStorage(name, SqliteGrainStorage.Create);
    }
}
