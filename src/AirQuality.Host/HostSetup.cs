using AirQuality.Gateway;
using AirQuality.Gateway.Auth;
using AirQuality.Gateway.Export;
using AirQuality.Gateway.Web;
using AirQuality.Host.Health;
using AirQuality.Ingest.Hosting;
using AirQuality.ServiceDefaults;
using AirQuality.Silo;
using AirQuality.Storage.Local.Hosting;

namespace AirQuality.Host;

/// <summary>How the embedded host is put together; Program.cs only calls these.</summary>
public static class HostSetup
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// The silo (grains, storage chosen by configuration, alert delivery), the GraphQL gateway and the ingest pipeline
    /// on local files, each library registering its own options (validated at start) and local defaults that just work.
    /// </summary>
    public static void AddAirQualityHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        builder.AddServiceDefaults();

        builder.AddAirQualitySilo();

        // The GraphQL gateway, mounted in this process at the same URLs it has when it runs on its own.
        builder.Services.AddAirQualityGateway(config);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

        // After the silo (hosted services start in order, and the HTTP server after all of them): the ingest log (a 2xx
        // means the readings are in it), the archive, and the pipeline, which replays the log's tail first, then
        // checkpoints it from time to time and at shutdown (while the silo still runs).
        builder.Services.AddLocalIngestStorage(config);
        builder.Services.AddAirQualityIngest();
    }

    public static void MapAirQualityEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStorageFailureAnswers();
        // Every endpoint names its access class (Gateway/Auth/EndpointAccess): health is public, ingest checks its own keys.
        app.MapHealthEndpoints().AllowPublicAccess();
        app.MapAirQualityIngest();
        app.MapExport();
        app.UseWebSockets();
        app.UseRateLimiter();
        app.UseAirQualityDashboard();
        app.MapAirQualityGateway();
    }
}
