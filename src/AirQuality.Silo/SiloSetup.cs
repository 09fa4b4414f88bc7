using AirQuality.Alerts.Hosting;
using AirQuality.Alerts.Webhooks.Hosting;
using AirQuality.Grains.Hosting;
using AirQuality.Hosting;
using AirQuality.ServiceDefaults;
using AirQuality.Storage.Local.Hosting;
using Microsoft.Extensions.Configuration.Memory;

namespace AirQuality.Silo;

/// <summary>How a silo is put together, for the silo process and the embedded host alike.</summary>
public static class SiloSetup
{
    /// <summary>Where the silo process serves /healthz and /readyz when no URL is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5070";

    /// <summary>The alert channels a silo ships, by the names the list <c>Alerts:Channels</c> gives (default Webhooks).</summary>
    public static readonly IReadOnlyDictionary<string, Action<IServiceCollection>> AlertChannels = new Dictionary<string, Action<IServiceCollection>>
    {
        ["Webhooks"] = services => services.AddWebhookAlerts(),
    };

    /// <summary>
    /// The Orleans settings used where none are configured: a one-silo development cluster on loopback with SQLite
    /// storage in the data directory. A configured clustering provider replaces the whole clustering default (its
    /// endpoints included); a storage provider's configured settings win over its defaults one by one.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> LocalDefaults(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        yield return new("Orleans:ClusterId", "airquality-local");
        yield return new("Orleans:ServiceId", "airquality");
        if (!configuration.GetSection("Orleans:Clustering").Exists())
        {
            yield return new("Orleans:Clustering:ProviderType", "Development");
            yield return new("Orleans:Endpoints:AdvertisedIPAddress", "127.0.0.1");
            yield return new("Orleans:Endpoints:SiloPort", "11111");
            yield return new("Orleans:Endpoints:GatewayPort", "30000");
        }

        foreach (var (name, file) in new[] { (AirQualityStorage.Sensors, "grains.db"), (AirQualityStorage.Index, "index.db") })
        {
            // Configured values win (this source is the lowest); the file name only means something to Sqlite.
            var type = configuration[$"Orleans:GrainStorage:{name}:ProviderType"];
            if (type is null or "Sqlite")
            {
                yield return new($"Orleans:GrainStorage:{name}:ProviderType", "Sqlite");
                yield return new($"Orleans:GrainStorage:{name}:DatabasePath", file);
            }
        }
    }

    /// <summary>
    /// The silo: alert delivery, Orleans configured from the "Orleans" section (clustering and storage providers by ProviderType, over
    /// <see cref="LocalDefaults"/>), the grains, activation shedding under memory pressure, and readiness on the
    /// cluster answering. Call it before anything that needs the cluster at start (hosted services start in order).
    /// </summary>
    public static WebApplicationBuilder AddAirQualitySilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Lowest priority: every configured source (appsettings, environment, command line, tests) wins over these.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LocalDefaults(builder.Configuration).ToList() });

        // Alert delivery before the silo: alert changes go to the configured channels (the webhooks) through the durable
        // outbox (<DataDirectory>/alerts.db), which is open before any grain can publish.
        builder.Services.AddAirQualityAlerts();
        builder.Services.AddSelectedProviders(builder.Configuration, "Alerts:Channels", ["Webhooks"], AlertChannels);
        builder.Services.AddSqliteAlertOutbox();

        OrleansProviders.Configure(builder.Configuration, () => builder.UseOrleans(silo => silo.AddAirQualityGrains()));

        // Activations are shed under memory pressure (a flood of new sensor ids must not take the process down):
        // past MemoryUsageLimitPercentage of the machine's memory the silo deactivates the least recently used
        // grains (they write their state first) until usage is back at the target. Tunable under
        // Orleans:GrainCollection (CollectionAge, MemoryUsageLimitPercentage, MemoryUsageTargetPercentage).
        builder.Services.AddOptions<Orleans.Configuration.GrainCollectionOptions>()
            .Configure(o =>
            {
                o.EnableActivationSheddingOnMemoryPressure = true;
                o.MemoryUsageLimitPercentage = 85;
                o.MemoryUsageTargetPercentage = 70;
            })
            .BindConfiguration("Orleans:GrainCollection");

        builder.Services.AddHealthChecks().AddClusterHealthCheck();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }
}
