using AirQuality.Contracts;
using AirQuality.Gateway;
using AirQuality.Gateway.Auth;
using AirQuality.Gateway.Export;
using AirQuality.Gateway.Web;
using AirQuality.Hosting;
using AirQuality.Ingest.Hosting;
using AirQuality.ServiceDefaults;
using AirQuality.Storage.Local.Hosting;
using Microsoft.Extensions.Options;

namespace AirQuality.GatewayHost;

/// <summary>How the gateway host is put together (GraphQL, dashboard, CSV export and HTTP ingest, as an Orleans client); Program.cs only calls these.</summary>
public static class GatewayApp
{
    public const string DefaultUrl = "http://127.0.0.1:5090";

    public static void AddStandaloneGateway(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        builder.AddServiceDefaults();
        builder.Services.AddValidatedOptions<ClusterOptions>(ClusterOptions.Section, o => o.Problems());
        builder.Services.AddSingleton(TimeProvider.System);

        // The client's clustering is set up before the options are validated at start; fail now with the same message.
        var cluster = config.GetValidated<ClusterOptions>(ClusterOptions.Section, o => o.Problems());

        // Clustering from Orleans' own section when it is configured (Orleans:Clustering:ProviderType, as the silos choose
        // theirs: a membership table in Azure); otherwise the static gateway list of the "Cluster" section, by default the
        // silo on this machine.
        var orleansClustering = config.GetSection("Orleans:Clustering").Exists();
        OrleansProviders.Configure(config, () => builder.UseOrleansClient(client =>
        {
            if (!orleansClustering)
            {
                client.UseStaticClustering(cluster.ResolveGateways());
                client.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
            }

            client.UseConnectionRetryFilter<ConnectRetry>();
        }));

        builder.Services.AddAirQualityGateway(config);
        builder.Services.AddHealthChecks().AddClusterHealthCheck();

        // HTTP ingest here too, through the same pipeline as in the embedded host: the readings are in this host's
        // ingest log (under its data directory) before the 2xx, and the log is checkpointed once the sensors, which
        // live in the silos, have written them.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddLocalIngestStorage(config);
        builder.Services.AddAirQualityIngest();
    }

    public static void MapStandaloneGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthEndpoints().AllowPublicAccess();
        app.MapAirQualityIngest();
        app.MapExport();
        app.UseWebSockets();
        app.UseRateLimiter();
        app.UseAirQualityDashboard();
        app.MapAirQualityGateway();
    }
}
