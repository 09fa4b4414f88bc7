using AirQuality.Contracts;
using AirQuality.Gateway;
using AirQuality.Gateway.Auth;
using AirQuality.Gateway.Export;
using AirQuality.Gateway.Web;
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
        builder.AddServiceDefaults("AirQuality.Gateway", AirQuality.Ingest.Pipeline.IngestMetrics.MeterName);
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);

        var cluster = config.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        if (cluster.Problems().ToList() is { Count: > 0 } problems)
        {
            // The client's clustering is set up before the options are validated; fail with the same message.
            throw new OptionsValidationException(ClusterOptions.Section, typeof(ClusterOptions), problems);
        }

        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(cluster.ResolveGateways());
            client.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseConnectionRetryFilter<ConnectRetry>();
        });

        builder.Services.AddAirQualityGateway(config);
        builder.Services.AddHealthChecks().AddClusterHealthCheck();

        // HTTP ingest here too, through the same pipeline as in the embedded host: the readings are in this host's
        // ingest log (under its data directory) before the 2xx, and the log is checkpointed once the sensors, which
        // live in the silos, have written them.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddFileIngestLog();
        builder.Services.AddFileReadingArchive();
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

    private sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
    {
        public ValidateOptionsResult Validate(string? name, ClusterOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
